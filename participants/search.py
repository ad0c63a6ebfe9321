"""Participants' names in a search query (settings.SEARCH_NAME_GROUPS, bpdialogue/search.py):
a name stands for every name its participant has had, in every language."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from bpdialogue.search import folded
from bpdialogue.translations import columns

from .models import Participant, ParticipantName

# The names as last read, and what was made of them (one per process).
_read: tuple[list, tuple] | None = None


def _names() -> tuple[list[tuple[str, int]], dict[int, tuple[str, ...]]]:
    """Every name a participant has had, folded, longest first, with its participant; and
    each participant's names as written. One query; folded and sorted again only when the
    names differ from the last ones read."""
    global _read
    current = columns(Participant, ["name", "sort_name"])
    dated = columns(ParticipantName, ["name", "sort_name"])
    # Plain querysets: modeltranslation's reorder a values_list's columns, which a union
    # of two of them would pair wrongly.
    rows = list(
        QuerySet(Participant)
        .order_by()
        .values_list("id", *current)
        .union(QuerySet(ParticipantName).order_by().values_list("participant_id", *dated))
    )
    rows.sort(key=lambda row: tuple(str(value) for value in row))
    if _read is not None and _read[0] == rows:
        return _read[1]
    names: dict[int, set[str]] = {}
    spoken: set[tuple[str, int]] = set()
    # The columns in the same order on both sides: the names first, then the sort names.
    name_count = len(columns(Participant, ["name"]))
    for participant_id, *texts in rows:
        names.setdefault(participant_id, set()).update(t for t in texts[:name_count] if t)
        spoken.update((folded(text), participant_id) for text in texts if text)
    result = (
        sorted(spoken, key=lambda n: (-len(n[0]), n)),
        {participant_id: tuple(sorted(group)) for participant_id, group in names.items()},
    )
    _read = (rows, result)
    return result


def name_groups(query: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """Finds the participants' names in `query` (folded: current, earlier or sort names, in
    any language, whole words, longest first), and returns the query without them and, for
    each participant named, every name it has had."""
    spoken, names = _names()
    rest = query
    groups: list[tuple[str, ...]] = []
    for spoken_name, participant_id in spoken:
        if spoken_name not in rest:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(spoken_name)}(?!\w)")
        if pattern.search(rest):
            rest = pattern.sub(" ", rest)
            if names[participant_id] not in groups:
                groups.append(names[participant_id])
    return " ".join(rest.split()), tuple(groups)
