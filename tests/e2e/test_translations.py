"""Translating side by side in a real browser: a secretariat user opens the 24th meeting's
translations, translates an agenda item's title in place (htmx) and sees it up to date, edits
the English original and sees the translation outdated; axe finds nothing serious."""

import pytest
from playwright.sync_api import expect

from meetings.models import AgendaItem, Meeting
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_secretariat_user_translates_an_agenda_item_side_by_side(page, demo):
    # The English record is published: a translation needs no reopening, a correction of
    # the original does (done here as the workflow's "Reopen for correction" would).
    item = AgendaItem.objects.filter(meeting=demo, parent=None).order_by("position").first()
    english = item.title_en
    UserFactory(username="translator", secretariat=True)
    login(page, "translator")
    page.goto(f"/secretariat/meetings/{demo.slug}/")
    page.get_by_role("navigation", name="Meeting workspace").get_by_role(
        "link", name="Translations"
    ).click()
    page.wait_for_url(f"**/secretariat/meetings/{demo.slug}/translations/")
    row = page.locator(f"#translation-agenda-item-{item.pk}-title-ru")
    expect(row.locator(".ws-translation-original")).to_have_text(english)
    # The demo may carry a translation of it already (unofficial, for the demo): this one
    # replaces it.
    row.get_by_role("textbox").fill("Открытие совещания")
    row.get_by_role("button", name="Save translation").click()
    # expect() waits for htmx to swap the saved row in.
    expect(row.locator("[data-status]")).to_have_text("Up to date")
    expect(row.get_by_role("textbox")).to_have_value("Открытие совещания")
    assert_accessible(page)
    screenshot(page, "workspace-translations")

    Meeting.objects.filter(pk=demo.pk).update(record_status=Meeting.RecordStatus.REOPENED)
    page.goto(f"/secretariat/edit/agenda-item/{item.pk}/")
    page.locator("textarea[name=title], input[name=title]").fill(f"{english} (revised)")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/secretariat/meetings/{demo.slug}/agenda/")
    page.goto(f"/secretariat/meetings/{demo.slug}/translations/")
    row = page.locator(f"#translation-agenda-item-{item.pk}-title-ru")
    expect(row.locator(".ws-translation-original")).to_have_text(f"{english} (revised)")
    expect(row.locator("[data-status]")).to_have_text("Outdated")
    item.refresh_from_db()
    assert (item.title_en, item.title_ru) == (f"{english} (revised)", "Открытие совещания")
    assert page.js_errors == []
