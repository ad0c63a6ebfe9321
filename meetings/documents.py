"""The documents of meetings: uploads and their revisions, publishing and withdrawing them,
render jobs (generated documents, their storage), and issuing the record's Summary/conclusions
when the record is published. The record's services (meetings/services.py) call in here; this
module never calls them."""

from __future__ import annotations

import datetime
import hashlib
import logging
import tempfile
import threading
import uuid
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, connections, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from bpdialogue.access import SECRETARIAT_DOCUMENT_KINDS, AccessPolicy
from bpdialogue.deletions import audiences_changed, audiences_of
from bpdialogue.events import event_emit
from bpdialogue.models import WebhookEvent
from bpdialogue.services import instance_with_originals, versioned_delete
from bpdialogue.task_queue import task_enqueue
from bpdialogue.text import size_over_limit
from bpdialogue.translations import (
    MISSING,
    OUTDATED,
    authoritative_language,
    column,
    translations_of,
)
from bpdialogue.validators import zip_entry_read, zip_package_open

from . import rendering
from .models import Document, Meeting, RecordRevision, RenderJob, Visibility
from .notifications import meeting_record_notify_published
from .revisions import record_snapshot, record_transition_write, snapshot_hash

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
        raise ValidationError({"file": _("Upload %(types)s.") % {"types": UPLOAD_TYPES_TEXT}})
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
            {
                "file": _(
                    "The file is called .%(extension)s but its content is not a .%(extension)s file."
                )
                % {"extension": extension}
            }
        )
    return content_type


# What a damaged or unreadable package raises while its parts are listed or read.
ZIP_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    UnicodeDecodeError,
    ValueError,  # an offset that points outside the file
    # An encrypted part, or a compression method zipfile lacks (its NotImplementedError is a
    # RuntimeError).
    RuntimeError,
)


def _zip_holds(uploaded_file, signature: str, content_type: str) -> bool:
    """Office Open XML packages hold [Content_Types].xml and a word/, xl/ or ppt/ folder;
    OpenDocument files start with a `mimetype` entry naming their type. Only the package's
    directory and the `mimetype` entry's few bytes are read (see zip_package_open); a
    decompression bomb is refused with the reason, at the file field."""
    try:
        with zip_package_open(uploaded_file) as package:
            names = package.namelist()
            if signature == "odf":
                declared = zip_entry_read(package, "mimetype") if "mimetype" in names else b""
                return declared.decode().strip() == content_type
            return "[Content_Types].xml" in names and any(n.startswith(signature) for n in names)
    except ZIP_UNREADABLE:
        return False
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None


def _file_sha256(handle) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def _meeting_documents_lock(meeting: Meeting) -> None:
    """Store the meeting's documents one at a time until the transaction ends (the meeting's
    row locked; SQLite writes one transaction at a time anyway)."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()


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
        raise ValidationError({"file": _("The file is empty.")})
    if uploaded_file.size > limit:
        raise ValidationError({"file": size_over_limit(uploaded_file.size, limit)})
    content_type = _upload_content_type(uploaded_file)
    sha256 = _file_sha256(uploaded_file)
    # Two uploads of one title at once must not both take the next revision number: the
    # second waits here until the first is committed, then counts it (the constraint on
    # the revision would refuse it otherwise).
    _meeting_documents_lock(meeting)
    # The title given is the original, in the meeting's language (a revision has the same).
    same_title = {column("title", authoritative_language(meeting)): title}
    document = instance_with_originals(
        Document,
        dict(
            meeting=meeting,
            kind=kind,
            title=title,
            language=language,
            visibility=visibility,
            content_type=content_type,
            size=uploaded_file.size,
            sha256=sha256,
            revision=_next_revision(
                meeting=meeting, kind=kind, language=language, generated=False, **same_title
            ),
            uploaded_by=uploaded_by,
        ),
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
            _(
                "A generated Summary/conclusions is a working copy: it is published by publishing "
                "the record, which issues its final text."
            )
        )
    if document.kind in SECRETARIAT_DOCUMENT_KINDS:
        raise ValidationError(
            _("%(kind)s: for the organisers only, never published.")
            % {"kind": document.get_kind_display()}
        )
    if document.published_at is None:
        audiences = audiences_of([document])
        document.published_at = timezone.now()
        document.superseded_at = None
        document.save()
        audiences_changed([document], audiences)
        _document_revisions(document).exclude(pk=document.pk).filter(
            published_at__isnull=False, superseded_at__isnull=True
        ).update(superseded_at=document.published_at)
        event_emit(WebhookEvent.DOCUMENT_PUBLISHED, document)
    return document


def _document_revisions(document: Document):
    """The revisions of one document: same owner, kind, language and origin (an uploaded
    paper is also recognised by its title)."""
    original = column("title", authoritative_language(document))
    same = {original: getattr(document, original)} if not document.generated else {}
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
            _("An issued Summary/conclusions stays published; reopen the record to correct it.")
        )
    if document.published_at is not None:
        seen_before = AccessPolicy.document_audience(document)
        audiences = audiences_of([document])
        document.published_at = None
        document.superseded_at = None
        document.save()
        # Gone for those who saw it, as if deleted (the deletions feed tells them).
        audiences_changed([document], audiences)
        event_emit(WebhookEvent.DOCUMENT_WITHDRAWN, document, seen_before=seen_before)
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
    if kind not in rendering.GENERATED_KINDS:
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
        transaction.on_commit(lambda: render_job_enqueue(job), robust=True)
    return job


def render_job_enqueue(job: RenderJob) -> None:
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
    # On this host's disk: the document store may be a bucket, reached only through Django's
    # storage API once the PDF is whole.
    return Path(tempfile.gettempdir()) / "bpdialogue-renders" / f"{job.uid}.{uuid.uuid4().hex}"


def _discard_temporary_files(job: RenderJob) -> None:
    """Remove what an earlier attempt of this job left when its worker died mid-write."""
    for leftover in _temporary_path(job).parent.glob(f"{job.uid}.*"):
        leftover.unlink(missing_ok=True)


def _pdf_write(*, job: RenderJob, pdf: bytes) -> Path:
    """The PDF in a temporary file of this host, to be hashed and then stored: a worker killed
    now leaves a temporary file, never a half-written document."""
    path = _temporary_path(job)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return path


def document_render(*, job_id: int, final_attempt: bool = True) -> RenderJob | None:
    """Carry out a render job: the HTML of the document, its hash, and either the stored
    Document with that hash (same content, same file) or a new revision. Runs inside the
    Celery task; a redelivered job that already finished does nothing, and so does a job
    whose meeting was deleted while it waited."""
    job = RenderJob.objects.select_related("meeting").filter(pk=job_id).first()
    if job is None or not _render_job_claim(job):
        return job
    _discard_temporary_files(job)
    try:
        with _render_job_heartbeat(job):
            document = _document_render_store(job)
    except RENDER_TRANSIENT_ERRORS as error:
        render_logger.warning("render job %s: %r (attempt %s)", job.uid, error, job.attempts)
        if final_attempt:
            _render_job_failed(job, error)
        else:
            # Celery sends it again after a back-off; until then the page says so.
            _render_job_update(job, status=RenderJob.Status.RETRYING)
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


def render_job_stale_before() -> datetime.datetime:
    """A running job whose heartbeat is older than this has lost its worker."""
    return timezone.now() - datetime.timedelta(seconds=settings.RENDER_STALE_AFTER)


def _render_job_claim(job: RenderJob) -> bool:
    """Take the job for this worker, in one conditional update: a job waiting or retrying, or
    one whose worker stopped beating. False when it has finished or another worker is
    rendering it (the broker redelivers a message it already gave out once its visibility
    timeout passes: that delivery must not start a second render of the same job)."""
    now = timezone.now()
    claimable = Q(status__in=(RenderJob.Status.QUEUED, RenderJob.Status.RETRYING)) | Q(
        Q(heartbeat_at__lt=render_job_stale_before()) | Q(heartbeat_at__isnull=True),
        status=RenderJob.Status.RUNNING,
    )
    fields = {
        "status": RenderJob.Status.RUNNING,
        "started_at": now,
        "heartbeat_at": now,
        "attempts": job.attempts + 1,
        "error": "",
    }
    claimed = RenderJob.objects.filter(claimable, pk=job.pk, attempts=job.attempts).update(
        **fields, updated_at=now
    )
    if not claimed:
        render_logger.info("render job %s: finished or rendering elsewhere, skipped", job.uid)
        return False
    for name, value in fields.items():
        setattr(job, name, value)
    return True


@contextmanager
def _render_job_heartbeat(job: RenderJob):
    """Beat while the job renders (a PDF is one long step), from a thread of its own with its
    own database connection, every quarter of RENDER_STALE_AFTER."""
    stop = threading.Event()
    interval = settings.RENDER_STALE_AFTER / 4

    def beat():
        try:
            while not stop.wait(interval):
                try:
                    RenderJob.objects.filter(pk=job.pk, status=RenderJob.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except (OperationalError, InterfaceError) as error:
                    render_logger.warning("render job %s: no heartbeat: %r", job.uid, error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"heartbeat-{job.uid}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _render_job_failed(job: RenderJob, error: Exception) -> None:
    _discard_temporary_files(job)
    _render_job_update(
        job,
        status=RenderJob.Status.FAILED,
        finished_at=timezone.now(),
        error=f"{type(error).__name__}: {error}",
    )


def _document_render_store(job: RenderJob) -> Document:
    if job.purpose == RenderJob.Purpose.ISSUE:
        if job.language != authoritative_language(job.meeting):
            return _translation_issue(job)
        return _record_issue(job)
    meeting = job.meeting
    source = rendering.document_source(
        meeting=meeting, kind=job.document_kind, language=job.language
    )
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
    temporary = _pdf_write(job=job, pdf=rendering.html_to_pdf(source.html, archival=job.archival))
    try:
        with transaction.atomic():
            # One render at a time per meeting from here on: two jobs with the same content
            # must not both store a revision.
            _meeting_documents_lock(meeting)
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
    previous = (
        Document.objects.filter(meeting=meeting, kind=kind, language=job.language, generated=True)
        .order_by("-revision")
        .first()
    )
    with open(temporary, "rb") as handle:
        sha256 = _file_sha256(handle)
        # Stored before any row names it, so a document's file is there whole: on disk or in a
        # bucket (an object appears once its upload is complete). The storage may give
        # another name if this one is taken (left by an attempt that was rolled back).
        name = default_storage.save(name, File(handle, name=name))
    try:
        return Document.objects.create(
            meeting=meeting,
            kind=kind,
            title=source.title,
            language=job.language,
            file=name,
            content_type="application/pdf",
            # A new revision keeps the audience chosen for the last one; it is published
            # anew. An issued record is read by the meeting's audience; the organisers'
            # copies by them.
            visibility=(
                Visibility.SECRETARIAT
                if kind in SECRETARIAT_DOCUMENT_KINDS
                else meeting.visibility
                if issued_at or not previous
                else previous.visibility
            ),
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
    except Exception:
        default_storage.delete(name)
        raise


@transaction.atomic
def document_delete(*, document: Document, expected_version: int | None = None, by=None) -> None:
    """Delete a document nobody outside the secretariat has seen (an upload in the wrong
    place, a file replaced before publication). Its history keeps what it was."""
    if document.published_at is not None or document.issued_at is not None:
        raise ValidationError(
            _(
                "This document has been published: unpublish it first, or upload a new revision "
                "to replace it."
            )
        )
    versioned_delete(instance=document, expected_version=expected_version, by=by)


# -- Issuing: the record's publication -------------------------------------------------------


class RecordChanged(Exception):
    """The record moved on while its publication was being rendered: nothing was published."""


def _issued_summary_pdf(job: RenderJob, *, number: int):
    """The job's Summary/conclusions marked as issue `number` of today, rendered to PDF/A and
    written to a temporary file: (the mark, the source, the file), for the caller to check
    against the record and store in its transaction."""
    mark = rendering.IssueMark(number=number, date=timezone.localdate())
    source = rendering.document_source(
        meeting=job.meeting, kind=Document.Kind.SUMMARY, language=job.language, issue=mark
    )
    temporary = _pdf_write(job=job, pdf=rendering.html_to_pdf(source.html, archival=True))
    return mark, source, temporary


def _record_issue(job: RenderJob) -> Document:
    """Publish the record: render its final Summary/conclusions, then, in one transaction,
    store that PDF as an issued document (frozen, checksummed, dated, numbered), keep the
    record's rows as that revision printed them, supersede the previous revision, and mark
    the record published. If the record changed while the PDF was rendered, nothing is
    published and the job fails saying so."""
    meeting = job.meeting
    snapshot = record_snapshot(meeting=meeting)
    mark, source, temporary = _issued_summary_pdf(job, number=meeting.revisions.count() + 1)
    try:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
            if meeting.record_status not in (
                Meeting.RecordStatus.ADOPTED,
                Meeting.RecordStatus.REOPENED,
            ):
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
            record_transition_write(
                meeting=meeting,
                to_status=Meeting.RecordStatus.PUBLISHED,
                by=job.requested_by,
                reason=job.note,
            )
            # The delegates hear of it once the publication is committed.
            meeting_record_notify_published(meeting=meeting)
            return document
    finally:
        temporary.unlink(missing_ok=True)


# -- Issuing a translation -------------------------------------------------------------------
# Each language's Summary/conclusions is a document of its own. Publishing the record issues
# it in the meeting's authoritative language only: that text is the record, and publishing it
# does not wait for the translators. A translation is issued afterwards, by the secretariat,
# when the record is published and every text the Summary/conclusions prints is translated
# and current in that language: a Document in that language with its own revision numbering
# (1, 2, … per language), its SHA-256, as PDF/A, saying under its heading that it is an
# unofficial translation and which text is authentic. A later revision of the record
# supersedes the issued translations with the text they translated; the secretariat issues
# them again once they are brought up to date.


def _summary_texts(meeting: Meeting) -> list:
    """The records whose texts the Summary/conclusions prints, with those fields."""
    from .models import ActionPoint, AgendaItem, Conclusion, Statement

    texts = [(meeting, ("title", "city", "conclusions_intro"))]
    texts += [(item, ("record",)) for item in AgendaItem.objects.filter(meeting=meeting)]
    texts += [
        (statement, ("text",))
        for statement in Statement.objects.filter(agenda_item__meeting=meeting).select_related(
            "agenda_item__meeting"
        )
    ]
    texts += [(conclusion, ("text",)) for conclusion in Conclusion.objects.filter(meeting=meeting)]
    if meeting.summary_action_points:
        texts += [
            (point, ("text", "due_text")) for point in ActionPoint.objects.filter(meeting=meeting)
        ]
    return texts


def summary_translation_gaps(*, meeting: Meeting, language: str) -> list[str]:
    """What the Summary/conclusions prints that is missing or outdated in `language`, each as
    'Agenda item “Opening”: record (outdated)'. Empty when the translation is complete."""
    gaps = []
    for obj, fields in _summary_texts(meeting):
        statuses = translations_of(obj)
        for field in fields:
            status = statuses.get(field, {}).get(language, {}).get("status")
            if status in (MISSING, OUTDATED):
                gaps.append(
                    _("%(record)s “%(name)s”: %(field)s (%(status)s)")
                    % {
                        "record": capfirst(obj._meta.verbose_name),
                        "name": str(obj)[:60],
                        "field": obj._meta.get_field(field).verbose_name,
                        "status": _("missing") if status == MISSING else _("outdated"),
                    }
                )
    return gaps


def document_issue_translation(
    *, meeting: Meeting, language: str, requested_by=None, enqueue: bool = True
) -> RenderJob:
    """Ask for the published record's Summary/conclusions to be issued in `language`, a
    language other than the meeting's authoritative one, once its translation is complete."""
    languages = dict(settings.LANGUAGES)
    if language not in languages:
        raise ValidationError(
            {"language": _("Unknown language %(language)r.") % {"language": language}}
        )
    if language == authoritative_language(meeting):
        raise ValidationError(
            {
                "language": _(
                    "%(language)s is the meeting's authoritative language: its "
                    "Summary/conclusions is issued by publishing the record."
                )
                % {"language": languages[language]}
            }
        )
    if meeting.record_status != Meeting.RecordStatus.PUBLISHED:
        raise ValidationError(
            {"language": _("A translation is issued once the record is published.")}
        )
    gaps = summary_translation_gaps(meeting=meeting, language=language)
    if gaps:
        shown = "; ".join(gaps[:5]) + ("; …" if len(gaps) > 5 else "")
        raise ValidationError(
            {
                "language": _(
                    "The translation into %(language)s is not complete (%(count)s to do): %(gaps)s."
                )
                % {"language": languages[language], "count": len(gaps), "gaps": shown}
            }
        )
    return document_request_render(
        meeting=meeting,
        kind=Document.Kind.SUMMARY,
        requested_by=requested_by,
        language=language,
        archival=True,
        purpose=RenderJob.Purpose.ISSUE,
        enqueue=enqueue,
    )


def _translation_issue(job: RenderJob) -> Document:
    """Render and store an issued translation of the published record's Summary/conclusions
    (see above). Nothing is issued if, meanwhile, the record was reopened, another
    translation was issued, or the texts changed."""
    meeting = job.meeting
    issued = Document.objects.filter(
        meeting=meeting,
        kind=Document.Kind.SUMMARY,
        language=job.language,
        issued_at__isnull=False,
    )
    mark, source, temporary = _issued_summary_pdf(job, number=issued.count() + 1)
    try:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
            if meeting.record_status != Meeting.RecordStatus.PUBLISHED:
                raise RecordChanged(
                    _("The record is %(status)s now; its translation was not issued.")
                    % {"status": meeting.get_record_status_display().lower()}
                )
            if issued.count() + 1 != mark.number:
                raise RecordChanged(_("Another translation was issued meanwhile."))
            again = rendering.document_source(
                meeting=meeting, kind=Document.Kind.SUMMARY, language=job.language, issue=mark
            )
            if again.source_hash != source.source_hash:
                raise RecordChanged(
                    _("The texts changed while the translation was being rendered; issue it again.")
                )
            now = timezone.now()
            document = _document_store_generated(
                job=job, source=source, temporary=temporary, issued_at=now, revision=mark.number
            )
            issued.exclude(pk=document.pk).filter(superseded_at__isnull=True).update(
                superseded_at=now
            )
            event_emit(WebhookEvent.DOCUMENT_PUBLISHED, document)
            return document
    finally:
        temporary.unlink(missing_ok=True)
