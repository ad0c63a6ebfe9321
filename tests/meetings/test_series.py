"""Copying a meeting: the next meeting of its series, planned, with the agenda's skeleton."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from meetings import series
from meetings.models import Meeting
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    StateFactory,
    StatementFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def the_24th():
    """The 24th Senior Officials meeting, held and published, its agenda with a sub-item,
    a record, a statement and presenters; the 23rd before it."""
    meeting = MeetingFactory(
        sequence_number=24,
        title="24th Meeting of the Senior Officials of the Budapest Process",
        start_date=datetime.date(2016, 12, 15),
        end_date=datetime.date(2016, 12, 16),
        visibility="public",
    )
    MeetingFactory(dialogue=meeting.dialogue, sequence_number=23, title="23rd Meeting")
    opening = AgendaItemFactory(
        meeting=meeting,
        position=1,
        title="Opening statements",
        session_label="Opening session",
        day=datetime.date(2016, 12, 15),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(10),
        record="Opening statements were made.",
    )
    opening.presenters.set([StateFactory()])
    StatementFactory(agenda_item=opening, position=1, text="Turkey highlighted the dialogue.")
    work_plan = AgendaItemFactory(
        meeting=meeting, position=2, title="Work plan for 2017", day=datetime.date(2016, 12, 16)
    )
    AgendaItemFactory(meeting=meeting, parent=work_plan, position=1, title="Budget")
    return meeting


def test_the_copy_is_the_next_planned_meeting_with_the_agendas_skeleton(the_24th):
    copy = series.meeting_copy_next(
        meeting=the_24th,
        start_date=datetime.date(2017, 12, 14),
        end_date=datetime.date(2017, 12, 15),
    )

    assert copy.sequence_number == 25
    assert copy.title == "25th Meeting of the Senior Officials of the Budapest Process"
    assert (copy.dialogue, copy.kind, copy.working_group) == (
        the_24th.dialogue,
        Meeting.Kind.SENIOR_OFFICIALS,
        None,
    )
    assert copy.status == Meeting.Status.PLANNED
    assert copy.record_status == Meeting.RecordStatus.DRAFT
    assert (copy.start_date, copy.end_date) == (
        datetime.date(2017, 12, 14),
        datetime.date(2017, 12, 15),
    )
    # Top-level items first on every database (PostgreSQL sorts NULL last).
    items = list(copy.agenda_items.order_by(F("parent_id").asc(nulls_first=True), "position"))
    assert [
        (item.title, item.parent.title if item.parent else None, item.day) for item in items
    ] == [
        ("Opening statements", None, datetime.date(2017, 12, 14)),
        ("Work plan for 2017", None, datetime.date(2017, 12, 15)),
        ("Budget", "Work plan for 2017", None),
    ]
    opening = items[0]
    assert (opening.session_label, opening.start_time, opening.end_time) == (
        "Opening session",
        datetime.time(9, 30),
        datetime.time(10),
    )
    # A skeleton: nothing that was recorded under the items.
    assert not any(item.record for item in items)
    assert not any(item.statements.exists() or item.presenters.exists() for item in items)
    # The meeting copied from is as it was.
    assert the_24th.agenda_items.get(title="Opening statements").statements.count() == 1


@pytest.mark.parametrize(
    ("number", "title", "expected"),
    [
        (1, "1st Meeting of the Working Group", "2nd Meeting of the Working Group"),
        (2, "2nd Meeting", "3rd Meeting"),
        (10, "10th Meeting", "11th Meeting"),
        (11, "11th Meeting", "12th Meeting"),
        (12, "12th Meeting", "13th Meeting"),
        (20, "20th Meeting", "21st Meeting"),
        (21, "21st Meeting", "22nd Meeting"),
        (22, "22nd Meeting", "23rd Meeting"),
        (110, "110th Meeting", "111th Meeting"),
        (3, "Thematic meeting on return", "Thematic meeting on return"),
    ],
)
def test_the_title_follows_with_the_next_english_ordinal(number, title, expected):
    meeting = MeetingFactory(sequence_number=number, title=title)
    assert series.next_title(meeting, series.next_sequence_number(meeting)) == expected


def test_a_working_groups_series_is_numbered_apart_and_an_unnumbered_one_stays_so():
    group = WorkingGroupFactory()
    other_group = WorkingGroupFactory(dialogue=group.dialogue)
    kind = Meeting.Kind.WORKING_GROUP
    meeting = MeetingFactory(
        dialogue=group.dialogue, kind=kind, working_group=group, sequence_number=3
    )
    MeetingFactory(dialogue=group.dialogue, kind=kind, working_group=other_group, sequence_number=9)
    MeetingFactory(dialogue=group.dialogue, sequence_number=30)  # Senior Officials
    assert series.next_sequence_number(meeting) == 4

    unnumbered = MeetingFactory(kind=Meeting.Kind.CONSULTATION, title="Consultation")
    copy = series.meeting_copy_next(
        meeting=unnumbered,
        start_date=datetime.date(2018, 3, 1),
        end_date=datetime.date(2018, 3, 1),
    )
    assert (copy.sequence_number, copy.title) == (None, "Consultation")
    assert copy.slug != unnumbered.slug


def test_a_year_later_keeps_the_day_or_takes_the_last_of_february():
    assert series.a_year_later(datetime.date(2016, 12, 15)) == datetime.date(2017, 12, 15)
    assert series.a_year_later(datetime.date(2016, 2, 29)) == datetime.date(2017, 2, 28)


@pytest.fixture
def staff(client):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


def test_the_workspace_asks_for_the_dates_then_opens_the_new_meeting(client, staff, the_24th):
    details = reverse("secretariat:meeting-details", kwargs={"slug": the_24th.slug})
    copy_url = reverse("secretariat:meeting-copy", kwargs={"slug": the_24th.slug})
    assert copy_url in client.get(details).content.decode()

    page = client.get(copy_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "25th Meeting of the Senior Officials of the Budapest Process" in html
    assert 'value="2017-12-15"' in html and 'value="2017-12-16"' in html

    refused = client.post(copy_url, {"start_date": "2017-12-15", "end_date": "2017-12-01"})
    assert refused.status_code == 400
    assert refused.context["form"].errors["end_date"] == [
        "The meeting cannot end before it starts."
    ]
    assert not Meeting.objects.filter(sequence_number=25).exists()

    response = client.post(copy_url, {"start_date": "2017-12-15", "end_date": "2017-12-16"})

    copy = Meeting.objects.get(sequence_number=25)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "secretariat:meeting-details", kwargs={"slug": copy.slug}
    )
    assert copy.agenda_items.count() == 3
    assert copy.status == Meeting.Status.PLANNED


def test_copying_is_for_the_secretariat_only(client, the_24th):
    copy_url = reverse("secretariat:meeting-copy", kwargs={"slug": the_24th.slug})
    client.force_login(UserFactory())
    assert client.get(copy_url).status_code == 403
    assert client.post(copy_url, {"start_date": "2017-12-15"}).status_code == 403
    assert not Meeting.objects.filter(sequence_number=25).exists()
