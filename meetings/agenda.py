"""How an agenda reads: its days and sessions.

The secretariat sets a day on the first item of each day and a session label on the first
item of each session; an item without a day is held on the day of the item before it, and one
without a label continues the session before it (a new day starts with no session until one
is named). The public page, the agenda PDF and the workspace print a heading where the day or
the session changes, all from `agenda_headings`; a new order that puts an item in another
session is told of through `places_changed`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.formats import date_format


@dataclass(frozen=True)
class Place:
    """Where an item falls on the agenda: its day (None before any day is set) and session."""

    day: datetime.date | None
    session: str


def agenda_places(items: Iterable) -> list[Place]:
    """The place of each top-level item, in the order given."""
    day, session, places = None, "", []
    for item in items:
        if item.day and item.day != day:
            day, session = item.day, ""
        session = item.session_label or session
        places.append(Place(day, session))
    return places


def agenda_headings(items: Sequence) -> list[Place]:
    """For each top-level item in order, the headings printed before it: a day where the day
    changes and a session where the session (or the day) changes; None and "" elsewhere."""
    previous, headings = Place(None, ""), []
    for place in agenda_places(items):
        headings.append(
            Place(
                place.day if place.day != previous.day else None,
                place.session if place.session and place != previous else "",
            )
        )
        previous = place
    return headings


def places_changed(before: Sequence, after: Sequence) -> list[str]:
    """In words, the items that a new order (`after`, the same items as `before`) put in
    another session or on another day than before."""
    was = dict(zip((item.pk for item in before), agenda_places(before), strict=True))
    several_days = len({place.day for place in was.values()}) > 1
    notices = []
    for item, place in zip(after, agenda_places(after), strict=True):
        old = was[item.pk]
        if place == old:
            continue
        where = f"the session “{place.session}”" if place.session else "no session"
        if place.day and (several_days or place.day != old.day):
            where += f" on {date_format(place.day, 'l j F')}"
        notices.append(f"“{item.title}” now belongs to {where}.")
    return notices
