"""Meetings as an iCalendar (RFC 5545) feed: the API's `/api/v1/meetings.ics` and the
delegates' personal calendar both answer with `meetings_ical_response`.

Each meeting is one all-day VEVENT keyed on the meeting's public uid, so a calendar client
updates its copy instead of adding a second one. `SEQUENCE` is `Meeting.calendar_sequence`,
which the model raises whenever the date, the place or the status changes; clients only
replace an event whose sequence rose. Cancelled meetings stay in the feed with
`STATUS:CANCELLED`, which is how a subscriber learns of the cancellation at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils import timezone

from .models import Meeting

if TYPE_CHECKING:
    from icalendar import Calendar, Event

# icalendar is imported where a feed is written, not with this module: meeting_location is
# read on every meeting page, and icalendar's 80 modules would sit in every web worker.

PRODID = "-//bpdialogue//Meetings//EN"
UID_DOMAIN = "bpdialogue"

_STATUS = {
    Meeting.Status.PLANNED: "TENTATIVE",
    Meeting.Status.POSTPONED: "TENTATIVE",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def meeting_location(meeting: Meeting) -> str:
    """'Hotel X, Antalya, Türkiye': venue, city and host country as far as they are known.
    Uses `host_country` as loaded; select it with the meetings to avoid a query each."""
    country = meeting.host_country.name if meeting.host_country_id else ""
    return ", ".join(part for part in (meeting.venue, meeting.city, country) if part)


def meeting_event(meeting: Meeting, *, url: str | None = None) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"{meeting.uid}@{UID_DOMAIN}")
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("last-modified", meeting.updated_at or timezone.now())
    event.add("created", meeting.created_at or timezone.now())
    event.add("sequence", meeting.calendar_sequence)
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.start_date)
    # All-day events end on the day after the last day (DTEND is exclusive).
    event.add("dtend", meeting.end_date + datetime.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("status", _STATUS.get(meeting.status, "CONFIRMED"))
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    # The topic only: the data note is the secretariat's remark on the data (an illustrative
    # headcount), a footnote on the page, not news for everyone's calendar.
    if meeting.topic:
        event.add("description", meeting.topic)
    if url:
        event.add("url", url)
    return event


def meetings_ical(
    meetings: Iterable[Meeting],
    *,
    calendar_name: str,
    url_for: Callable[[Meeting], str] | None = None,
) -> bytes:
    """The meetings as one VCALENDAR. Filter `meetings` through the access policy first;
    `url_for` (optional) gives each event an absolute link to the meeting's page."""
    calendar = _calendar(calendar_name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, url=url_for(meeting) if url_for else None))
    return calendar.to_ical()


def _calendar(name: str) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    return calendar


def action_points_ical(
    points: Iterable, *, calendar_name: str, url_for: Callable | None = None
) -> bytes:
    """Action points' due dates as all-day events (those without a date are left out), each
    keyed on the point's uid so a subscriber's copy moves with a new due date. `points` come
    through the access policy, with their meeting loaded; `url_for` links each to a page."""
    from icalendar import Event

    calendar = _calendar(calendar_name)
    for point in points:
        if point.due_date is None:
            continue
        event = Event()
        event.add("uid", f"{point.uid}@{UID_DOMAIN}")
        event.add("dtstamp", point.updated_at or timezone.now())
        event.add("sequence", point.version)
        event.add("summary", f"Due: {point.text[:120]}")
        event.add("dtstart", point.due_date)
        event.add("dtend", point.due_date + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        # A dropped point is withdrawn from the subscribers' calendars, as a cancelled meeting.
        event.add("status", "CANCELLED" if point.status == "dropped" else "CONFIRMED")
        event.add(
            "description",
            f"Agreed at {point.meeting.title}. Status: {point.get_status_display()}."
            + (f" As agreed: {point.due_text}." if point.due_text else ""),
        )
        if point.place:
            event.add("location", point.place)
        if url_for:
            event.add("url", url_for(point))
        calendar.add_component(event)
    return calendar.to_ical()


def meetings_ical_response(
    request, meetings: Iterable[Meeting], *, calendar_name: str, headers: dict | None = None
) -> HttpResponse:
    """The feed as a response, each event linking to the meeting's page on this site."""
    body = meetings_ical(
        meetings,
        calendar_name=calendar_name,
        url_for=lambda meeting: request.build_absolute_uri(meeting.get_absolute_url()),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8", headers=headers)
