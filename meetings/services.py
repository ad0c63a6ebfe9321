"""Writes about meetings that touch more than one row or carry rules."""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Max, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.text import slugify

from bpdialogue.celery import task_enqueue
from bpdialogue.models import VersionConflict
from bpdialogue.services import (
    next_position,
    positions_reorder,
    versioned_delete,
    versioned_update,
)
from bpdialogue.text import join_names, ordinal
from participants.models import Participant

from .models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    Document,
    Meeting,
    RecordRevision,
    RecordTransition,
    RenderJob,
    Statement,
)
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
        # Titles are the record's English whatever language the editor's pages are in.
        with translation.override("en"):
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
            "The record of this meeting is published. Reopen it for correction first; "
            "the published version stays public until the corrected one is published."
        )


def _record_lock(part, changed: frozenset) -> None:
    if isinstance(part, Meeting):
        changed &= MEETING_RECORD_FIELDS
    elif isinstance(part, ActionPoint):
        changed -= ACTION_POINT_TRACKING_FIELDS
    if changed:
        record_assert_editable(meeting=record_meeting(part))


@transaction.atomic
def meeting_update(*, meeting: Meeting, expected_version: int, changes: dict, by=None) -> Meeting:
    """Change a meeting's details. The record's status moves only through its workflow
    (`meeting_set_record_status`)."""
    if "record_status" in changes:
        raise ValidationError(
            {"record_status": "The record's status changes through its workflow, not an edit."}
        )
    return versioned_update(
        instance=meeting,
        expected_version=expected_version,
        changes=changes,
        by=by,
        rules=(_record_lock,),
    )


def _agenda_parent_rule(item, changed: frozenset) -> None:
    if "parent" in changed and item.parent is not None:
        _check_agenda_parent(meeting=item.meeting, parent=item.parent, item=item)


def _check_agenda_parent(*, meeting: Meeting, parent: AgendaItem, item=None) -> None:
    if parent.meeting_id != meeting.pk or parent.parent_id is not None:
        raise ValidationError({"parent": "Sub-items go under a top-level item of this meeting."})
    if item is not None and (parent.pk == item.pk or item.sub_items.exists()):
        raise ValidationError(
            {"parent": "An item with sub-items, or the item itself, cannot become a sub-item."}
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
                "speakers": f"{names} did not attend this meeting. Speakers are the "
                "delegations that attended, the Chair, the Co-Chair and the Secretariat."
            }
        )


def _check_responsible(action_point: ActionPoint, responsible) -> None:
    if not list(responsible):
        raise ValidationError(
            {"responsible": "Name at least one participant responsible for the action point."}
        )


def _many_to_many_rule(name: str, value, check):
    """A rule for a many-to-many field, which the object gets only after it is saved: `check`
    sees the object and the new value, and runs only when the field really changes."""

    def rule(part, changed: frozenset) -> None:
        if name in changed:
            check(part, value)

    return rule


@transaction.atomic
def record_part_update(*, part, expected_version: int, changes: dict, by=None):
    """Change an agenda item, statement, delegation, conclusion or action point, if the
    record allows it and nobody saved a newer version meanwhile."""
    rules = [_record_lock]
    if isinstance(part, AgendaItem):
        rules.append(_agenda_parent_rule)
    if isinstance(part, Statement) and "speakers" in changes:
        rules.append(_many_to_many_rule("speakers", changes["speakers"], _check_speakers_attended))
    if isinstance(part, ActionPoint) and "responsible" in changes:
        rules.append(_many_to_many_rule("responsible", changes["responsible"], _check_responsible))
    return versioned_update(
        instance=part,
        expected_version=expected_version,
        changes=changes,
        by=by,
        rules=tuple(rules),
    )


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
def record_parts_reorder(*, part, ordered_ids: list[int]) -> None:
    """Put `part` and its siblings in the order of `ordered_ids`."""
    record_assert_editable(meeting=record_meeting(part))
    positions_reorder(queryset=record_part_siblings(part), ordered_ids=ordered_ids)


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
    item = AgendaItem(
        meeting=meeting,
        parent=parent,
        title=title,
        position=next_position(agenda_siblings(meeting=meeting, parent=parent)),
        **fields,
    )
    item.full_clean()
    item.save()
    if presenters is not None:
        item.presenters.set(presenters)
    return item


@transaction.atomic
def statement_create(*, agenda_item: AgendaItem, text: str, speakers=()) -> Statement:
    record_assert_editable(meeting=agenda_item.meeting)
    statement = Statement(
        agenda_item=agenda_item,
        text=text,
        position=next_position(agenda_item.statements.all()),
    )
    statement.full_clean()
    _check_speakers_attended(statement, speakers)
    statement.save()
    statement.speakers.set(speakers)
    return statement


@transaction.atomic
def conclusion_create(*, meeting: Meeting, text: str, kind: str = "agreement") -> Conclusion:
    record_assert_editable(meeting=meeting)
    conclusion = Conclusion(
        meeting=meeting, text=text, kind=kind, position=next_position(meeting.conclusions.all())
    )
    conclusion.full_clean()
    conclusion.save()
    return conclusion


@transaction.atomic
def action_point_create(*, meeting: Meeting, text: str, responsible=(), **fields) -> ActionPoint:
    record_assert_editable(meeting=meeting)
    action_point = ActionPoint(
        meeting=meeting, text=text, position=next_position(meeting.action_points.all()), **fields
    )
    action_point.full_clean()
    _check_responsible(action_point, responsible)
    action_point.save()
    action_point.responsible.set(responsible)
    return action_point


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
    record_assert_editable(meeting=meeting)
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


@transaction.atomic
def delegation_create(*, meeting: Meeting, participant, delegates=(), **fields) -> Delegation:
    """A new delegation (the API's create). Unlike `delegation_set` it never takes over the
    participant's existing row, which someone else may have saved: that is refused."""
    record_assert_editable(meeting=meeting)
    delegation = Delegation(meeting=meeting, participant=participant, **fields)
    delegation.full_clean()
    delegation.save()
    delegation.delegates.set(delegates)
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
            "This meeting's record has been published, so the meeting stays: cancel it, or "
            "withdraw it from view (visibility: secretariat)."
        )
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


@transaction.atomic
def document_delete(*, document: Document, expected_version: int | None = None, by=None) -> None:
    """Delete a document nobody outside the secretariat has seen (an upload in the wrong
    place, a file replaced before publication). Its history keeps what it was."""
    if document.published_at is not None or document.issued_at is not None:
        raise ValidationError(
            "This document has been published: unpublish it first, or upload a new revision "
            "to replace it."
        )
    versioned_delete(instance=document, expected_version=expected_version, by=by)


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


class RecordChanged(Exception):
    """The record moved on while its publication was being rendered: nothing was published."""


@transaction.atomic
def meeting_set_record_status(
    *, meeting: Meeting, status: str, by, reason: str = "", expected_version: int | None = None
) -> Meeting:
    """Move the record one step along draft → in review → adopted → published (or one step
    back; published → reopened for correction), recording who, when and why.

    Publishing is one act: it asks for the final Summary/conclusions to be rendered, and the
    render job (see `_record_issue`) freezes that PDF as the record's next revision and
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
            {"status": f"Unknown record status {status!r}; use one of {', '.join(_RS.values)}."}
        ) from None
    if target not in RECORD_TRANSITIONS[_RS(meeting.record_status)]:
        raise ValidationError(
            {
                "status": f"A record that is {meeting.get_record_status_display().lower()} "
                f"cannot become {target.label.lower()}."
            }
        )
    reason = reason.strip()
    if target == _RS.REOPENED and not reason:
        raise ValidationError({"reason": "Say what is to be corrected; the reason is kept."})
    if target == _RS.PUBLISHED:
        if meeting.revisions.exists() and not reason:
            raise ValidationError(
                {"reason": "Say in a short change note what the correction changed."}
            )
        if meeting.render_jobs.filter(
            purpose=RenderJob.Purpose.ISSUE,
            status__in=[RenderJob.Status.QUEUED, RenderJob.Status.RUNNING],
        ).exists():
            raise ValidationError({"status": "The record is being published already."})
        document_request_render(
            meeting=meeting,
            kind=Document.Kind.SUMMARY,
            requested_by=by,
            archival=True,
            purpose=RenderJob.Purpose.ISSUE,
            note=reason,
        )
        return meeting
    _record_transition_write(meeting=meeting, to_status=target, by=by, reason=reason)
    return meeting


@transaction.atomic
def meeting_record_import_published(
    *, meeting: Meeting, published_on: datetime.date, note: str, by=None
) -> RecordRevision:
    """Take in a record that was published before it was kept here (a dialogue's archive, the
    demo's 24th meeting): it becomes published as revision 1 as it stands, with no issued PDF
    of ours (its Summary/conclusions was issued elsewhere), so that a later correction is
    published as revision 2 and reopening it never shows anyone the rows being corrected."""
    from .revisions import record_snapshot

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.record_status in (_RS.PUBLISHED, _RS.REOPENED) or meeting.revisions.exists():
        raise ValidationError({"status": "This record is published here already."})
    published_at = timezone.make_aware(datetime.datetime.combine(published_on, datetime.time(12)))
    revision = RecordRevision.objects.create(
        meeting=meeting,
        number=1,
        issued_at=published_at,
        issued_by=by if getattr(by, "pk", None) else None,
        change_note=note,
        snapshot=record_snapshot(meeting=meeting),
    )
    _record_transition_write(meeting=meeting, to_status=_RS.PUBLISHED, by=by, reason=note)
    Meeting.objects.filter(pk=meeting.pk).update(record_status_changed_at=published_at)
    return revision


def _record_transition_write(*, meeting: Meeting, to_status: str, by, reason: str) -> None:
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


def _record_issue(job: RenderJob) -> Document:
    """Publish the record: render its final Summary/conclusions, then, in one transaction,
    store that PDF as an issued document (frozen, checksummed, dated, numbered), keep the
    record's rows as that revision printed them, supersede the previous revision, and mark
    the record published. If the record changed while the PDF was rendered, nothing is
    published and the job fails saying so."""
    from .rendering import IssueMark, document_source, html_to_pdf
    from .revisions import record_snapshot, snapshot_hash

    meeting = job.meeting
    snapshot = record_snapshot(meeting=meeting)
    mark = IssueMark(number=meeting.revisions.count() + 1, date=timezone.localdate())
    source = document_source(
        meeting=meeting, kind=Document.Kind.SUMMARY, language=job.language, issue=mark
    )
    temporary = _pdf_write(job=job, pdf=html_to_pdf(source.html, archival=True))
    try:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
            if meeting.record_status not in (_RS.ADOPTED, _RS.REOPENED):
                raise RecordChanged(
                    f"The record is {meeting.get_record_status_display().lower()} now; "
                    "it was not published."
                )
            if (
                snapshot_hash(record_snapshot(meeting=meeting)) != snapshot_hash(snapshot)
                or meeting.revisions.count() + 1 != mark.number
            ):
                raise RecordChanged(
                    "The record changed while its Summary/conclusions was being rendered; "
                    "it was not published. Publish it again."
                )
            now = timezone.now()
            document = _document_store_generated(
                job=job, source=source, temporary=temporary, issued_at=now, revision=mark.number
            )
            Document.objects.filter(
                meeting=meeting, kind=Document.Kind.SUMMARY, issued_at__isnull=False
            ).exclude(pk=document.pk).filter(superseded_at__isnull=True).update(superseded_at=now)
            RecordRevision.objects.create(
                meeting=meeting,
                number=mark.number,
                issued_at=now,
                issued_by=job.requested_by,
                change_note=job.note,
                document=document,
                snapshot=snapshot,
            )
            _record_transition_write(
                meeting=meeting, to_status=_RS.PUBLISHED, by=job.requested_by, reason=job.note
            )
            # The delegates hear of it once the publication is committed.
            meeting_record_notify_published(meeting=meeting)
            return document
    finally:
        temporary.unlink(missing_ok=True)


# -- Documents: generated from the record, uploaded, published -------------------------------

# The kinds the system writes from the record (meetings/rendering.py); others are uploaded.
GENERATED_KINDS = (Document.Kind.SUMMARY, Document.Kind.AGENDA, Document.Kind.PARTICIPANTS)
# What may be uploaded: extension -> (content type, how the content is recognised).
UPLOAD_TYPES = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"),
    "odt": ("application/vnd.oasis.opendocument.text", "odf"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "odf"),
    "odp": ("application/vnd.oasis.opendocument.presentation", "odf"),
}
UPLOAD_TYPES_TEXT = (
    "a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx) or OpenDocument (.odt, .ods, .odp) file"
)


def _upload_content_type(uploaded_file) -> str:
    """The content type of an upload, from its extension checked against its content: a
    renamed executable does not become a PDF by being called one."""
    extension = Path(uploaded_file.name or "").suffix.lower().lstrip(".")
    if extension not in UPLOAD_TYPES:
        raise ValidationError({"file": f"Upload {UPLOAD_TYPES_TEXT}."})
    content_type, signature = UPLOAD_TYPES[extension]
    uploaded_file.seek(0)
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if signature == "pdf":
        recognised = head.startswith(b"%PDF-")
    else:
        recognised = head.startswith(b"PK\x03\x04") and _zip_holds(
            uploaded_file, signature, content_type
        )
    uploaded_file.seek(0)
    if not recognised:
        raise ValidationError(
            {"file": f"The file is called .{extension} but its content is not a .{extension} file."}
        )
    return content_type


def _zip_holds(uploaded_file, signature: str, content_type: str) -> bool:
    """Office Open XML packages hold [Content_Types].xml and a word/, xl/ or ppt/ folder;
    OpenDocument files start with a `mimetype` entry naming their type."""
    try:
        with zipfile.ZipFile(uploaded_file) as package:
            names = package.namelist()
            if signature == "odf":
                return "mimetype" in names and package.read("mimetype").decode().strip() == (
                    content_type
                )
            return "[Content_Types].xml" in names and any(n.startswith(signature) for n in names)
    except (zipfile.BadZipFile, UnicodeDecodeError, KeyError):
        return False


def _file_sha256(handle) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def _next_revision(*, meeting: Meeting, kind: str, language: str, **same) -> int:
    documents = Document.objects.filter(meeting=meeting, kind=kind, language=language, **same)
    return (documents.aggregate(top=Max("revision"))["top"] or 0) + 1


@transaction.atomic
def document_upload(
    *,
    meeting: Meeting,
    uploaded_file,
    kind: str,
    title: str,
    language: str,
    visibility: str,
    uploaded_by,
) -> Document:
    """Store an uploaded file as a Document of the meeting, unpublished. A file with the same
    kind, language and title as an earlier one becomes its next revision."""
    limit = settings.DOCUMENT_UPLOAD_MAX_BYTES
    if not uploaded_file.size:
        raise ValidationError({"file": "The file is empty."})
    if uploaded_file.size > limit:
        raise ValidationError(
            {
                "file": f"The file is {filesizeformat(uploaded_file.size)}; "
                f"the limit is {filesizeformat(limit)}."
            }
        )
    content_type = _upload_content_type(uploaded_file)
    document = Document(
        meeting=meeting,
        kind=kind,
        title=title,
        language=language,
        visibility=visibility,
        content_type=content_type,
        size=uploaded_file.size,
        sha256=_file_sha256(uploaded_file),
        revision=_next_revision(
            meeting=meeting, kind=kind, language=language, title=title, generated=False
        ),
        uploaded_by=uploaded_by,
    )
    document.full_clean(exclude=["file"])
    extension = Path(uploaded_file.name).suffix.lower()
    document.file.save(f"{slugify(title)[:80] or 'document'}{extension}", uploaded_file, save=False)
    # If the row cannot be written, the file must not stay behind without it.
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def document_publish(*, document: Document, by) -> Document:
    """Make the document visible to those its visibility admits (see bpdialogue/access.py).
    One revision of a document is current at a time: publishing it supersedes the earlier
    published ones, which stay downloadable with their dates. A Summary/conclusions is
    published only with its record (`meeting_set_record_status`)."""
    if document.kind == Document.Kind.SUMMARY and document.generated:
        raise ValidationError(
            "A generated Summary/conclusions is a working copy: it is published by publishing "
            "the record, which issues its final text."
        )
    if document.published_at is None:
        document.published_at = timezone.now()
        document.superseded_at = None
        document.save()
        _document_revisions(document).exclude(pk=document.pk).filter(
            published_at__isnull=False, superseded_at__isnull=True
        ).update(superseded_at=document.published_at)
    return document


def _document_revisions(document: Document):
    """The revisions of one document: same owner, kind, language and origin (an uploaded
    paper is also recognised by its title)."""
    same = {"title": document.title} if not document.generated else {}
    return Document.objects.filter(
        meeting_id=document.meeting_id,
        project_id=document.project_id,
        kind=document.kind,
        language=document.language,
        generated=document.generated,
        **same,
    )


@transaction.atomic
def document_unpublish(*, document: Document, by) -> Document:
    """Withdraw the document: from now on only the secretariat sees it. An issued
    Summary/conclusions is never withdrawn: the record is reopened and corrected instead."""
    if document.issued_at is not None:
        raise ValidationError(
            "An issued Summary/conclusions stays published; reopen the record to correct it."
        )
    if document.published_at is not None:
        document.published_at = None
        document.superseded_at = None
        document.save()
    return document


def document_archival_required(*, meeting: Meeting, kind: str) -> bool:
    """The Summary/conclusions of an adopted or published record is the dialogue's official
    text: it is kept as PDF/A."""
    return kind == Document.Kind.SUMMARY and meeting.record_status in (
        Meeting.RecordStatus.ADOPTED,
        Meeting.RecordStatus.PUBLISHED,
    )


@transaction.atomic
def document_request_render(
    *,
    meeting: Meeting,
    kind: str,
    requested_by=None,
    language: str = "en",
    archival=None,
    enqueue: bool = True,
    purpose: str = RenderJob.Purpose.DRAFT,
    note: str = "",
) -> RenderJob:
    """Ask for one of the meeting's documents to be generated. The job is handed to Celery
    once this transaction commits (eagerly, in-process, when no broker is configured); its
    progress shows through the `render-job-status` view. `enqueue=False` leaves the running
    to the caller (the `render_documents` command runs the task in its own process)."""
    if kind not in GENERATED_KINDS:
        raise ValidationError({"kind": f"{kind!r} is not a document the system generates."})
    job = RenderJob.objects.create(
        meeting=meeting,
        document_kind=kind,
        language=language,
        archival=bool(archival) or document_archival_required(meeting=meeting, kind=kind),
        requested_by=requested_by,
        celery_task_id=str(uuid.uuid4()),
        purpose=purpose,
        note=note,
    )
    if enqueue:
        transaction.on_commit(lambda: _render_job_enqueue(job), robust=True)
    return job


def _render_job_enqueue(job: RenderJob) -> None:
    # Robust on_commit: a broker that cannot be reached leaves the job queued, logged, instead
    # of failing the request that asked for it.
    task_enqueue("meetings.tasks.render_document", args=[job.pk], task_id=job.celery_task_id)


# Failures worth another attempt: the database or the disk may be back in a moment. Anything
# else (a template error, bad data) would fail the same way again, so the job fails at once.
RENDER_TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
GENERATED_DIR = "documents/generated"
render_logger = logging.getLogger("meetings.rendering")


def _render_job_update(job: RenderJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    RenderJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def _temporary_path(job: RenderJob) -> Path:
    return Path(default_storage.path(f"{GENERATED_DIR}/tmp")) / f"{job.uid}.{uuid.uuid4().hex}"


def _discard_temporary_files(job: RenderJob) -> None:
    """Remove what an earlier attempt of this job left when its worker died mid-write."""
    for leftover in _temporary_path(job).parent.glob(f"{job.uid}.*"):
        leftover.unlink(missing_ok=True)


def _pdf_write(*, job: RenderJob, pdf: bytes) -> Path:
    """The PDF in a temporary file beside its final place, flushed to disk: a worker killed
    now leaves a temporary file, never a half-written document."""
    path = _temporary_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(pdf)
        handle.flush()
        os.fsync(handle.fileno())
    return path


def document_render(*, job_id: int, final_attempt: bool = True) -> RenderJob | None:
    """Carry out a render job: the HTML of the document, its hash, and either the stored
    Document with that hash (same content, same file) or a new revision. Runs inside the
    Celery task; a redelivered job that already finished does nothing, and so does a job
    whose meeting was deleted while it waited."""
    job = RenderJob.objects.select_related("meeting").filter(pk=job_id).first()
    if job is None or job.status in (RenderJob.Status.SUCCEEDED, RenderJob.Status.FAILED):
        return job
    _render_job_update(
        job,
        status=RenderJob.Status.RUNNING,
        started_at=timezone.now(),
        attempts=job.attempts + 1,
        error="",
    )
    _discard_temporary_files(job)
    try:
        document = _document_render_store(job)
    except RENDER_TRANSIENT_ERRORS as error:
        render_logger.warning("render job %s: %r (attempt %s)", job.uid, error, job.attempts)
        if final_attempt:
            _render_job_failed(job, error)
        raise
    except Exception as error:
        render_logger.exception("render job %s failed", job.uid)
        _render_job_failed(job, error)
        return job
    _render_job_update(
        job,
        status=RenderJob.Status.SUCCEEDED,
        finished_at=timezone.now(),
        document_id=document.pk,
    )
    job.document = document
    return job


def _render_job_failed(job: RenderJob, error: Exception) -> None:
    _discard_temporary_files(job)
    _render_job_update(
        job,
        status=RenderJob.Status.FAILED,
        finished_at=timezone.now(),
        error=f"{type(error).__name__}: {error}",
    )


def _document_render_store(job: RenderJob) -> Document:
    from .rendering import document_source, html_to_pdf

    if job.purpose == RenderJob.Purpose.ISSUE:
        return _record_issue(job)
    meeting = job.meeting
    source = document_source(meeting=meeting, kind=job.document_kind, language=job.language)
    same_content = Document.objects.filter(
        meeting=meeting,
        kind=job.document_kind,
        language=job.language,
        generated=True,
        is_archival=job.archival,
        source_hash=source.source_hash,
    )
    existing = same_content.order_by("-revision").first()
    if existing is not None:
        return existing
    temporary = _pdf_write(job=job, pdf=html_to_pdf(source.html, archival=job.archival))
    try:
        with transaction.atomic():
            # One render at a time per meeting from here on: two jobs with the same content
            # must not both store a revision.
            Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
            existing = same_content.order_by("-revision").first()
            if existing is not None:
                return existing
            return _document_store_generated(job=job, source=source, temporary=temporary)
    finally:
        temporary.unlink(missing_ok=True)


def _document_store_generated(
    *, job: RenderJob, source, temporary: Path, issued_at=None, revision=None
) -> Document:
    """Store a rendered PDF as the next revision of its kind; an issued Summary/conclusions
    takes the record's revision number."""
    meeting = job.meeting
    kind = job.document_kind
    revision = revision or _next_revision(
        meeting=meeting, kind=kind, language=job.language, generated=True
    )
    suffix = "-pdfa" if job.archival else ""
    name = (
        f"{GENERATED_DIR}/{meeting.uid}/{kind}-{job.language}-r{revision}-"
        f"{source.source_hash[:12]}{suffix}.pdf"
    )
    with open(temporary, "rb") as handle:
        sha256 = _file_sha256(handle)
    previous = (
        Document.objects.filter(meeting=meeting, kind=kind, language=job.language, generated=True)
        .order_by("-revision")
        .first()
    )
    document = Document.objects.create(
        meeting=meeting,
        kind=kind,
        title=source.title,
        language=job.language,
        file=name,
        content_type="application/pdf",
        # A new revision keeps the audience chosen for the last one; it is published anew.
        # An issued record is read by the meeting's audience.
        visibility=meeting.visibility if issued_at or not previous else previous.visibility,
        published_at=issued_at,
        issued_at=issued_at,
        size=temporary.stat().st_size,
        sha256=sha256,
        revision=revision,
        generated=True,
        source_hash=source.source_hash,
        is_archival=job.archival,
        uploaded_by=job.requested_by,
    )
    final = Path(default_storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    # rename() is atomic within one file system: the file appears whole or not at all.
    os.replace(temporary, final)
    return document
