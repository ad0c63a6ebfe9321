"""In the browser: a two-day agenda under its day and session headings; moving an item with
the keyboard below another session's heading tells where it now belongs, in the page htmx
updated; copying the meeting opens the next one with the agenda's items."""

import datetime

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import AgendaItemFactory, MeetingFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_moves_an_item_into_the_afternoon_and_copies_the_meeting(page):
    meeting = MeetingFactory(
        sequence_number=24,
        title="24th Meeting of the Senior Officials of the Budapest Process",
        start_date=datetime.date(2017, 3, 1),
        end_date=datetime.date(2017, 3, 2),
        record_status=Meeting.RecordStatus.DRAFT,
    )
    rows = [
        ("Opening", datetime.date(2017, 3, 1), "Morning session", datetime.time(9, 30)),
        ("Reports", None, "", datetime.time(10)),
        ("Work plan", None, "Afternoon session", datetime.time(14)),
        ("Conclusions", datetime.date(2017, 3, 2), "Closing session", datetime.time(9)),
    ]
    for position, (title, day, session, start) in enumerate(rows, start=1):
        AgendaItemFactory(
            meeting=meeting,
            position=position,
            title=title,
            day=day,
            session_label=session,
            start_time=start,
        )
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")

    page.goto(f"/secretariat/meetings/{meeting.slug}/agenda/")
    agenda = page.locator("#agenda")
    expect(agenda.get_by_role("heading", name="Wednesday 1 March 2017")).to_be_visible()
    expect(agenda.get_by_role("heading", name="Thursday 2 March 2017")).to_be_visible()
    expect(agenda).to_contain_text("09:30")
    assert_accessible(page)
    screenshot(page, "workspace-agenda-days")

    page.get_by_role("button", name="Move “Reports” down").focus()
    page.keyboard.press("Enter")

    expect(page.locator("#ws-messages")).to_contain_text(
        "“Reports” now belongs to the session “Afternoon session” on Wednesday 1 March."
    )
    expect(page.locator("ol.ws-agenda > li").nth(2)).to_contain_text("Reports")
    assert not page.js_errors

    page.get_by_role("navigation", name="Meeting workspace").get_by_role(
        "link", name="Details"
    ).click()
    page.get_by_role("link", name="Copy this meeting…").click()
    expect(page.get_by_label("Start date")).to_have_value("2018-03-01")
    assert_accessible(page)
    page.get_by_role("button", name="Create the next meeting").click()

    page.get_by_role(
        "heading", name="25th Meeting of the Senior Officials of the Budapest Process"
    ).wait_for()
    copy = Meeting.objects.get(sequence_number=25)
    assert copy.status == Meeting.Status.PLANNED
    assert list(copy.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "Opening",
        "Work plan",
        "Reports",
        "Conclusions",
    ]
