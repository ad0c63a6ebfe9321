"""A published record, frozen: the rows of a meeting's record as its issued Summary/conclusions
printed them, kept in `RecordRevision.snapshot` and read back as unsaved model instances.

While a record is reopened for correction, the secretariat edits the live rows; everyone else
reads the last revision through `published_record`, so the page, the API and the issued PDF
keep saying the same thing until the corrected record is published. The trail of the record's
statuses (who moved it where, and why) is written by `record_transition_write`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core import serializers
from django.utils import timezone

from bpdialogue.events import event_emit
from bpdialogue.translations import columns
from participants.models import Participant, dated_names

from .models import (
    CHOSEN_ORDER,
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    Meeting,
    RecordRevision,
    RecordTransition,
    Statement,
    in_chosen_order,
    set_prefetched,
)

RECORD_MODELS = (AgendaItem, Statement, Delegation, Conclusion, ActionPoint)


def record_snapshot(*, meeting: Meeting) -> dict:
    """The record's rows as JSON-ready data: the meeting's record fields, agenda items,
    statements, delegations, conclusions and action points, with their many-to-many links."""
    rows = [
        *AgendaItem.objects.filter(meeting=meeting).prefetch_related(in_chosen_order("presenters")),
        *Statement.objects.filter(agenda_item__meeting=meeting).prefetch_related(
            in_chosen_order("speakers")
        ),
        *Delegation.objects.filter(meeting=meeting),
        *Conclusion.objects.filter(meeting=meeting),
        *ActionPoint.objects.filter(meeting=meeting).prefetch_related(
            in_chosen_order("responsible")
        ),
    ]
    # A translated field in every language's column (`title_en`, `title_ru`): each language's
    # published text is part of the record.
    fields = columns(Meeting, Meeting.RECORD_FIELDS)
    own = json.loads(serializers.serialize("json", [meeting], fields=fields))
    serialized = json.loads(serializers.serialize("json", rows))
    # Django's serializer leaves out lists with a through model of their own; the snapshot
    # keeps them as it did before they had an order (the participants' pks), now in order.
    for row, data in zip(rows, serialized, strict=True):
        for name in CHOSEN_ORDER:
            if name in getattr(row, "_prefetched_objects_cache", {}):
                data["fields"][name] = [participant.pk for participant in getattr(row, name).all()]
    return {"meeting": own[0]["fields"], "rows": serialized}


def snapshot_hash(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class PublishedRecord:
    """A revision's rows, ready for the page, the API and the attendance paragraph. Each
    instance carries its related rows as prefetched, so reading it runs no query."""

    revision: RecordRevision
    agenda_items: list[AgendaItem]
    delegations: list[Delegation]
    conclusions: list[Conclusion]
    action_points: list[ActionPoint]

    def apply_to(self, meeting: Meeting) -> Meeting:
        """`meeting` with its record fields and related rows as this revision has them."""
        for name, value in self.revision.snapshot["meeting"].items():
            field = Meeting._meta.get_field(name)
            setattr(meeting, field.attname, field.to_python(value))
        set_prefetched(meeting, "agenda_items", self.agenda_items)
        set_prefetched(meeting, "delegations", self.delegations)
        set_prefetched(meeting, "conclusions", self.conclusions)
        set_prefetched(meeting, "action_points", self.action_points)
        return meeting


def record_transition_write(*, meeting: Meeting, to_status: str, by, reason: str) -> None:
    RecordTransition.objects.create(
        meeting=meeting,
        from_status=meeting.record_status,
        to_status=to_status,
        by=by if getattr(by, "pk", None) else None,
        reason=reason,
    )
    meeting.record_status = to_status
    meeting.record_status_changed_at = timezone.now()
    meeting.record_status_changed_by = by if getattr(by, "pk", None) else None
    if by is not None and getattr(by, "pk", None):
        meeting._history_user = by
    meeting.save()
    if to_status in (Meeting.RecordStatus.PUBLISHED, Meeting.RecordStatus.REOPENED):
        event_emit(f"record.{to_status}", meeting)


def latest_revision(*, meeting: Meeting) -> RecordRevision | None:
    return meeting.revisions.order_by("-number").first()


def published_record(*, meeting: Meeting) -> PublishedRecord | None:
    """The meeting's last published revision, as instances. Four queries: the revision, the
    participants it names (with their dated names, so the record names them as it did) and
    the action points' progress."""
    revision = latest_revision(meeting=meeting)
    if revision is None:
        return None
    # Revisions kept before delegations lost their people to registrations still name them
    # ("delegates"): personal data was never part of the published record, so it is skipped.
    decoded = list(
        serializers.deserialize("python", revision.snapshot["rows"], ignorenonexistent=True)
    )
    participant_ids = set()
    for row in decoded:
        participant_ids.update(row.m2m_data.get("speakers", ()))
        participant_ids.update(row.m2m_data.get("presenters", ()))
        participant_ids.update(row.m2m_data.get("responsible", ()))
        if isinstance(row.object, Delegation):
            participant_ids.add(row.object.participant_id)
    participants = Participant.objects.prefetch_related(dated_names()).in_bulk(participant_ids)
    by_model: dict[type, list] = {model: [] for model in RECORD_MODELS}
    for row in decoded:
        obj = row.object
        for name, pks in row.m2m_data.items():
            set_prefetched(obj, name, [participants[pk] for pk in pks if pk in participants])
        if isinstance(obj, Delegation):
            obj.participant = participants.get(obj.participant_id)
        by_model[type(obj)].append(obj)
    items = {item.pk: item for item in by_model[AgendaItem]}
    statements: dict[int, list] = {pk: [] for pk in items}
    for statement in sorted(by_model[Statement], key=lambda s: s.position):
        statement.agenda_item = items[statement.agenda_item_id]
        statements[statement.agenda_item_id].append(statement)
    for item in items.values():
        item.meeting = meeting
        set_prefetched(item, "statements", statements[item.pk])
        set_prefetched(
            item,
            "sub_items",
            sorted((i for i in items.values() if i.parent_id == item.pk), key=_position),
        )
    for row in (*by_model[Delegation], *by_model[Conclusion], *by_model[ActionPoint]):
        row.meeting = meeting
    # Action points are followed up after publication: their progress is today's.
    progress = ActionPoint.objects.filter(meeting=meeting).in_bulk(
        [point.pk for point in by_model[ActionPoint]]
    )
    for point in by_model[ActionPoint]:
        if point.pk in progress:
            point.status = progress[point.pk].status
            point.fulfilled_by_id = progress[point.pk].fulfilled_by_id
    return PublishedRecord(
        revision=revision,
        agenda_items=sorted(items.values(), key=lambda i: (i.parent_id or 0, i.position)),
        delegations=[d for d in by_model[Delegation] if d.participant is not None],
        conclusions=sorted(by_model[Conclusion], key=_position),
        action_points=sorted(by_model[ActionPoint], key=_position),
    )


def _position(row) -> int:
    return row.position
