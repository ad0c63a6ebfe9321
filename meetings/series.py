"""Starting the next meeting of a series from the last one: the same dialogue, kind and working
group, the next number and the agenda's skeleton, as a planned meeting with a draft record.

Who was invited is not carried over: an invitation round (meetings/invitations.py) is sent
for one meeting and its form already offers every member with a focal point, so there is no
stored selection to copy; the new meeting's Invitations tab starts from that default.
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.db.models import Max

from bpdialogue.text import ordinal

from .models import AgendaItem, Meeting
from .services import agenda_item_create, meeting_create

# What an item of the agenda's skeleton keeps: its wording and place, never what was recorded
# under it (the record, statements, presenters).
SKELETON_FIELDS = ("title", "session_label", "start_time", "end_time", "statement_layout")


def series_of(meeting: Meeting):
    """The meetings numbered in the same series as `meeting`."""
    return Meeting.objects.filter(
        dialogue_id=meeting.dialogue_id,
        kind=meeting.kind,
        working_group_id=meeting.working_group_id,
    )


def next_sequence_number(meeting: Meeting) -> int | None:
    """The number after the highest of the series; None for a series that is not numbered."""
    highest = series_of(meeting).aggregate(top=Max("sequence_number"))["top"]
    return highest + 1 if highest else None


def next_title(meeting: Meeting, number: int | None) -> str:
    """The title with the meeting's ordinal replaced by the next one ("24th Meeting of ..." →
    "25th Meeting of ..."); the title as it is when it holds no ordinal of the meeting."""
    if not (meeting.sequence_number and number):
        return meeting.title
    own = re.compile(rf"\b{re.escape(ordinal(meeting.sequence_number))}\b")
    return own.sub(ordinal(number), meeting.title, count=1)


def a_year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def meeting_copy_next(
    *, meeting: Meeting, start_date: datetime.date, end_date: datetime.date
) -> Meeting:
    """The next meeting of `meeting`'s series, planned on the dates given, with its agenda's
    items and sub-items (their titles, sessions and times; a day moves with the meeting's
    dates and is dropped if the new meeting has no such day)."""
    number = next_sequence_number(meeting)
    copy = meeting_create(
        dialogue=meeting.dialogue,
        kind=meeting.kind,
        working_group=meeting.working_group,
        sequence_number=number,
        title=next_title(meeting, number),
        start_date=start_date,
        end_date=end_date,
        visibility=meeting.visibility,
        status=Meeting.Status.PLANNED,
        record_status=Meeting.RecordStatus.DRAFT,
    )
    shift = start_date - meeting.start_date
    items = AgendaItem.objects.filter(meeting=meeting)
    copied: dict[int, AgendaItem] = {}
    # Top-level items first, so each sub-item finds its parent's copy; each list in order.
    for item in sorted(items, key=lambda item: (item.parent_id is not None, item.position)):
        day = item.day + shift if item.day else None
        copied[item.pk] = agenda_item_create(
            meeting=copy,
            parent=copied.get(item.parent_id),
            day=day if day and start_date <= day <= end_date else None,
            **{name: getattr(item, name) for name in SKELETON_FIELDS},
        )
    return copy
