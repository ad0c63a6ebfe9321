"""Participants' names in a search query (settings.SEARCH_NAME_GROUPS, bpdialogue/search.py):
a name stands for every name its participant has had, in every language."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from bpdialogue.search import folded
from bpdialogue.translations import columns

from .models import Participant, ParticipantName


def name_groups(query: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """Finds the participants' names in `query` (folded: current, earlier or sort names, in
    any language, whole words, longest first), and returns the query without them and, for
    each participant named, every name it has had. One query."""
    names: dict[int, set[str]] = {}
    spoken: set[tuple[str, int]] = set()
    current = columns(Participant, ["name", "sort_name"])
    dated = columns(ParticipantName, ["name", "sort_name"])
    # Plain querysets: modeltranslation's reorder a values_list's columns, which a union
    # of two of them would pair wrongly.
    every_name = (
        QuerySet(Participant)
        .order_by()
        .values_list("id", *current)
        .union(QuerySet(ParticipantName).order_by().values_list("participant_id", *dated))
    )
    # The columns in the same order on both sides: the names first, then the sort names.
    name_count = len(columns(Participant, ["name"]))
    for participant_id, *texts in every_name:
        names.setdefault(participant_id, set()).update(t for t in texts[:name_count] if t)
        spoken.update((folded(text), participant_id) for text in texts if text)
    rest = query
    groups: list[tuple[str, ...]] = []
    for spoken_name, participant_id in sorted(spoken, key=lambda n: (-len(n[0]), n)):
        pattern = re.compile(rf"(?<!\w){re.escape(spoken_name)}(?!\w)")
        if pattern.search(rest):
            rest = pattern.sub(" ", rest)
            group = tuple(sorted(names[participant_id]))
            if group not in groups:
                groups.append(group)
    return " ".join(rest.split()), tuple(groups)
