"""No lost work in a real browser: saving one agenda item's narrative keeps what was typed
under another, and leaving the page with unsaved input asks first."""

import pytest
from playwright.sync_api import expect

from meetings.models import AgendaItem, Meeting
from tests.e2e.conftest import login
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    StateFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_saving_one_items_narrative_keeps_the_other_and_leaving_warns(page):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    opening = AgendaItemFactory(meeting=meeting, position=1, title="Opening", record="")
    closing = AgendaItemFactory(meeting=meeting, position=2, title="Closing", record="")
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.goto(f"/secretariat/meetings/{meeting.slug}/record/")
    narratives = page.get_by_label("Narrative (Markdown)")
    narratives.nth(0).fill("The Chair opened the meeting.")
    narratives.nth(1).fill("The Co-Chair closed the meeting.")

    with page.expect_response(lambda r: f"/record/{opening.pk}/" in r.url):
        page.get_by_role("button", name="Save narrative").nth(0).click()
    expect(page.locator(f"#record-{opening.pk}")).to_contain_text("Saved at")
    opening.refresh_from_db()
    assert opening.record == "The Chair opened the meeting."
    # The other item's text is still there, unsaved, exactly as typed.
    expect(narratives.nth(1)).to_have_value("The Co-Chair closed the meeting.")
    assert AgendaItem.objects.get(pk=closing.pk).record == ""

    # Leaving now would lose it: the browser asks, and staying keeps it.
    tabs = page.get_by_role("navigation", name="Meeting workspace")
    tabs.get_by_role("link", name="Agenda").click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/record/")
    expect(narratives.nth(1)).to_have_value("The Co-Chair closed the meeting.")

    # Once saved, nothing is lost by leaving: no question.
    with page.expect_response(lambda r: f"/record/{closing.pk}/" in r.url):
        page.get_by_role("button", name="Save narrative").nth(1).click()
    expect(page.locator(f"#record-{closing.pk}")).to_contain_text("Saved at")
    tabs.get_by_role("link", name="Agenda").click()
    page.wait_for_url("**/agenda/")
    assert dialogs == ["beforeunload"]
    assert page.js_errors == []


def test_a_conflicting_save_keeps_the_editors_text_and_leaving_still_warns(page):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    item = AgendaItemFactory(meeting=meeting, position=1, title="Opening", record="First.")
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.goto(f"/secretariat/meetings/{meeting.slug}/record/")
    item.record = "Someone else's wording."
    item.save()

    page.get_by_label("Narrative (Markdown)").fill("My wording.")
    with page.expect_response(lambda r: f"/record/{item.pk}/" in r.url) as answer:
        page.get_by_role("button", name="Save narrative").click()
    assert answer.value.status == 409
    form = page.locator(f"#record-{item.pk}")
    expect(form).to_contain_text("Someone else saved this while you were editing")
    expect(page.get_by_label("Narrative (Markdown)")).to_have_value("My wording.")
    page.get_by_role("navigation", name="Meeting workspace").get_by_role(
        "link", name="Agenda"
    ).click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    item.refresh_from_db()
    assert item.record == "Someone else's wording."


def test_deleting_an_agenda_item_asks_first_and_renumbers_the_rest(page):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    for position, title in enumerate(("Opening", "Discussion", "Closing"), start=1):
        AgendaItemFactory(meeting=meeting, position=position, title=title)
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")
    page.goto(f"/secretariat/meetings/{meeting.slug}/agenda/")
    delete = page.get_by_role("button", name="Delete “Opening”")

    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    page.wait_for_timeout(300)  # long enough for a form that was not stopped to arrive
    assert meeting.agenda_items.count() == 3

    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    page.wait_for_load_state()
    expect(page.locator("ol.ws-agenda > li").first).to_contain_text("1. Discussion")
    assert list(meeting.agenda_items.order_by("position").values_list("title", "position")) == [
        ("Discussion", 1),
        ("Closing", 2),
    ]


def test_a_headcount_typed_while_the_attendance_tick_is_saving_is_saved_after_it(page):
    """The row comes back from the server with its new version; what the editor typed in the
    meantime goes into the new row and is saved too, not refused as stale nor overwritten."""
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    state = StateFactory(name="Afghanistan")
    MembershipFactory(dialogue=meeting.dialogue, participant=state)
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")
    page.goto(f"/secretariat/meetings/{meeting.slug}/attendance/")

    def slowly(route):
        page.wait_for_timeout(600)  # the first save is still on its way while the editor types
        route.continue_()

    page.route(f"**/attendance/{state.pk}/", slowly)
    page.get_by_label("Afghanistan attended").check()
    page.get_by_label("Headcount of Afghanistan", exact=True).fill("3")
    page.get_by_label("Headcount of Afghanistan", exact=True).press("Tab")

    expect(page.locator("#attendance-totals")).to_contain_text("3 participants from 1 country")
    expect(page.get_by_label("Headcount of Afghanistan", exact=True)).to_have_value("3")
    delegation = meeting.delegations.get()
    assert delegation.headcount == 3
    assert "Not saved" not in page.locator("main").inner_text()
    assert page.js_errors == []
