"""The secretariat keeps participants' names and partners' API keys in a real browser, on pages
that pass axe."""

import datetime

import pytest
from playwright.sync_api import expect

from bpdialogue.models import ApiKey
from participants.models import Participant
from tests.e2e.conftest import assert_accessible, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_name_is_added_and_an_api_key_issued_once_then_revoked(page, demo):
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")
    page.goto("/secretariat/")
    page.get_by_role("navigation", name="Workspace").get_by_role(
        "link", name="Participants"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Pakistan").click()
    assert_accessible(page)
    page.get_by_text("Add a name").click()
    page.locator("#id_name-name").fill("Islamic Republic of Pakistan")
    page.locator("#id_name-sort_name").fill("Pakistan, Islamic Republic of")
    page.get_by_label("In use from").fill("1956-03-23")
    page.get_by_label("In use until").fill("1956-03-22")
    page.get_by_role("button", name="Add name").click()
    expect(page.get_by_text("A name cannot go out of use before it came into use.")).to_be_visible()
    page.get_by_label("In use until").fill("")
    page.get_by_role("button", name="Add name").click()
    expect(page.get_by_text("Added.")).to_be_visible()
    added = Participant.objects.get(iso_code="PK").names.get(name="Islamic Republic of Pakistan")
    assert (added.valid_from, added.valid_to) == (datetime.date(1956, 3, 23), None)

    page.goto("/secretariat/working-groups-and-regions/")
    assert_accessible(page)

    page.get_by_role("link", name="API keys").click()
    page.locator("#id_name").fill("IOM data hub")
    page.get_by_label("Read public data").check()
    page.get_by_label("Read participants-level data").check()
    page.get_by_role("button", name="Create key").click()
    key = page.locator("code").first.inner_text()
    assert key.startswith("bpd_")
    assert_accessible(page)
    page.reload()
    expect(page.get_by_text("A key is shown only once")).to_be_visible()
    assert key not in page.content()
    assert_accessible(page)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke the key of IOM data hub").click()
    expect(page.get_by_text("is revoked: it works no more")).to_be_visible()
    assert ApiKey.objects.get(name="IOM data hub").revoked_at is not None
    # The refused name is answered 400, which the browser logs; nothing else may be.
    assert [e for e in page.js_errors if "status of 400" not in e] == []
