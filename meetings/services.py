"""Writes about meetings and their record that touch more than one row or carry rules: the
meeting, its agenda, attendance, statements, conclusions and action points, the record's lock
and its workflow. The documents (uploads, renders, issuing the published record) are
meetings/documents.py's; publishing the record asks it for the issue."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bpdialogue.deletions import audiences_changed, audiences_of
from bpdialogue.events import event_emit
from bpdialogue.models import VersionConflict, WebhookEvent
from bpdialogue.services import (
    instance_with_originals,
    many_to_many_set,
    next_position,
    positions_reorder,
    validated_create,
    versioned_delete,
    versioned_update,
)
from bpdialogue.text import join_names, ordinal
from bpdialogue.translations import authoritative_language
from participants.models import Participant

from .agenda import places_changed
from .documents import document_request_render
from .models import (
    ActionPoint,
    ActionPointStatusChange,
    AgendaItem,
    Conclusion,
    ConclusionReference,
    Delegation,
    Document,
    Meeting,
    RecordRevision,
    RenderJob,
    Statement,
    ThematicFocus,
    WorkingGroup,
)
from .revisions import record_snapshot, record_transition_write


def meeting_default_title(
    *, dialogue, kind: str, sequence_number: int | None, working_group=None
) -> str:
    """'24th Meeting of the Senior Officials of the Budapest Process' and its siblings."""
    # Titles are the record's English whatever language the editor's pages are in (the
    # names too: `dialogue.name` reads the active language).
    with translation.override("en"):
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
    meeting = instance_with_originals(
        Meeting,
        dict(
            dialogue=dialogue,
            kind=kind,
            title=title,
            start_date=start_date,
            end_date=end_date or start_date,
            slug=fields.pop("slug", None)
            or meeting_unique_slug(title=title, start_date=start_date),
            **fields,
        ),
    )
    meeting.full_clean()
    meeting.save()
    event_emit(WebhookEvent.MEETING_CREATED, meeting)
    return meeting


def working_group_create(*, dialogue, by=None, **fields) -> WorkingGroup:
    return validated_create(model=WorkingGroup, by=by, dialogue=dialogue, **fields)


@transaction.atomic
def working_group_update(
    *, working_group: WorkingGroup, expected_version: int, changes: dict, by=None
) -> WorkingGroup:
    return versioned_update(
        instance=working_group, expected_version=expected_version, changes=changes, by=by
    )


def thematic_focus_create(*, dialogue, by=None, **fields) -> ThematicFocus:
    return validated_create(model=ThematicFocus, by=by, dialogue=dialogue, **fields)


@transaction.atomic
def thematic_focus_update(
    *, thematic_focus: ThematicFocus, expected_version: int, changes: dict, by=None
) -> ThematicFocus:
    return versioned_update(
        instance=thematic_focus, expected_version=expected_version, changes=changes, by=by
    )


# -- The record's lock -------------------------------------------------------------------------
# A published record is the dialogue's official text: what its issued Summary/conclusions says
# may change only after the record is reopened for correction.
MEETING_RECORD_FIELDS = frozenset(Meeting.RECORD_FIELDS)
# Action points are followed up across meetings: their progress is not a correction.
ACTION_POINT_TRACKING_FIELDS = frozenset({"status", "fulfilled_by"})


def record_meeting(part) -> Meeting | None:
    """The meeting whose record `part` (an agenda item, statement, delegation, conclusion or
    action point, or the meeting itself) belongs to."""
    if isinstance(part, Meeting):
        return part
    if isinstance(part, Statement):
        return part.agenda_item.meeting
    return getattr(part, "meeting", None)


def record_assert_editable(*, meeting: Meeting) -> None:
    # The stored status, not the caller's copy: the record may have been published since
    # the caller loaded the meeting.
    stored = Meeting.objects.filter(pk=meeting.pk).values_list("record_status", flat=True)
    if stored.first() == Meeting.RecordStatus.PUBLISHED:
        raise ValidationError(
            _(
                "The record of this meeting is published. Reopen it for correction first; "
                "the published version stays public until the corrected one is published."
            )
        )


def _record_lock(part, changed: frozenset) -> None:
    if isinstance(part, Meeting):
        changed &= MEETING_RECORD_FIELDS
    elif isinstance(part, ActionPoint):
        changed -= ACTION_POINT_TRACKING_FIELDS
    if changed:
        record_assert_editable(meeting=record_meeting(part))


def _agenda_days_rule(meeting: Meeting, changed: frozenset) -> None:
    """New dates keep the agenda's days inside them."""
    if not changed & {"start_date", "end_date"}:
        return
    outside = (
        meeting.agenda_items.exclude(day__range=(meeting.start_date, meeting.end_date))
        .exclude(day=None)
        .order_by("day")
        .values_list("day", flat=True)
    )
    if day := outside.first():
        raise ValidationError(
            {
                "end_date" if "end_date" in changed else "start_date": _(
                    "The agenda has items on %(day)s, outside these dates: change their day first."
                )
                % {"day": date_format(day, "DATE_FORMAT")}
            }
        )


@transaction.atomic
def meeting_update(*, meeting: Meeting, expected_version: int, changes: dict, by=None) -> Meeting:
    """Change a meeting's details. The record's status moves only through its workflow
    (`meeting_set_record_status`)."""
    if "record_status" in changes:
        raise ValidationError(
            {"record_status": _("The record's status changes through its workflow, not an edit.")}
        )
    seen_before = meeting.visibility
    # Who sees the meeting sees its agenda, record and documents: when that changes, they
    # go (or come back) for the same audiences.
    seen_through = (
        _rows_seen_through(meeting)
        if changes.get("visibility", meeting.visibility) != meeting.visibility
        else []
    )
    audiences = audiences_of(seen_through)
    meeting = versioned_update(
        instance=meeting,
        expected_version=expected_version,
        changes=changes,
        by=by,
        rules=(_record_lock, _agenda_days_rule),
    )
    audiences_changed(seen_through, audiences)
    event_emit(WebhookEvent.MEETING_UPDATED, meeting, seen_before=seen_before)
    return meeting


def _rows_seen_through(meeting: Meeting) -> list:
    """The meeting and the rows seen with it, each holding this very `meeting`, so that their
    audiences follow a change made to it."""
    items = {item.pk: item for item in meeting.agenda_items.all()}
    rows = [meeting, *items.values()]
    for item in items.values():
        item.meeting = meeting
    for statement in Statement.objects.filter(agenda_item__meeting=meeting):
        statement.agenda_item = items[statement.agenda_item_id]
        rows.append(statement)
    for related in ("conclusions", "action_points", "delegations", "registrations", "documents"):
        for row in getattr(meeting, related).all():
            row.meeting = meeting
            rows.append(row)
    return rows


def _agenda_parent_rule(item, changed: frozenset) -> None:
    if "parent" in changed and item.parent is not None:
        _check_agenda_parent(meeting=item.meeting, parent=item.parent, item=item)


def _agenda_item_new_place(item: AgendaItem, changes: dict) -> bool:
    """Whether `changes` put the item under another parent (or make it top-level); if so it
    goes to the end of its new list, and `changes` gets that position."""
    parent = changes["parent"]
    if getattr(parent, "pk", parent) == item.parent_id:
        return False
    if parent is not None and not isinstance(parent, AgendaItem):
        parent = AgendaItem.objects.filter(pk=parent).first()
    changes["position"] = next_position(agenda_siblings(meeting=item.meeting, parent=parent))
    return True


def _check_agenda_parent(*, meeting: Meeting, parent: AgendaItem, item=None) -> None:
    if parent.meeting_id != meeting.pk or parent.parent_id is not None:
        raise ValidationError({"parent": _("Sub-items go under a top-level item of this meeting.")})
    if item is not None and (parent.pk == item.pk or item.sub_items.exists()):
        raise ValidationError(
            {"parent": _("An item with sub-items, or the item itself, cannot become a sub-item.")}
        )


def _check_speakers_attended(statement: Statement, speakers) -> None:
    """Whoever made a statement was at the meeting: a delegation, the Chair, the Co-Chair or
    the dialogue's secretariat."""
    meeting = statement.agenda_item.meeting
    officers = {meeting.chair_id, meeting.co_chair_id, meeting.dialogue.secretariat_id}
    absent = (
        Participant.objects.filter(pk__in=[getattr(s, "pk", s) for s in speakers])
        .exclude(pk__in=officers)
        .exclude(delegations__meeting=meeting)
        .prefetch_related("names")
        .order_by("sort_name")
    )
    if absent:
        names = join_names([p.name_on(meeting.start_date).name for p in absent])
        raise ValidationError(
            {
                "speakers": _(
                    "%(names)s did not attend this meeting. Speakers are the delegations that "
                    "attended, the Chair, the Co-Chair and the Secretariat."
                )
                % {"names": names}
            }
        )


def _check_responsible(action_point: ActionPoint, responsible) -> None:
    if not list(responsible):
        raise ValidationError(
            {"responsible": _("Name at least one participant responsible for the action point.")}
        )


def _many_to_many_rule(name: str, value, check):
    """A rule for a many-to-many field, which the object gets only after it is saved: `check`
    sees the object and the new value, and runs only when the field really changes."""

    def rule(part, changed: frozenset) -> None:
        if name in changed:
            check(part, value)

    return rule


@transaction.atomic
def record_part_update(*, part, expected_version: int, changes: dict, by=None, note: str = ""):
    """Change an agenda item, statement, delegation, conclusion or action point, if the
    record allows it and nobody saved a newer version meanwhile. A new status of an action
    point is kept in its history with who, when and `note` (why), in the same transaction."""
    status_before = part.status if isinstance(part, ActionPoint) else None
    rules = [_record_lock]
    left = None  # the list an agenda item leaves for another parent's, to renumber
    if isinstance(part, AgendaItem):
        rules.append(_agenda_parent_rule)
        if "parent" in changes:
            changes = dict(changes)
            if _agenda_item_new_place(part, changes):
                left = agenda_siblings(meeting=part.meeting, parent=part.parent)
    if isinstance(part, Statement) and "speakers" in changes:
        rules.append(_many_to_many_rule("speakers", changes["speakers"], _check_speakers_attended))
    if isinstance(part, ActionPoint) and "responsible" in changes:
        rules.append(_many_to_many_rule("responsible", changes["responsible"], _check_responsible))
    if isinstance(part, ActionPoint):
        # Announced once committed: a refused change rolls back and announces nothing.
        event_emit(WebhookEvent.ACTION_POINT_UPDATED, part)
    part = versioned_update(
        instance=part,
        expected_version=expected_version,
        changes=changes,
        by=by,
        rules=tuple(rules),
    )
    if left is not None:
        positions_reorder(queryset=left, ordered_ids=[])
    if status_before is not None and part.status != status_before:
        ActionPointStatusChange.objects.create(
            action_point=part,
            from_status=status_before,
            to_status=part.status,
            by=by if getattr(by, "pk", None) else None,
            note=note.strip(),
        )
    return part


@transaction.atomic
def conclusion_reference_add(*, conclusion: Conclusion, earlier: Conclusion, relation: str):
    """`conclusion` confirms, amends or supersedes `earlier`, a conclusion of an earlier
    meeting. Part of `conclusion`'s record: refused while that record is published."""
    record_assert_editable(meeting=conclusion.meeting)
    return validated_create(
        model=ConclusionReference, conclusion=conclusion, earlier=earlier, relation=relation
    )


@transaction.atomic
def conclusion_reference_remove(*, reference: ConclusionReference) -> None:
    record_assert_editable(meeting=reference.conclusion.meeting)
    reference.delete()


def record_part_siblings(part):
    """The list `part` is numbered in."""
    if isinstance(part, AgendaItem):
        return agenda_siblings(meeting=part.meeting, parent=part.parent)
    if isinstance(part, Statement):
        return part.agenda_item.statements.all()
    return type(part).objects.filter(meeting_id=part.meeting_id)


@transaction.atomic
def record_part_delete(*, part, expected_version: int | None = None, by=None) -> None:
    """Delete a part of the record (an agenda item takes its sub-items and statements with
    it) and close the gap in the numbering."""
    record_assert_editable(meeting=record_meeting(part))
    siblings = record_part_siblings(part) if hasattr(part, "position") else None
    versioned_delete(instance=part, expected_version=expected_version, by=by)
    if siblings is not None:
        positions_reorder(queryset=siblings, ordered_ids=[])


@transaction.atomic
def record_parts_reorder(*, part, ordered_ids: list[int]) -> list[str]:
    """Put `part` and its siblings in the order of `ordered_ids`. Returns, in words, what the
    new order changed beyond the order: the agenda items now in another session or day."""
    record_assert_editable(meeting=record_meeting(part))
    siblings = record_part_siblings(part)
    top_level_items = isinstance(part, AgendaItem) and part.parent_id is None
    before = list(siblings.order_by("position")) if top_level_items else []
    positions_reorder(queryset=siblings, ordered_ids=ordered_ids)
    if not top_level_items:
        return []
    return places_changed(before, list(siblings.order_by("position")))


def agenda_siblings(*, meeting: Meeting, parent: AgendaItem | None):
    return AgendaItem.objects.filter(meeting=meeting, parent=parent)


@transaction.atomic
def agenda_item_create(
    *, meeting: Meeting, title: str, parent: AgendaItem | None = None, **fields
) -> AgendaItem:
    """A new item (or sub-item) at the end of its list."""
    record_assert_editable(meeting=meeting)
    if parent is not None:
        _check_agenda_parent(meeting=meeting, parent=parent)
    presenters = fields.pop("presenters", None)
    item = instance_with_originals(
        AgendaItem,
        dict(
            meeting=meeting,
            parent=parent,
            title=title,
            position=next_position(agenda_siblings(meeting=meeting, parent=parent)),
            **fields,
        ),
    )
    item.full_clean()
    item.save()
    if presenters is not None:
        many_to_many_set(item, "presenters", presenters)
    return item


@transaction.atomic
def statement_create(*, agenda_item: AgendaItem, text: str, speakers=()) -> Statement:
    record_assert_editable(meeting=agenda_item.meeting)
    statement = instance_with_originals(
        Statement,
        dict(
            agenda_item=agenda_item, text=text, position=next_position(agenda_item.statements.all())
        ),
    )
    statement.full_clean()
    _check_speakers_attended(statement, speakers)
    statement.save()
    many_to_many_set(statement, "speakers", speakers)
    return statement


@transaction.atomic
def conclusion_create(*, meeting: Meeting, text: str, kind: str = "agreement") -> Conclusion:
    record_assert_editable(meeting=meeting)
    conclusion = instance_with_originals(
        Conclusion,
        dict(
            meeting=meeting, text=text, kind=kind, position=next_position(meeting.conclusions.all())
        ),
    )
    conclusion.full_clean()
    conclusion.save()
    return conclusion


@transaction.atomic
def action_point_create(*, meeting: Meeting, text: str, responsible=(), **fields) -> ActionPoint:
    record_assert_editable(meeting=meeting)
    action_point = instance_with_originals(
        ActionPoint,
        dict(
            meeting=meeting,
            text=text,
            position=next_position(meeting.action_points.all()),
            **fields,
        ),
    )
    action_point.full_clean()
    _check_responsible(action_point, responsible)
    action_point.save()
    many_to_many_set(action_point, "responsible", responsible)
    return action_point


@transaction.atomic
def delegation_set(
    *,
    meeting: Meeting,
    participant,
    attended: bool,
    headcount: int = 1,
    role: str = Delegation.Role.PARTICIPANT,
    headcount_note: str = "",
) -> Delegation | None:
    """Record whether a participant came to a meeting, with how many people, in what role.
    Unticking removes the delegation; the attendance paragraph follows the delegations. Its
    members are its confirmed registrations (meetings/registrations.py)."""
    record_assert_editable(meeting=meeting)
    existing = Delegation.objects.filter(meeting=meeting, participant=participant).first()
    if not attended:
        if existing is not None:
            existing.delete()
        return None
    delegation = existing or Delegation(meeting=meeting, participant=participant)
    delegation.headcount = headcount
    delegation.headcount_note = headcount_note.strip()
    delegation.role = role
    delegation.full_clean()
    _check_headcount_by_hand(delegation)
    delegation.save()
    return delegation


def _check_headcount_by_hand(delegation: Delegation) -> None:
    """A headcount other than the number of confirmed registrations says why: without a note
    it would silently disagree with the list of participants."""
    confirmed = delegation.meeting.registrations.filter(
        participant_id=delegation.participant_id, status="confirmed"
    ).count()
    if confirmed and delegation.headcount != confirmed and not delegation.headcount_note:
        raise ValidationError(
            {
                "headcount_note": ngettext(
                    "%(confirmed)d registration confirmed: say why the headcount is %(headcount)d.",
                    "%(confirmed)d registrations confirmed: say why the headcount is %(headcount)d.",
                    confirmed,
                )
                % {"confirmed": confirmed, "headcount": delegation.headcount}
            }
        )


@transaction.atomic
def delegation_create(*, meeting: Meeting, participant, **fields) -> Delegation:
    """A new delegation (the API's create). Unlike `delegation_set` it never takes over the
    participant's existing row, which someone else may have saved: that is refused."""
    record_assert_editable(meeting=meeting)
    delegation = Delegation(meeting=meeting, participant=participant, **fields)
    delegation.full_clean()
    _check_headcount_by_hand(delegation)
    delegation.save()
    return delegation


def meeting_was_published(*, meeting: Meeting) -> bool:
    """Whether the meeting's record ever went public: it is published or reopened, or a
    Summary/conclusions of it was issued or published."""
    return (
        meeting.record_status
        in (
            Meeting.RecordStatus.PUBLISHED,
            Meeting.RecordStatus.REOPENED,
        )
        or Document.objects.filter(meeting=meeting)
        .filter(
            Q(issued_at__isnull=False) | Q(kind=Document.Kind.SUMMARY, published_at__isnull=False)
        )
        .exists()
    )


@transaction.atomic
def meeting_delete(*, meeting: Meeting, expected_version: int | None = None, by=None) -> None:
    """Delete a meeting whose record was never published, with everything in it (each row
    leaves its history entry and Deletion tombstone), in a fixed number of queries whatever
    the record's size. A published record is the dialogue's: such a meeting is cancelled or
    withdrawn instead."""
    if meeting_was_published(meeting=meeting):
        raise ValidationError(
            _(
                "This meeting's record has been published, so the meeting stays: cancel it, or "
                "withdraw it from view (visibility: secretariat)."
            )
        )
    event_emit(WebhookEvent.MEETING_DELETED, meeting)
    versioned_delete(instance=meeting, expected_version=expected_version, by=by, in_bulk=True)


@transaction.atomic
def delegation_save(
    *, meeting: Meeting, participant, expected_version: int, by=None, **row
) -> Delegation | None:
    """`delegation_set` for an editor who saw the participant's row at `expected_version` (0:
    no delegation yet). Refused with VersionConflict if someone saved the row since, so two
    people ticking the same empty row do not both win."""
    existing = Delegation.objects.filter(meeting=meeting, participant=participant).first()
    stale = VersionConflict(
        existing or Delegation(meeting=meeting, participant=participant), expected_version
    )
    if existing is None and expected_version != 0:
        raise stale
    if existing is not None:
        # Claims (and locks) the row: a concurrent save of the same version finds it moved on.
        claimed = Delegation._base_manager.filter(pk=existing.pk, version=expected_version)
        if not claimed.update(version=F("version")):
            raise stale
    try:
        with transaction.atomic():
            return delegation_set(meeting=meeting, participant=participant, **row)
    except IntegrityError:
        # Someone else created the participant's delegation a moment ago.
        raise stale from None


# The record's workflow. Going back one step is allowed (a review sends a draft back, an
# adopted record goes back to review); skipping a step is not. A published record is never
# unpublished: it is reopened for correction and published again as its next revision.
_RS = Meeting.RecordStatus
RECORD_TRANSITIONS = {
    _RS.DRAFT: {_RS.IN_REVIEW},
    _RS.IN_REVIEW: {_RS.DRAFT, _RS.ADOPTED},
    _RS.ADOPTED: {_RS.IN_REVIEW, _RS.PUBLISHED},
    _RS.PUBLISHED: {_RS.REOPENED},
    _RS.REOPENED: {_RS.IN_REVIEW, _RS.PUBLISHED},
}
# Transitions that others see or hear of: the workspace asks for confirmation first.
RECORD_TRANSITIONS_CONFIRMED = {_RS.PUBLISHED, _RS.REOPENED}


@transaction.atomic
def meeting_set_record_status(
    *, meeting: Meeting, status: str, by, reason: str = "", expected_version: int | None = None
) -> Meeting:
    """Move the record one step along draft → in review → adopted → published (or one step
    back; published → reopened for correction), recording who, when and why.

    Publishing is one act: it asks for the final Summary/conclusions to be rendered, and the
    render job (see `_record_issue` in meetings/documents.py) freezes that PDF as the record's next revision and
    publishes record and PDF together. Until then the record keeps its status. Reopening needs
    a reason; publishing a correction needs a change note (`reason`). With
    `expected_version`, a meeting saved by someone else since is refused (VersionConflict)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if expected_version is not None and meeting.version != expected_version:
        raise VersionConflict(meeting, expected_version)
    try:
        target = _RS(status)
    except ValueError:
        raise ValidationError(
            {
                "status": _("Unknown record status %(status)r; use one of %(statuses)s.")
                % {"status": status, "statuses": ", ".join(_RS.values)}
            }
        ) from None
    if target not in RECORD_TRANSITIONS[_RS(meeting.record_status)]:
        raise ValidationError(
            {
                "status": _("A record that is %(status)s cannot become %(target)s.")
                % {
                    "status": meeting.get_record_status_display().lower(),
                    "target": str(target.label).lower(),
                }
            }
        )
    reason = reason.strip()
    if target == _RS.REOPENED and not reason:
        raise ValidationError({"reason": _("Say what is to be corrected; the reason is kept.")})
    if target == _RS.PUBLISHED:
        if meeting.revisions.exists() and not reason:
            raise ValidationError(
                {"reason": _("Say in a short change note what the correction changed.")}
            )
        # The record is issued in its authoritative language; its translations are issued
        # on their own once it is published (meetings/documents.py).
        language = authoritative_language(meeting)
        if meeting.render_jobs.filter(
            purpose=RenderJob.Purpose.ISSUE,
            language=language,
            status__in=RenderJob.IN_PROGRESS,
        ).exists():
            raise ValidationError({"status": _("The record is being published already.")})
        document_request_render(
            meeting=meeting,
            kind=Document.Kind.SUMMARY,
            requested_by=by,
            language=language,
            archival=True,
            purpose=RenderJob.Purpose.ISSUE,
            note=reason,
        )
        return meeting
    record_transition_write(meeting=meeting, to_status=target, by=by, reason=reason)
    return meeting


@transaction.atomic
def meeting_record_import_published(
    *, meeting: Meeting, published_on: datetime.date, note: str, by=None
) -> RecordRevision:
    """Take in a record that was published before it was kept here (a dialogue's archive, the
    demo's 24th meeting): it becomes published as revision 1 as it stands, with no issued PDF
    of ours (its Summary/conclusions was issued elsewhere), so that a later correction is
    published as revision 2 and reopening it never shows anyone the rows being corrected."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.record_status in (_RS.PUBLISHED, _RS.REOPENED) or meeting.revisions.exists():
        raise ValidationError({"status": _("This record is published here already.")})
    published_at = timezone.make_aware(datetime.datetime.combine(published_on, datetime.time(12)))
    revision = RecordRevision.objects.create(
        meeting=meeting,
        number=1,
        issued_at=published_at,
        issued_by=by if getattr(by, "pk", None) else None,
        change_note=note,
        snapshot=record_snapshot(meeting=meeting),
    )
    record_transition_write(meeting=meeting, to_status=_RS.PUBLISHED, by=by, reason=note)
    Meeting.objects.filter(pk=meeting.pk).update(record_status_changed_at=published_at)
    return revision
