"""Writes about meetings that touch more than one row or carry rules."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.text import slugify

from bpdialogue.text import ordinal

from .models import Meeting


def meeting_default_title(
    *, dialogue, kind: str, sequence_number: int | None, working_group=None
) -> str:
    """'24th Meeting of the Senior Officials of the Budapest Process' and its siblings."""
    if kind == Meeting.Kind.SENIOR_OFFICIALS:
        body = f"Meeting of the Senior Officials of the {dialogue.name}"
    elif kind == Meeting.Kind.WORKING_GROUP and working_group is not None:
        body = f"Meeting of the {working_group.name} of the {dialogue.name}"
    else:
        body = f"{Meeting.Kind(kind).label} of the {dialogue.name}"
    return f"{ordinal(sequence_number)} {body}" if sequence_number else body


def meeting_unique_slug(*, title: str, start_date: datetime.date) -> str:
    base = slugify(f"{title[:90]} {start_date.year}")[:110]
    slug, counter = base, 2
    while Meeting.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def meeting_create(*, dialogue, kind: str, start_date, end_date=None, title: str = "", **fields):
    """Create a meeting; a title and slug are derived when not given."""
    title = title or meeting_default_title(
        dialogue=dialogue,
        kind=kind,
        sequence_number=fields.get("sequence_number"),
        working_group=fields.get("working_group"),
    )
    meeting = Meeting(
        dialogue=dialogue,
        kind=kind,
        title=title,
        start_date=start_date,
        end_date=end_date or start_date,
        slug=fields.pop("slug", None) or meeting_unique_slug(title=title, start_date=start_date),
        **fields,
    )
    meeting.full_clean()
    meeting.save()
    return meeting
