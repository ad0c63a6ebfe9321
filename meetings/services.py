"""Writes about meetings that touch more than one row or carry rules."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from bpdialogue.text import ordinal

from .models import ActionPoint, AgendaItem, Conclusion, Delegation, Meeting, Statement
from .notifications import meeting_record_notify_published


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


# -- The secretariat's editing: ordered parts of a meeting ------------------------------------


def positions_reorder(*, queryset, ordered_ids: list[int]) -> None:
    """Number the rows of `queryset` 1..n in the order of `ordered_ids`.

    Positions are unique within their list, and neither SQLite nor PostgreSQL defers that
    check, so the rows first move above every position in use (one UPDATE, each new value
    larger than any old one) and then take their final places, which are all free by then.
    Rows not named keep their relative order after the named ones."""
    rows = list(queryset.order_by("position").values_list("id", "position"))
    known = [pk for pk, _ in rows]
    wanted = [pk for pk in dict.fromkeys(ordered_ids) if pk in set(known)]
    final = wanted + [pk for pk in known if pk not in set(wanted)]
    if not final:
        return
    offset = max(position for _, position in rows) + 1
    with transaction.atomic():
        queryset.filter(id__in=final).update(
            position=F("position") + offset, version=F("version") + 1
        )
        model = queryset.model
        for position, pk in enumerate(final, start=1):
            model._base_manager.filter(pk=pk).update(position=position)


def position_move(*, obj, queryset, offset: int) -> None:
    """Move `obj` up (-1) or down (+1) within `queryset` and renumber."""
    ids = list(queryset.order_by("position").values_list("id", flat=True))
    index = ids.index(obj.pk)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    positions_reorder(queryset=queryset, ordered_ids=ids)


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def agenda_siblings(*, meeting: Meeting, parent: AgendaItem | None):
    return AgendaItem.objects.filter(meeting=meeting, parent=parent)


@transaction.atomic
def agenda_item_create(
    *, meeting: Meeting, title: str, parent: AgendaItem | None = None, **fields
) -> AgendaItem:
    """A new item (or sub-item) at the end of its list."""
    if parent is not None and (parent.meeting_id != meeting.pk or parent.parent_id is not None):
        raise ValidationError({"parent": "Sub-items go under a top-level item of this meeting."})
    presenters = fields.pop("presenters", None)
    item = AgendaItem(
        meeting=meeting,
        parent=parent,
        title=title,
        position=_next_position(agenda_siblings(meeting=meeting, parent=parent)),
        **fields,
    )
    item.full_clean()
    item.save()
    if presenters is not None:
        item.presenters.set(presenters)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    """Delete an item (its sub-items and statements go with it) and close the gap."""
    meeting, parent = item.meeting, item.parent
    item.delete()
    siblings = agenda_siblings(meeting=meeting, parent=parent)
    positions_reorder(queryset=siblings, ordered_ids=[])


@transaction.atomic
def statement_create(*, agenda_item: AgendaItem, text: str, speakers=()) -> Statement:
    statement = Statement(
        agenda_item=agenda_item,
        text=text,
        position=_next_position(agenda_item.statements.all()),
    )
    statement.full_clean()
    statement.save()
    statement.speakers.set(speakers)
    return statement


@transaction.atomic
def statement_delete(*, statement: Statement) -> None:
    agenda_item = statement.agenda_item
    statement.delete()
    positions_reorder(queryset=agenda_item.statements.all(), ordered_ids=[])


@transaction.atomic
def conclusion_create(*, meeting: Meeting, text: str, kind: str = "agreement") -> Conclusion:
    conclusion = Conclusion(
        meeting=meeting, text=text, kind=kind, position=_next_position(meeting.conclusions.all())
    )
    conclusion.full_clean()
    conclusion.save()
    return conclusion


@transaction.atomic
def conclusion_delete(*, conclusion: Conclusion) -> None:
    meeting = conclusion.meeting
    conclusion.delete()
    positions_reorder(queryset=meeting.conclusions.all(), ordered_ids=[])


@transaction.atomic
def action_point_create(*, meeting: Meeting, text: str, responsible=(), **fields) -> ActionPoint:
    action_point = ActionPoint(
        meeting=meeting, text=text, position=_next_position(meeting.action_points.all()), **fields
    )
    action_point.full_clean()
    action_point.save()
    action_point.responsible.set(responsible)
    return action_point


@transaction.atomic
def action_point_delete(*, action_point: ActionPoint) -> None:
    meeting = action_point.meeting
    action_point.delete()
    positions_reorder(queryset=meeting.action_points.all(), ordered_ids=[])


@transaction.atomic
def delegation_set(
    *,
    meeting: Meeting,
    participant,
    attended: bool,
    headcount: int = 1,
    role: str = Delegation.Role.PARTICIPANT,
    delegates=(),
) -> Delegation | None:
    """Record whether a participant came to a meeting, with how many people, in what role.
    Unticking removes the delegation; the attendance paragraph follows the delegations."""
    existing = Delegation.objects.filter(meeting=meeting, participant=participant).first()
    if not attended:
        if existing is not None:
            existing.delete()
        return None
    delegation = existing or Delegation(meeting=meeting, participant=participant)
    delegation.headcount = headcount
    delegation.role = role
    delegation.full_clean()
    delegation.save()
    delegation.delegates.set(delegates)
    return delegation


# The record's workflow. Going back one step is allowed (a review sends a draft back, an
# adopted record is reopened, a published one withdrawn); skipping a step is not.
RECORD_TRANSITIONS = {
    Meeting.RecordStatus.DRAFT: {Meeting.RecordStatus.IN_REVIEW},
    Meeting.RecordStatus.IN_REVIEW: {Meeting.RecordStatus.DRAFT, Meeting.RecordStatus.ADOPTED},
    Meeting.RecordStatus.ADOPTED: {Meeting.RecordStatus.IN_REVIEW, Meeting.RecordStatus.PUBLISHED},
    Meeting.RecordStatus.PUBLISHED: {Meeting.RecordStatus.ADOPTED},
}


@transaction.atomic
def meeting_set_record_status(*, meeting: Meeting, status: str, by) -> Meeting:
    """Move the record one step along draft → in review → adopted → published (or one step
    back), remembering who did it and when."""
    allowed = RECORD_TRANSITIONS[Meeting.RecordStatus(meeting.record_status)]
    if status not in allowed:
        raise ValidationError(
            {
                "status": f"A record that is {meeting.get_record_status_display().lower()} "
                f"cannot become {Meeting.RecordStatus(status).label.lower()}."
            }
        )
    meeting.record_status = status
    meeting.record_status_changed_at = timezone.now()
    meeting.record_status_changed_by = by
    meeting.save()
    if status == Meeting.RecordStatus.PUBLISHED:
        # The delegates hear of it once the publication is committed (meetings/notifications.py).
        meeting_record_notify_published(meeting=meeting)
    return meeting
