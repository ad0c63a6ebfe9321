"""An agenda of several days: its days and sessions as headings, its times in one format on
the public page, in the agenda PDF and in the workspace; an item's day inside the meeting's
dates; a move that puts an item in another session said in words; an item moved under another
parent from its edit page."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.formats import time_format
from pypdf import PdfReader

from meetings import documents, services
from meetings.models import AgendaItem, Document, Meeting
from tests.api.conftest import key_client
from tests.factories import AgendaItemFactory, MeetingFactory, UserFactory

DRAFT = Meeting.RecordStatus.DRAFT


@pytest.fixture
def two_days(db):
    """A meeting of 1 and 2 March 2017, its agenda in two sessions on the first day and one
    on the second. The items after the first of each day or session name neither."""
    meeting = MeetingFactory(
        start_date=datetime.date(2017, 3, 1),
        end_date=datetime.date(2017, 3, 2),
        record_status=DRAFT,
    )
    rows = [
        ("Opening", datetime.date(2017, 3, 1), "Morning session", (9, 30), (10, 0)),
        ("Reports", None, "", (10, 0), (12, 0)),
        ("Work plan", None, "Afternoon session", (14, 0), (15, 30)),
        ("Conclusions", datetime.date(2017, 3, 2), "Closing session", (9, 0), (11, 15)),
    ]
    for position, (title, day, session, start, end) in enumerate(rows, start=1):
        AgendaItemFactory(
            meeting=meeting,
            position=position,
            title=title,
            day=day,
            session_label=session,
            start_time=datetime.time(*start),
            end_time=datetime.time(*end),
        )
    return meeting


@pytest.fixture
def staff(client, db):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


def in_order(text: str, *parts: str) -> bool:
    found = [text.find(part) for part in parts]
    return -1 not in found and found == sorted(found)


def agenda_pdf_text(meeting, capture) -> str:
    with capture(execute=True):
        job = documents.document_request_render(meeting=meeting, kind=Document.Kind.AGENDA)
    job.refresh_from_db()
    with job.document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_two_day_agenda_shows_its_days_and_times_alike_in_the_page_and_the_pdf(
    client, staff, two_days, django_capture_on_commit_callbacks
):
    page = " ".join(
        client.get(reverse("meeting-detail", kwargs={"slug": two_days.slug}))
        .content.decode()
        .split()
    )
    pdf = agenda_pdf_text(two_days, django_capture_on_commit_callbacks)

    for text in (page, pdf):
        assert in_order(
            text,
            "Wednesday 1 March 2017",
            "Morning session",
            "09:30",
            "Opening",
            "Reports",
            "Afternoon session",
            "14:00",
            "Work plan",
            "Thursday 2 March 2017",
            "Closing session",
            "09:00",
            "11:15",
            "Conclusions",
        ), text
        # Each day and session once, however many items it holds; never "9:30 a.m.".
        assert text.count("Wednesday 1 March 2017") == 1
        assert text.count("Morning session") == 1
        assert "a.m." not in text and "p.m." not in text
    assert '09:30</time>–<time datetime="10:00">10:00' in page


def test_the_workspace_agenda_shows_the_days_sessions_and_times(client, staff, two_days):
    page = client.get(reverse("secretariat:meeting-agenda", kwargs={"slug": two_days.slug}))
    text = " ".join(page.content.decode().split())
    assert in_order(
        text,
        "Wednesday 1 March 2017",
        "Morning session",
        "09:30–10:00",
        "Opening",
        "Thursday 2 March 2017",
        "Closing session",
    )


def test_times_read_the_same_in_russian():
    with translation.override("ru"):
        assert time_format(datetime.time(9, 30)) == "09:30"


def test_an_item_is_held_on_one_of_the_meetings_days_and_ends_after_it_starts(two_days):
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_create(meeting=two_days, title="Late", day=datetime.date(2017, 3, 3))
    assert refused.value.message_dict == {
        "day": [
            "The meeting is held from 1 March 2017 to 2 March 2017: each item is on one of "
            "those days."
        ]
    }
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_create(
            meeting=two_days,
            title="No time at all",
            start_time=datetime.time(10),
            end_time=datetime.time(10),
        )
    assert refused.value.message_dict == {"end_time": ["The item ends after it starts."]}


def test_the_meeting_cannot_be_shortened_past_its_agendas_days(two_days):
    with pytest.raises(ValidationError) as refused:
        services.meeting_update(
            meeting=two_days,
            expected_version=two_days.version,
            changes={"end_date": datetime.date(2017, 3, 1)},
        )
    assert refused.value.message_dict == {
        "end_date": [
            "The agenda has items on 2 March 2017, outside these dates: change their day first."
        ]
    }


def test_the_add_form_refuses_a_day_outside_the_meeting_with_one_message(client, staff, two_days):
    response = client.post(
        reverse("secretariat:meeting-agenda", kwargs={"slug": two_days.slug}),
        {"title": "Excursion", "day": "2017-03-05", "start_time": "10:00", "end_time": "09:00"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["day"] == [
        "The meeting is held from 1 March 2017 to 2 March 2017: each item is on one of those days."
    ]
    assert form.errors["end_time"] == ["The item ends after it starts."]


def test_moving_an_item_below_another_sessions_heading_says_where_it_now_belongs(
    client, staff, two_days
):
    reports = two_days.agenda_items.get(title="Reports")
    move = reverse("secretariat:move", kwargs={"part": "agenda-item", "pk": reports.pk})

    page = client.post(move, {"direction": "down"}, HTTP_HX_REQUEST="true", follow=True)

    assert list(two_days.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "Opening",
        "Work plan",
        "Reports",
        "Conclusions",
    ]
    notices = [str(message) for message in page.context["messages"]]
    assert notices == [
        "“Reports” now belongs to the session “Afternoon session” on Wednesday 1 March."
    ]
    # The notice reaches the page when htmx swaps only the list: the messages swap too.
    assert 'hx-select-oob="#ws-messages"' in page.content.decode()


def test_a_move_within_a_session_says_nothing(client, staff, two_days):
    order = reverse("secretariat:order", kwargs={"part": "agenda-item"})
    ids = [
        two_days.agenda_items.get(title=title).pk
        for title in ("Opening", "Reports", "Work plan", "Conclusions")
    ]
    page = client.post(order, {"ids": ",".join(map(str, ids))}, follow=True)
    assert not list(page.context["messages"])


def test_an_items_edit_page_keeps_the_meetings_tabs_and_moves_it_under_another_item(
    client, staff, two_days
):
    opening, reports, work_plan = (
        two_days.agenda_items.get(title=title) for title in ("Opening", "Reports", "Work plan")
    )
    AgendaItemFactory(meeting=two_days, parent=work_plan, position=1, title="Budget")
    other = AgendaItemFactory(meeting=MeetingFactory(), title="Another meeting's item")
    edit = reverse("secretariat:edit", kwargs={"part": "agenda-item", "pk": reports.pk})

    page = client.get(edit)
    html = page.content.decode()
    assert two_days.title in html and 'aria-current="page"' in html
    assert 'href="/secretariat/meetings/' + two_days.slug + '/agenda/" aria-current="page"' in html
    choices = list(page.context["form"].fields["parent"].queryset)
    assert opening in choices and work_plan in choices
    assert reports not in choices and other not in choices

    response = client.post(
        edit,
        {"version": reports.version, "parent": work_plan.pk, "title": "Reports"},
    )

    assert response.status_code == 302
    reports.refresh_from_db()
    assert (reports.parent, reports.position) == (work_plan, 2)
    # The top-level list closed the gap it left.
    assert list(
        AgendaItem.objects.filter(meeting=two_days, parent=None)
        .order_by("position")
        .values_list("title", "position")
    ) == [("Opening", 1), ("Work plan", 2), ("Conclusions", 3)]


def test_the_api_gives_and_checks_an_items_day_and_times(two_days):
    writer = key_client("write")
    opening = two_days.agenda_items.get(title="Opening")
    data = writer.get(f"/api/v1/agenda-items/{opening.uid}/").json()
    assert (data["day"], data["start_time"], data["end_time"]) == (
        "2017-03-01",
        "09:30",
        "10:00",
    )

    refused = writer.post(
        "/api/v1/agenda-items/",
        {"meeting": str(two_days.uid), "title": "Excursion", "day": "2017-03-05"},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["day"] == [
        "The meeting is held from 1 March 2017 to 2 March 2017: each item is on one of those days."
    ]
