import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings.calendar import meetings_ical
from meetings.models import Meeting
from tests.factories import MeetingFactory, StateFactory

pytestmark = pytest.mark.django_db


def events(ical: bytes):
    calendar = Calendar.from_ical(ical)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_feed_is_a_calendar_with_one_all_day_event_per_meeting():
    turkey = StateFactory(name="Türkiye", iso_code="TR")
    meeting = MeetingFactory(
        title="24th Meeting of the Senior Officials",
        start_date=datetime.date(2016, 12, 15),
        end_date=datetime.date(2016, 12, 16),
        city="Antalya",
        host_country=turkey,
    )
    ical = meetings_ical([meeting], calendar_name="Budapest Process")

    assert ical.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = Calendar.from_ical(ical)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Budapest Process"
    event = events(ical)[f"{meeting.uid}@bpdialogue"]
    assert event["SUMMARY"] == "24th Meeting of the Senior Officials"
    assert event.decoded("DTSTART") == datetime.date(2016, 12, 15)
    # DTEND is exclusive: a meeting ending on the 16th ends at the start of the 17th.
    assert event.decoded("DTEND") == datetime.date(2016, 12, 17)
    assert b"DTSTART;VALUE=DATE:20161215" in ical
    assert event["LOCATION"] == "Antalya, Türkiye"
    assert event["STATUS"] == "CONFIRMED"
    assert "DTSTAMP" in event
    # Lines are folded at 75 octets as RFC 5545 requires.
    assert all(len(line) <= 75 for line in ical.split(b"\r\n"))


def test_cancelled_meeting_stays_in_the_feed_marked_cancelled():
    meeting = MeetingFactory(status=Meeting.Status.PLANNED)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()

    event = events(meetings_ical([meeting], calendar_name="x"))[f"{meeting.uid}@bpdialogue"]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_sequence_rises_when_date_or_place_changes_and_not_otherwise():
    meeting = MeetingFactory()
    assert Meeting.objects.get(pk=meeting.pk).calendar_sequence == 0

    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.title = "A better title"
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).calendar_sequence == 0

    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.start_date = meeting.end_date = datetime.date(2017, 1, 10)
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).calendar_sequence == 1

    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.venue = "Conference centre"
    meeting.save(update_fields=["venue"])
    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.calendar_sequence == 2

    event = events(meetings_ical([stored], calendar_name="x"))[f"{stored.uid}@bpdialogue"]
    assert event["SEQUENCE"] == 2
    assert event["LOCATION"] == "Conference centre, Antalya"


def test_uid_is_stable_across_edits():
    meeting = MeetingFactory()
    before = set(events(meetings_ical([meeting], calendar_name="x")))
    meeting.city = "Istanbul"
    meeting.save()
    after = set(events(meetings_ical([meeting], calendar_name="x")))
    assert before == after == {f"{meeting.uid}@bpdialogue"}


def test_the_data_note_stays_out_of_the_feed_and_off_the_home_page(client):
    note = "Headcounts are illustrative: the source gives only the total."
    meeting = MeetingFactory(
        topic="Return and reintegration",
        data_note=note,
        start_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    event = events(meetings_ical([meeting], calendar_name="Budapest Process"))[
        f"{meeting.uid}@bpdialogue"
    ]
    assert event["DESCRIPTION"] == "Return and reintegration"
    assert note not in client.get("/api/v1/meetings.ics").text
    assert note not in client.get("/").text
    # The meeting's own page keeps it, as a footnote at its end.
    page = client.get(meeting.get_absolute_url()).text
    assert f"{note}</p></aside>" in page and page.index(note) > page.index("Documents")
