"""Presenters are picked from a filter box with the keyboard, in the order wanted, and a
stray click does not undo the choice."""

import pytest
from playwright.sync_api import expect

from meetings import services
from meetings.models import Meeting
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import MeetingFactory, StateFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_presenters_are_picked_with_the_keyboard_and_kept_in_that_order(page):
    meeting = MeetingFactory(slug="picking", record_status=Meeting.RecordStatus.DRAFT)
    for name in ("Austria", "Hungary", "Pakistan", "Turkey"):
        state = StateFactory(name=name)
        if name != "Pakistan":
            services.delegation_set(meeting=meeting, participant=state, attended=True)
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")
    page.goto("/secretariat/meetings/picking/agenda/")

    page.get_by_label("Title").fill("Return and reintegration")
    presenters = page.get_by_label("Presenters")
    presenters.fill("hung")
    presenters.press("Enter")
    presenters.fill("TUR")
    presenters.press("Enter")
    chips = page.locator(".picker__chosen li label")
    expect(chips).to_have_text(["Hungary", "Turkey"])

    # Stray clicks: on a group's heading, on a chip's name, on the list's edge.
    page.locator(".picker__group").first.click()
    chips.first.click()
    page.locator(".picker__options").click(position={"x": 2, "y": 2})
    expect(chips).to_have_text(["Hungary", "Turkey"])
    screenshot(page, "workspace-picker")
    # Backspace in the empty box takes back the last one; the arrow keys and Enter pick
    # from the list.
    presenters.press("Backspace")
    expect(chips).to_have_text(["Hungary"])
    presenters.fill("tur")
    presenters.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(chips).to_have_text(["Hungary", "Turkey"])
    expect(page.locator(".picker__group", has_text="At this meeting")).to_be_hidden()
    assert_accessible(page)

    page.get_by_role("button", name="Add item").click()
    page.wait_for_load_state()

    assert "Return and reintegration — Hungary, Turkey" in page.locator("main").inner_text()
    assert not page.js_errors


def test_without_the_script_the_picker_is_a_list_of_checkboxes(browser, live_server):
    meeting = MeetingFactory(slug="plain", record_status=Meeting.RecordStatus.DRAFT)
    for name in ("Hungary", "Turkey"):
        services.delegation_set(meeting=meeting, participant=StateFactory(name=name), attended=True)
    UserFactory(username="clerk", secretariat=True)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    login(page, "clerk")
    page.goto("/secretariat/meetings/plain/agenda/")

    expect(page.locator(".picker__filter")).to_be_hidden()
    page.get_by_label("Title").fill("Opening")
    page.get_by_role("checkbox", name="Turkey").check()
    page.get_by_role("checkbox", name="Hungary").check()
    page.get_by_role("button", name="Add item").click()
    page.wait_for_load_state()

    # Without the script the order is the list's.
    assert "Opening — Hungary, Turkey" in page.locator("main").inner_text()
    context.close()
