"""Who changed what in a meeting, and when: the meeting's change history with field diffs."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy

from bpdialogue.translations import translated_fields
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    Document,
    Meeting,
    Statement,
)

# Bookkeeping, not content: never shown as a change.
IGNORED = {"version", "updated_at", "created_at", "calendar_sequence", "uid"}
KINDS = {
    "+": pgettext_lazy("history", "created"),
    "~": pgettext_lazy("history", "changed"),
    "-": pgettext_lazy("history", "deleted"),
}


@dataclass
class Entry:
    when: object
    who: str
    what: str
    label: str
    kind: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _label(record) -> str:
    for name in ("title", "text"):
        value = getattr(record, name, None)
        if value:
            return value[:90]
    participant = getattr(record, "participant", None)
    return str(participant) if participant else ""


def _shown(value) -> str:
    return "—" if value in (None, "") else str(value)[:300]


def meeting_history(meeting: Meeting, limit: int = 200) -> list[Entry]:
    """The newest `limit` changes to the meeting and its parts, each compared with the
    version before it. A fixed number of queries: one per kind of part."""
    item_ids = set(AgendaItem.history.filter(meeting_id=meeting.pk).values_list("id", flat=True))
    sources = [
        Meeting.history.filter(id=meeting.pk),
        AgendaItem.history.filter(meeting_id=meeting.pk),
        Statement.history.filter(agenda_item_id__in=item_ids),
        Delegation.history.filter(meeting_id=meeting.pk).select_related("participant"),
        Conclusion.history.filter(meeting_id=meeting.pk),
        ActionPoint.history.filter(meeting_id=meeting.pk),
        Document.history.filter(meeting_id=meeting.pk),
    ]
    entries = []
    for source in sources:
        records = list(source.select_related("history_user").order_by("id", "history_date"))
        model = source.model.instance_type
        # A translated field shows as its language columns ("Title [ru]"); the field itself
        # only reads them in the active language.
        shadows = set(translated_fields(model))
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if f.name not in IGNORED
            and f.name not in shadows
            and f.editable
            and f.name != model._meta.pk.name
        ]
        previous = None
        for record in records:
            entry = Entry(
                when=record.history_date,
                who=record.history_user.get_username()
                if record.history_user
                else gettext("system"),
                what=str(model._meta.verbose_name),
                label=_label(record),
                kind=KINDS[record.history_type],
            )
            if record.history_type == "~" and previous is not None and previous.id == record.id:
                delta = record.diff_against(previous, included_fields=fields)
                entry.changes = [
                    (
                        capfirst(model._meta.get_field(c.field).verbose_name),
                        _shown(c.old),
                        _shown(c.new),
                    )
                    for c in delta.changes
                    # A translation column added empty (NULL) and later saved blank ('').
                    if _shown(c.old) != _shown(c.new)
                ]
            previous = record
            entries.append(entry)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
