"""The secretariat records a meeting in a real browser, from an empty meeting to its
published record."""

import re

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from projects.models import Project
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import DialogueFactory, MembershipFactory, StateFactory, UserFactory
from workplans.models import Workplan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tab(page, name):
    page.get_by_role("navigation", name="Meeting workspace").get_by_role("link", name=name).click()
    page.wait_for_load_state()


def agenda_titles(page):
    return [
        re.sub(r"^\d+\.\s*", "", t).strip()
        for t in page.locator("ol.ws-agenda > li > .ws-row .ws-row__title").all_inner_texts()
    ]


def test_a_secretariat_user_records_a_meeting_in_the_browser(page):
    dialogue = DialogueFactory(name="Budapest Process")
    for name in ("Afghanistan", "Pakistan", "Türkiye"):
        MembershipFactory(dialogue=dialogue, participant=StateFactory(name=name, sort_name=name))
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")
    page.goto("/secretariat/")
    assert_accessible(page)

    # A new meeting: the title is derived from its kind and sequence number.
    page.get_by_role("link", name="New meeting").first.click()
    page.get_by_label("Dialogue").select_option(label="Budapest Process")
    page.get_by_label("Kind").select_option("senior_officials")
    page.get_by_label("Sequence number").fill("25")
    page.get_by_label("Start date").fill("2017-12-12")
    page.get_by_label("End date").fill("2017-12-11")
    page.get_by_role("button", name="Create meeting").click()
    assert "The meeting cannot end before it starts." in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("End date").fill("2017-12-12")
    page.get_by_label("City").fill("Istanbul")
    page.get_by_role("button", name="Create meeting").click()
    page.get_by_role("heading", name="25th Meeting of the Senior Officials of the Budapest Process")

    # The agenda: three items, then reordered with the keyboard and by dragging.
    for title in ("Opening statements", "Closing remarks", "Return and reintegration"):
        page.get_by_label("Title").fill(title)
        page.get_by_role("button", name="Add item").click()
    assert agenda_titles(page) == [
        "Opening statements",
        "Closing remarks",
        "Return and reintegration",
    ]
    page.get_by_role("button", name="Move “Return and reintegration” up").focus()
    page.keyboard.press("Enter")
    expect(page.locator("ol.ws-agenda > li").nth(1)).to_contain_text("Return")
    assert page.evaluate("document.activeElement.id").startswith("up-agenda-item-")
    handles = page.locator("ol.ws-agenda > li")
    # Dropped on the lower half of the last item: it goes after it.
    last = handles.nth(2).bounding_box()
    with page.expect_response(lambda response: "/secretariat/order/" in response.url):
        handles.nth(0).drag_to(handles.nth(2), target_position={"x": 30, "y": last["height"] - 4})
    expect(page.locator("ol.ws-agenda > li").nth(2)).to_contain_text("Opening")
    meeting = Meeting.objects.get(sequence_number=25)
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "Return and reintegration",
        "Closing remarks",
        "Opening statements",
    ]
    assert_accessible(page)
    screenshot(page, "workspace-agenda")

    # Attendance: ticking a box saves the row and updates the totals at once.
    _tab(page, "Attendance")
    page.get_by_label("Afghanistan attended").check()
    expect(page.locator("#attendance-totals")).to_contain_text("1 participant from 1 country")
    page.get_by_label("Headcount of Afghanistan", exact=True).fill("3")
    page.get_by_label("Headcount of Afghanistan", exact=True).press("Tab")
    expect(page.locator("#attendance-totals")).to_contain_text("3 participants from 1 country")
    page.get_by_label("Pakistan attended").check()
    expect(page.locator("#attendance-totals")).to_contain_text("4 participants from 2 countries")
    assert_accessible(page)
    screenshot(page, "workspace-attendance")

    # The record: a narrative with its preview, and a statement.
    _tab(page, "Record")
    page.get_by_label("Narrative (Markdown)").first.fill("The Chair opened the **meeting**.")
    page.locator(".ws-preview strong").first.wait_for()
    page.get_by_role("button", name="Save narrative").first.click()
    page.locator("summary").first.click()
    speakers = page.get_by_label("Speakers").first
    speakers.fill("Afgh")
    speakers.press("Enter")
    page.get_by_label("Text").first.fill("Afghanistan welcomed the new framework.")
    page.get_by_role("button", name="Add statement").first.click()
    assert (
        "Afghanistan: Afghanistan welcomed the new framework." in page.locator("main").inner_text()
    )
    assert_accessible(page)

    # A conclusion and an action point.
    _tab(page, "Conclusions and action points")
    page.get_by_text("Add a conclusion").click()
    page.locator("#id_conclusion-text").fill("The Senior Officials welcomed the workplan.")
    page.get_by_role("button", name="Add conclusion").click()
    page.get_by_text("Add an action point").click()
    page.locator("#id_action-text").fill("Hold a consultation on return.")
    page.locator("#id_action-due_text").fill("early next year")
    page.get_by_label("Responsible participants").fill("Afgh")
    page.get_by_label("Responsible participants").press("Enter")
    page.get_by_role("button", name="Add action point").click()
    main = page.locator("main").inner_text()
    assert "The Senior Officials welcomed the workplan." in main
    assert "Hold a consultation on return." in main
    assert_accessible(page)

    # A working copy of the Summary/conclusions, generated from the record: marked DRAFT,
    # and not publishable by itself.
    _tab(page, "Documents")
    page.locator("#id_generate-kind").select_option(label="Summary/conclusions")
    page.get_by_role("button", name="Generate").click()
    download = page.get_by_role("link", name="Download Summary/conclusions")
    download.wait_for()
    pdf = page.request.get(download.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.reload()
    assert "DRAFT working copy" in page.locator("main").inner_text()
    assert page.locator("form button[value=publish]").count() == 0
    assert_accessible(page)

    # The workflow to publication, with who and when; publishing is confirmed first and
    # issues the final PDF with the record.
    for button in ("Send for review", "Mark adopted"):
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
    page.get_by_role("link", name="Publish the record…").click()
    assert "Publish revision 1" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Publish revision 1").click()
    page.wait_for_load_state()
    assert "by clerk" in page.locator(".ws-workflow").inner_text()
    meeting.refresh_from_db()
    assert meeting.record_status == Meeting.RecordStatus.PUBLISHED
    issued = meeting.documents.get(kind="summary", issued_at__isnull=False)
    assert issued.published_at is not None
    _tab(page, "Documents")
    assert "issued revision 1" in page.locator("main").inner_text()
    screenshot(page, "workspace-documents")

    _tab(page, "History")
    assert "clerk" in page.locator("main").inner_text()
    assert_accessible(page)
    # The one refused form (end before start) answers 400, which Chromium logs.
    assert [e for e in page.js_errors if "status of 400" not in e] == []


def test_workspace_pages_at_tablet_width_are_accessible(page, demo):
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")
    page.goto("/secretariat/")
    screenshot(page, "workspace-dashboard")
    page.set_viewport_size({"width": 768, "height": 1024})
    base = f"/secretariat/meetings/{demo.slug}/"
    for path, shot in (
        ("/secretariat/", None),
        (base, "workspace-details"),
        (f"{base}agenda/", None),
        (f"{base}attendance/", None),
        (f"{base}record/", "workspace-record"),
        (f"{base}conclusions/", "workspace-conclusions"),
        (f"/secretariat/edit/agenda-item/{demo.agenda_items.first().pk}/", None),
        ("/secretariat/projects/", None),
        (f"/secretariat/projects/{Project.objects.first().slug}/", None),
        ("/secretariat/workplans/", None),
        (f"/secretariat/workplans/{Workplan.objects.first().pk}/", None),
    ):
        page.goto(path)
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 768, path
        if shot:
            screenshot(page, shot)
    assert page.js_errors == []
