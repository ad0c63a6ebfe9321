"""The secretariat workspace. Views parse input, call one service, render; every one of them
is wrapped in `secretariat_only`."""

from __future__ import annotations

import datetime
import uuid
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bpdialogue.models import VersionConflict
from bpdialogue.services import positions_moved
from bpdialogue.text import render_record
from meetings import services as meeting_services
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Delegation,
    Document,
    Meeting,
    RenderJob,
    Statement,
    ThematicFocus,
)
from meetings.notifications import record_notification_recipients
from meetings.selectors import meeting_attendance
from participants.models import Membership, Participant, Person
from projects import services as project_services
from projects.models import Project, ProjectPartner, Site
from workplans import services as workplan_services
from workplans.models import (
    Activity,
    CooperationFramework,
    FrameworkCadence,
    Workplan,
)

from . import forms
from .access import secretariat_only
from .editing import (
    apply_errors,
    changes_between,
    conflict_with,
    form_changes,
    save_versioned,
)
from .history import meeting_history
from .parts import PARTS, PARTS_BY_MODEL, meeting_tab

MEETING_TABS = [
    ("details", "Details"),
    ("agenda", "Agenda"),
    ("attendance", "Attendance"),
    ("record", "Record"),
    ("conclusions", "Conclusions and action points"),
    ("documents", "Documents"),
    ("history", "History"),
]


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _share_choices(form_list, *names):
    """Let many copies of one form share the choices of their select fields: one query for
    the page instead of one per form."""
    if not form_list:
        return
    for name in names:
        choices = list(form_list[0].fields[name].choices)
        for form in form_list:
            form.fields[name].choices = choices


# -- dashboard ------------------------------------------------------------------------------


@secretariat_only
def dashboard(request):
    today = datetime.date.today()
    pending = [Meeting.RecordStatus.DRAFT, Meeting.RecordStatus.IN_REVIEW]
    open_points = (
        ActionPoint.objects.filter(
            status__in=[ActionPoint.Status.OPEN, ActionPoint.Status.IN_PROGRESS]
        )
        .select_related("meeting")
        .prefetch_related("responsible")
        .order_by("due_date", "meeting__start_date", "position")
    )
    return render(
        request,
        "secretariat/dashboard.html",
        {
            "today": today,
            "upcoming": Meeting.objects.filter(start_date__gte=today)
            .select_related("host_country")
            .order_by("start_date")[:10],
            "records_pending": Meeting.objects.filter(
                record_status__in=pending, start_date__lte=today
            ).order_by("-start_date")[:20],
            "open_points": open_points[:50],
            "jobs": RenderJob.objects.filter(
                status__in=[RenderJob.Status.QUEUED, RenderJob.Status.RUNNING]
            ).select_related("meeting"),
        },
    )


@secretariat_only
def meeting_list(request):
    meetings = Meeting.objects.select_related("host_country").order_by("-start_date")
    return render(request, "secretariat/meeting_list.html", {"meetings": meetings})


# -- a meeting's workspace --------------------------------------------------------------------


def _meeting(slug: str) -> Meeting:
    return get_object_or_404(
        Meeting.objects.with_relations().select_related("record_status_changed_by"), slug=slug
    )


def _render_tab(request, meeting, tab, context, status=200):
    context = {
        "meeting": meeting,
        "tab": tab,
        "tabs": MEETING_TABS,
        "workflow": forms.RecordStatusForm(),
        "next_statuses": sorted(
            meeting_services.RECORD_TRANSITIONS[meeting.record_status],
            key=Meeting.RecordStatus.values.index,
        ),
        **context,
    }
    return render(request, f"secretariat/meeting_{tab}.html", context, status=status)


@secretariat_only
def meeting_create(request):
    form = forms.MeetingCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {
            k: v for k, v in form.cleaned_data.items() if k not in ("version", "confirm_duplicate")
        }
        try:
            meeting = meeting_services.meeting_create(**fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Meeting “{meeting.title}” created.")
            return redirect(meeting_tab(meeting, "agenda"))
    return render(request, "secretariat/meeting_create.html", {"form": form}, status=_status(form))


def _meeting_update(meeting, version, changes, by):
    return meeting_services.meeting_update(
        meeting=meeting, expected_version=version, changes=changes, by=by
    )


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@secretariat_only
def meeting_details(request, slug):
    meeting = _meeting(slug)
    form = forms.MeetingForm(request.POST or None, instance=meeting)
    conflict = None
    if request.method == "POST" and form.is_valid():
        refused, conflict = save_versioned(form, update=_meeting_update, by=request.user)
        if refused is None:
            messages.success(request, "Details saved.")
            return redirect(meeting_tab(meeting, "details"))
        form = refused
        if conflict:
            meeting = _meeting(slug)
    status = 409 if conflict else _status(form)
    context = {
        "form": form,
        "conflict": conflict,
        "was_published": meeting_services.meeting_was_published(meeting=meeting),
    }
    return _render_tab(request, meeting, "details", context, status)


# Undoing a meeting: deleted if its record never went public, otherwise cancelled or
# withdrawn from view (the record stays). Each asks first, on a page of its own.
MEETING_UNDO = {
    "delete": {
        "heading": "Delete this meeting",
        "explanation": "The meeting goes with everything recorded under it. Partners mirroring "
        "the data are told through the deletions feed; the change history keeps what it held.",
        "button": "Delete the meeting",
    },
    "cancel": {
        "heading": "Cancel this meeting",
        "explanation": "The meeting stays, marked cancelled: calendar subscribers see the "
        "cancellation, and its record and documents stay as they are.",
        "button": "Mark the meeting cancelled",
        "done": "The meeting is marked cancelled.",
        "changes": {"status": Meeting.Status.CANCELLED},
    },
    "withdraw": {
        "heading": "Withdraw this meeting from view",
        "explanation": "Only the secretariat will see the meeting, its record and documents: "
        "they leave the public pages, the delegates' pages, the API and the calendar. Visibility "
        "on the Details tab brings it back.",
        "button": "Withdraw from view",
        "done": "The meeting is withdrawn: only the secretariat sees it now.",
        "changes": {"visibility": "secretariat"},
    },
}


def _meeting_undo_refusal(meeting, action) -> str:
    if action == "delete" and meeting_services.meeting_was_published(meeting=meeting):
        return (
            "This meeting's record has been published, so the meeting stays in the record of "
            "the dialogue. Cancel it or withdraw it from view instead."
        )
    if action == "cancel" and meeting.status == Meeting.Status.CANCELLED:
        return "This meeting is cancelled already."
    if action == "withdraw" and meeting.visibility == "secretariat":
        return "Only the secretariat sees this meeting already."
    return ""


@secretariat_only
def meeting_undo(request, slug, action):
    """Delete, cancel or withdraw a meeting, after a page that says what it will do. The
    confirming form carries the meeting's version: a change made meanwhile is shown first."""
    meeting = _meeting(slug)
    undo = MEETING_UNDO[action]
    conflict = None
    if request.method == "POST" and not _meeting_undo_refusal(meeting, action):
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            return HttpResponse("version must be a number.", status=400)
        try:
            if action == "delete":
                meeting_services.meeting_delete(
                    meeting=meeting, expected_version=version, by=request.user
                )
            else:
                meeting_services.meeting_update(
                    meeting=meeting,
                    expected_version=version,
                    changes=undo["changes"],
                    by=request.user,
                )
        except VersionConflict:
            meeting = _meeting(slug)
            conflict = conflict_with(meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(meeting_tab(meeting, "details"))
        else:
            if action == "delete":
                messages.success(request, f"Meeting “{meeting.title}” deleted.")
                return redirect("secretariat:meetings")
            messages.success(request, undo["done"])
            return redirect(meeting_tab(meeting, "details"))
    counts = {}
    if action == "delete":
        counts = {
            "agenda items": meeting.agenda_items.count(),
            "statements": Statement.objects.filter(agenda_item__meeting=meeting).count(),
            "delegations": meeting.delegations.count(),
            "conclusions": meeting.conclusions.count(),
            "action points": meeting.action_points.count(),
            "documents": meeting.documents.count(),
        }
    context = {
        **undo,
        "action": action,
        "refusal": _meeting_undo_refusal(meeting, action),
        "counts": counts,
        "conflict": conflict,
    }
    return _render_tab(request, meeting, "confirm", context, 409 if conflict else 200)


def _agenda_items(meeting, *, with_statements: bool = False):
    """Top-level items in order, each with its sub-items (and, for the record, statements
    with their speakers) prefetched: a fixed number of queries whatever the agenda's size."""

    def related():
        lookups = ["presenters"]
        if with_statements:
            statements = Statement.objects.prefetch_related("speakers").order_by("position")
            lookups.append(Prefetch("statements", queryset=statements))
        return lookups

    sub_items = AgendaItem.objects.prefetch_related(*related()).order_by("position")
    return (
        AgendaItem.objects.filter(meeting=meeting, parent=None)
        .prefetch_related(*related(), Prefetch("sub_items", queryset=sub_items))
        .order_by("position")
    )


@secretariat_only
def meeting_agenda(request, slug):
    meeting = _meeting(slug)
    form = forms.AgendaItemAddForm(request.POST or None, instance=AgendaItem(meeting=meeting))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            item = meeting_services.agenda_item_create(meeting=meeting, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Added “{item.title}”.")
            return redirect(meeting_tab(meeting, "agenda"))
    return _render_tab(
        request,
        meeting,
        "agenda",
        {"items": _agenda_items(meeting), "form": form},
        _status(form),
    )


# -- attendance -----------------------------------------------------------------------------


def _attendance_rows(meeting, data=None):
    """Every member of the dialogue on the meeting's date, and anyone else who came: one
    form per participant, states first, then organisations."""
    delegations = {
        d.participant_id: d
        for d in Delegation.objects.filter(meeting=meeting).prefetch_related("delegates")
    }
    member_ids = Membership.objects.current(on=meeting.start_date).filter(
        dialogue_id=meeting.dialogue_id
    )
    # Named and sorted as on the meeting's date, as the record names them ("Turkey" in 2016).
    participants = sorted(
        Participant.objects.filter(
            Q(id__in=member_ids.values("participant_id")) | Q(id__in=list(delegations))
        ).prefetch_related("names"),
        key=lambda p: (
            p.kind != Participant.Kind.STATE,
            p.name_on(meeting.start_date).sort_name.casefold(),
        ),
    )
    people: dict[int, list] = {}
    for person in Person.objects.filter(affiliation__in=participants).order_by("family_name"):
        people.setdefault(person.affiliation_id, []).append(person)
    rows = []
    for participant in participants:
        delegation = delegations.get(participant.pk)
        initial = (
            {
                "attended": True,
                "headcount": delegation.headcount,
                "role": delegation.role,
                "delegates": [str(p.pk) for p in delegation.delegates.all()],
                "version": delegation.version,
            }
            if delegation
            else {}
        )
        form = forms.AttendanceRowForm(
            data,
            prefix=f"p{participant.pk}",
            initial=initial,
            people=people.get(participant.pk, ()),
        )
        rows.append(
            {
                "participant": participant,
                "name": participant.name_on(meeting.start_date).name,
                "form": form,
                "delegation": delegation,
            }
        )
    return rows


def _save_attendance_row(meeting, row, by) -> bool:
    """Save one row if it was changed. False when it is refused: its form then holds the
    errors, or, when someone saved the row since it was shown, the row is marked stale."""
    form = row["form"]
    if not form.is_valid():
        return False
    if not set(form.changed_data) - {"version"}:
        return True
    data = form.cleaned_data
    try:
        meeting_services.delegation_save(
            meeting=meeting,
            participant=row["participant"],
            expected_version=data["version"],
            by=by,
            attended=data["attended"],
            headcount=data["headcount"],
            role=data["role"],
            delegates=[int(pk) for pk in data["delegates"]],
        )
    except VersionConflict:
        row["stale"] = True
        return False
    except ValidationError as error:
        apply_errors(form, error)
        return False
    return True


def _attendance_conflict(meeting, row, yours):
    """What the stored row (`row`, fresh from the database) says against `yours`, the form
    that came back stale, and who saved it last."""
    stored = row["delegation"]
    if stored is None:  # unticked meanwhile: its history remembers who did it
        last = Delegation.history.filter(
            meeting_id=meeting.pk, participant_id=row["participant"].pk
        ).first()
        stored = (
            last.instance if last else Delegation(meeting=meeting, participant=row["participant"])
        )
    theirs = {name: row["form"][name].value() for name in row["form"].fields}
    return conflict_with(stored, changes_between(yours, theirs))


def _attendance_after_save(meeting, refused: dict) -> list:
    """The grid as stored now, except the rows in `refused` (by participant id): a row with
    errors keeps its input, a stale row shows what is stored with the conflict."""
    rows = []
    for row in _attendance_rows(meeting):
        failed = refused.get(row["participant"].pk)
        if failed is None:
            rows.append(row)
        elif failed.get("stale"):
            rows.append({**row, "conflict": _attendance_conflict(meeting, row, failed["form"])})
        else:
            rows.append(failed)
    return rows


def _attendance_status(rows) -> int:
    return 409 if any(row.get("conflict") for row in rows) else 400


@secretariat_only
def meeting_attendance_grid(request, slug):
    meeting = _meeting(slug)
    if request.method != "POST":
        context = {
            "rows": _attendance_rows(meeting),
            "attendance": meeting_attendance(meeting=meeting),
        }
        return _render_tab(request, meeting, "attendance", context)
    refused = {
        row["participant"].pk: row
        for row in _attendance_rows(meeting, request.POST)
        if not _save_attendance_row(meeting, row, request.user)
    }
    if not refused:
        messages.success(request, "Attendance saved.")
        return redirect(meeting_tab(meeting, "attendance"))
    rows = _attendance_after_save(meeting, refused)
    context = {"rows": rows, "attendance": meeting_attendance(meeting=meeting)}
    return _render_tab(request, meeting, "attendance", context, _attendance_status(rows))


@secretariat_only
@require_POST
def meeting_attendance_row(request, slug, participant_id):
    """One ticked box or changed headcount, saved at once; answers with the row and the
    new totals."""
    meeting = _meeting(slug)
    rows = [
        r for r in _attendance_rows(meeting, request.POST) if r["participant"].pk == participant_id
    ]
    if not rows:
        raise Http404("Not a participant of this meeting's dialogue.")
    ok = _save_attendance_row(meeting, rows[0], request.user)
    refused = {} if ok else {participant_id: rows[0]}
    # A participant outside the dialogue whose delegation was just removed has no row left.
    row = next(
        (
            r
            for r in _attendance_after_save(meeting, refused)
            if r["participant"].pk == participant_id
        ),
        rows[0],
    )
    if not _is_htmx(request):
        return redirect(meeting_tab(meeting, "attendance"))
    return render(
        request,
        "secretariat/_attendance_row.html",
        {
            "row": row,
            "meeting": meeting,
            "attendance": meeting_attendance(meeting=meeting),
            "oob": True,
        },
        status=200 if ok else _attendance_status([row]),
    )


# -- record ---------------------------------------------------------------------------------


def _record_section(item, *, record_form=None, statement_form=None, **extra):
    """One agenda item on the record tab: its narrative form and preview, and a form to add a
    statement under it. `extra` carries a conflict or the time of a save."""
    record_form = record_form or forms.AgendaRecordForm(instance=item, prefix=f"r{item.pk}")
    return {
        "item": item,
        "record_form": record_form,
        "preview": render_record(record_form["record"].value()),
        "statement_form": statement_form
        or forms.StatementForm(instance=Statement(agenda_item=item), prefix=f"s{item.pk}"),
        "statements_target": f"statements-{item.pk}",
        **extra,
    }


def _record_context(meeting, bound: dict | None = None):
    """Every agenda item (sub-items after their parent) with its narrative form, its
    statements and a form to add one. `bound` maps an item's id to the forms (and conflict)
    that came back refused."""
    bound = bound or {}
    items = []
    for item in _agenda_items(meeting, with_statements=True):
        items.append(item)
        items.extend(item.sub_items.all())
    sections = [_record_section(item, **bound.get(item.pk, {})) for item in items]
    _share_choices([s["statement_form"] for s in sections], "speakers")
    return {"sections": sections}


@secretariat_only
def meeting_record(request, slug):
    meeting = _meeting(slug)
    return _render_tab(request, meeting, "record", _record_context(meeting))


@secretariat_only
@require_POST
def record_save(request, slug, item_id):
    """Save one item's narrative. From the page's script (htmx) the answer is that item's form
    alone, swapped in place, so whatever is typed under the other items stays untouched in
    the browser; without the script, a save redirects and a refusal shows the whole tab."""
    meeting = _meeting(slug)
    item = get_object_or_404(AgendaItem, meeting=meeting, pk=item_id)
    form = forms.AgendaRecordForm(request.POST, instance=item, prefix=f"r{item.pk}")
    conflict = None
    if form.is_valid():
        refused, conflict = save_versioned(
            form, update=PARTS["agenda-item"].update, by=request.user
        )
        if refused is None:
            if not _is_htmx(request):
                messages.success(request, f"Record of “{item.title}” saved.")
                return redirect(f"{meeting_tab(meeting, 'record')}#item-{item.pk}")
            item.refresh_from_db()
            section = _record_section(item, saved_at=timezone.localtime())
            return render(
                request, "secretariat/_record_form.html", {"meeting": meeting, "section": section}
            )
        form = refused
    status = 409 if conflict else 400
    if _is_htmx(request):
        section = _record_section(item, record_form=form, conflict=conflict)
        context = {"meeting": meeting, "section": section}
        return render(request, "secretariat/_record_form.html", context, status=status)
    context = _record_context(meeting, {item.pk: {"record_form": form, "conflict": conflict}})
    return _render_tab(request, meeting, "record", context, status)


@secretariat_only
@require_POST
def statement_add(request, slug, item_id):
    meeting = _meeting(slug)
    item = get_object_or_404(AgendaItem, meeting=meeting, pk=item_id)
    form = forms.StatementForm(
        request.POST, instance=Statement(agenda_item=item), prefix=f"s{item.pk}"
    )
    if form.is_valid():
        try:
            meeting_services.statement_create(
                agenda_item=item,
                text=form.cleaned_data["text"],
                speakers=form.cleaned_data["speakers"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Statement added.")
            return redirect(f"{meeting_tab(meeting, 'record')}#item-{item.pk}")
    context = _record_context(meeting, {item.pk: {"statement_form": form}})
    return _render_tab(request, meeting, "record", context, 400)


@secretariat_only
@require_POST
def record_preview(request):
    """The narrative as it will read, rendered by the same safe Markdown as the record."""
    text = request.POST.get(request.GET.get("field", "record"), "")
    return HttpResponse(render_record(text))


# -- conclusions and action points ------------------------------------------------------------


@secretariat_only
def meeting_conclusions(request, slug):
    meeting = _meeting(slug)
    conclusion_form = forms.ConclusionForm(
        request.POST if "add_conclusion" in request.POST else None,
        instance=meeting.conclusions.model(meeting=meeting),
        prefix="conclusion",
    )
    action_form = forms.ActionPointForm(
        request.POST if "add_action_point" in request.POST else None,
        instance=ActionPoint(meeting=meeting),
        prefix="action",
    )
    adders = (
        (conclusion_form, meeting_services.conclusion_create, "Conclusion added."),
        (action_form, meeting_services.action_point_create, "Action point added."),
    )
    for form, create, done in adders:
        if form.is_bound and form.is_valid():
            try:
                create(meeting=meeting, **form_changes(form))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, done)
                return redirect(meeting_tab(meeting, "conclusions"))
    context = {
        "conclusions": meeting.conclusions.order_by("position"),
        "action_points": meeting.action_points.select_related("fulfilled_by")
        .prefetch_related("responsible")
        .order_by("position"),
        "conclusion_form": conclusion_form,
        "action_form": action_form,
    }
    status = 400 if request.method == "POST" else 200
    return _render_tab(request, meeting, "conclusions", context, status)


# -- documents ------------------------------------------------------------------------------


def _documents_context(meeting, upload_form=None, generate_form=None, replacing=None):
    """The documents tab. `replacing`, an uploaded document, pre-fills the upload form: the
    same kind, language and title make the new file its next revision."""
    if upload_form is None and replacing is not None:
        upload_form = forms.DocumentUploadForm(
            prefix="upload",
            initial={
                "kind": replacing.kind,
                "title": replacing.title,
                "language": replacing.language,
                "visibility": replacing.visibility,
            },
        )
    return {
        "documents": meeting.documents.select_related("uploaded_by").order_by("kind", "-revision"),
        "jobs": meeting.render_jobs.select_related("document").order_by("-created_at")[:5],
        "upload_form": upload_form or forms.DocumentUploadForm(prefix="upload"),
        "generate_form": generate_form or forms.GenerateForm(prefix="generate"),
        "replacing": replacing,
    }


def _document_replaced(request, meeting):
    try:
        uid = uuid.UUID(request.GET.get("replace", ""))
    except ValueError:
        return None
    return Document.objects.filter(meeting=meeting, uid=uid, generated=False).first()


@secretariat_only
def meeting_documents(request, slug):
    meeting = _meeting(slug)
    replacing = _document_replaced(request, meeting)
    if request.method != "POST":
        context = _documents_context(meeting, replacing=replacing)
        return _render_tab(request, meeting, "documents", context)
    form = forms.DocumentUploadForm(request.POST, request.FILES, prefix="upload")
    if form.is_valid():
        try:
            document = meeting_services.document_upload(
                meeting=meeting,
                uploaded_file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
                visibility=form.cleaned_data["visibility"],
                uploaded_by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Document uploaded as revision {document.revision}. It is not published yet.",
            )
            return redirect(meeting_tab(meeting, "documents"))
    context = _documents_context(meeting, form, replacing=replacing)
    return _render_tab(request, meeting, "documents", context, 400)


@secretariat_only
@require_POST
def document_delete(request, slug, uid):
    """Delete a document that was never published (the button asks first)."""
    meeting = _meeting(slug)
    document = get_object_or_404(Document, meeting=meeting, uid=uid)
    try:
        version = int(request.POST["version"]) if request.POST.get("version") else None
    except ValueError:
        return HttpResponse("version must be a number.", status=400)
    try:
        meeting_services.document_delete(
            document=document, expected_version=version, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except VersionConflict:
        messages.error(request, _not_deleted(conflict_with(document)))
    else:
        messages.success(request, f"“{document.title}” deleted.")
    return redirect(meeting_tab(meeting, "documents"))


@secretariat_only
@require_POST
def document_generate(request, slug):
    meeting = _meeting(slug)
    form = forms.GenerateForm(request.POST, prefix="generate")
    if not form.is_valid():
        context = _documents_context(meeting, generate_form=form)
        return _render_tab(request, meeting, "documents", context, 400)
    meeting_services.document_request_render(
        meeting=meeting, kind=form.cleaned_data["kind"], requested_by=request.user
    )
    messages.success(request, "Generating the document; its progress shows below.")
    return redirect(meeting_tab(meeting, "documents"))


@secretariat_only
@require_POST
def document_publication(request, slug, uid):
    meeting = _meeting(slug)
    document = get_object_or_404(Document, meeting=meeting, uid=uid)
    publish = request.POST.get("action") == "publish"
    try:
        if publish:
            meeting_services.document_publish(document=document, by=request.user)
        else:
            meeting_services.document_unpublish(document=document, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{document.title}” {'published' if publish else 'withdrawn'}.")
    return redirect(meeting_tab(meeting, "documents"))


# -- workflow and history -------------------------------------------------------------------


WORKFLOW_DONE = {
    Meeting.RecordStatus.PUBLISHED: "Publishing the record: its Summary/conclusions is being "
    "issued (progress on the Documents tab); record and PDF go public together.",
    Meeting.RecordStatus.REOPENED: "The record is reopened for correction. Everyone else keeps "
    "reading the published revision until the corrected record is published.",
}


@secretariat_only
def meeting_workflow(request, slug):
    """Move the record along its workflow. A step that others see or hear of (publishing,
    reopening) first shows what it will do and asks for a reason or change note."""
    meeting = _meeting(slug)
    form = forms.RecordStatusForm(request.POST or request.GET or None)
    tab = request.POST.get("tab") or request.GET.get("tab")
    back = meeting_tab(meeting, tab if tab in dict(MEETING_TABS) else "details")
    if not form.is_valid():
        messages.error(request, "Choose a record status.")
        return redirect(back)
    status = form.cleaned_data["status"]
    needs_confirmation = status in meeting_services.RECORD_TRANSITIONS_CONFIRMED
    if request.method == "POST" and (form.cleaned_data["confirmed"] or not needs_confirmation):
        try:
            meeting = meeting_services.meeting_set_record_status(
                meeting=meeting, status=status, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if not needs_confirmation:
                messages.error(request, " ".join(error.messages))
                return redirect(back)
            apply_errors(form, error)
        else:
            meeting.refresh_from_db()
            messages.success(
                request,
                WORKFLOW_DONE.get(
                    status, f"The record is now {meeting.get_record_status_display()}."
                ),
            )
            return redirect(back)
    context = {
        "form": form,
        "target": Meeting.RecordStatus(status),
        "back": back,
        "recipients": record_notification_recipients(meeting=meeting)
        if status == Meeting.RecordStatus.PUBLISHED
        else [],
        "revision_number": meeting.revisions.count() + 1,
    }
    return _render_tab(request, meeting, "workflow", context, 400 if form.errors else 200)


@secretariat_only
def meeting_history_view(request, slug):
    meeting = _meeting(slug)
    context = {
        "entries": meeting_history(meeting),
        "transitions": meeting.transitions.select_related("by"),
        "revisions": meeting.revisions.select_related("document", "issued_by"),
    }
    return _render_tab(request, meeting, "history", context)


# -- generic edit, delete, reorder ----------------------------------------------------------


def _part(name: str):
    part = PARTS.get(name)
    if part is None:
        raise Http404("Nothing of that kind is edited here.")
    return part


@secretariat_only
def part_edit(request, part, pk):
    spec = _part(part)
    obj = get_object_or_404(spec.model, pk=pk)
    form = spec.form(request.POST or None, instance=obj)
    conflict = None
    if request.method == "POST" and form.is_valid():
        refused, conflict = save_versioned(form, update=spec.update, by=request.user)
        if refused is None:
            messages.success(request, "Saved.")
            return redirect(spec.back(obj))
        form = refused
    status = 409 if conflict else _status(form)
    context = {
        "form": form,
        "object": obj,
        "conflict": conflict,
        "verbose_name": spec.model._meta.verbose_name,
        "back": spec.back(obj),
    }
    return render(request, "secretariat/edit.html", context, status=status)


@secretariat_only
def part_create(request, part):
    spec = _part(part)
    if spec.create_form is None:
        raise Http404("These are added on the page they belong to.")
    form = spec.create_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = spec.create(form_changes(form), request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{spec.model._meta.verbose_name.capitalize()} created.")
            return redirect(spec.back(obj))
    context = {"form": form, "verbose_name": spec.model._meta.verbose_name, "back": None}
    return render(request, "secretariat/edit.html", context, status=_status(form))


def _not_deleted(conflict) -> str:
    when = f" at {timezone.localtime(conflict.saved_at):%H:%M:%S}" if conflict.saved_at else ""
    return (
        f"Not deleted: {conflict.what} was saved by {conflict.saved_by}{when} after you loaded "
        "the page. Check what changed, then delete it again if it should go."
    )


@secretariat_only
@require_POST
def part_delete(request, part, pk):
    spec = _part(part)
    if spec.delete is None:
        raise Http404("These are not deleted from the workspace.")
    obj = get_object_or_404(spec.model, pk=pk)
    back = spec.back(obj)
    try:
        version = int(request.POST["version"]) if request.POST.get("version") else None
    except ValueError:
        return HttpResponse("version must be a number.", status=400)
    try:
        spec.delete(obj, version, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    except VersionConflict:
        messages.error(request, _not_deleted(conflict_with(obj)))
        return redirect(back)
    messages.success(request, f"{spec.model._meta.verbose_name.capitalize()} deleted.")
    return redirect(back)


@secretariat_only
@require_POST
def part_move(request, part, pk):
    """Move up or down one place (the keyboard's way of reordering)."""
    spec = _part(part)
    if spec.siblings is None:
        raise Http404("These have no order.")
    obj = get_object_or_404(spec.model, pk=pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if offset is None:
        return HttpResponse("Say direction=up or direction=down.", status=400)
    ids = list(spec.siblings(obj).order_by("position").values_list("id", flat=True))
    return _reorder(request, spec, obj, positions_moved(ids=ids, moving=obj.pk, offset=offset))


@secretariat_only
@require_POST
def part_order(request, part):
    """Save the order a drag and drop left: `ids` lists the rows in their new order."""
    spec = _part(part)
    if spec.siblings is None:
        raise Http404("These have no order.")
    try:
        ids = [int(pk) for pk in request.POST.get("ids", "").split(",") if pk]
    except ValueError:
        return HttpResponse("ids must be a comma-separated list of numbers.", status=400)
    first = spec.model.objects.filter(pk__in=ids[:1]).first()
    if first is None:
        return HttpResponse("ids names nothing to reorder.", status=400)
    return _reorder(request, spec, first, ids)


def _reorder(request, spec, obj, ids):
    try:
        spec.reorder(obj, ids)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(spec.back(obj))


# -- projects -------------------------------------------------------------------------------


@secretariat_only
def project_list(request):
    projects = list(Project.objects.select_related("parent").order_by("title"))
    children: dict[int | None, list] = {}
    for project in projects:
        children.setdefault(project.parent_id, []).append(project)
    tree = []

    def walk(parent_id, depth):
        for project in children.get(parent_id, []):
            tree.append((project, depth))
            walk(project.pk, depth + 1)

    walk(None, 0)
    return render(request, "secretariat/project_list.html", {"tree": tree})


def _object_page(request, *, obj, form_class, save_button, adders, template, context):
    """An object's edit form with the forms that add its parts (a project's partners and
    sites, a workplan's activities). `adders` maps a context name to (submit button name,
    form built from the POST data or None, the service that creates the part, called with
    the form's fields and `by`)."""
    form = form_class(request.POST if save_button in request.POST else None, instance=obj)
    conflict = None
    if form.is_bound and form.is_valid():
        spec = PARTS_BY_MODEL[type(obj)]
        refused, conflict = save_versioned(form, update=spec.update, by=request.user)
        if refused is None:
            messages.success(request, "Saved.")
            return redirect(PARTS_BY_MODEL[type(obj)].back(obj))
        form = refused
    part_forms = {}
    for name, (button, build, create) in adders.items():
        part_form = build(request.POST if button in request.POST else None)
        if part_form.is_bound and part_form.is_valid():
            try:
                create(by=request.user, **form_changes(part_form))
            except ValidationError as error:
                apply_errors(part_form, error)
            else:
                messages.success(request, "Added.")
                return redirect(PARTS_BY_MODEL[type(obj)].back(obj))
        part_forms[name] = part_form
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    context = {**context, **part_forms, "form": form, "conflict": conflict}
    return render(request, template, context, status=status)


@secretariat_only
def project_detail(request, slug):
    project = get_object_or_404(Project.objects.select_related("dialogue", "parent"), slug=slug)
    return _object_page(
        request,
        obj=project,
        form_class=forms.ProjectForm,
        save_button="save_project",
        adders={
            "partner_form": (
                "add_partner",
                lambda data: forms.ProjectPartnerForm(
                    data, instance=ProjectPartner(project=project), prefix="partner"
                ),
                partial(project_services.project_partner_add, project=project),
            ),
            "site_form": (
                "add_site",
                lambda data: forms.SiteForm(data, instance=Site(project=project), prefix="site"),
                partial(project_services.site_add, project=project),
            ),
        },
        template="secretariat/project_detail.html",
        context={
            "project": project,
            "partners": project.partners.select_related("participant"),
            "sites": project.sites.select_related("country"),
        },
    )


# -- workplans ------------------------------------------------------------------------------


@secretariat_only
def workplan_index(request):
    return render(
        request,
        "secretariat/workplan_index.html",
        {
            "frameworks": CooperationFramework.objects.prefetch_related("cadence"),
            "focuses": ThematicFocus.objects.select_related("thematic_chair"),
            "workplans": Workplan.objects.select_related("framework", "thematic_focus"),
        },
    )


@secretariat_only
def framework_detail(request, pk):
    framework = get_object_or_404(CooperationFramework, pk=pk)
    return _object_page(
        request,
        obj=framework,
        form_class=forms.FrameworkForm,
        save_button="save",
        adders={
            "cadence_form": (
                "add_cadence",
                lambda data: forms.CadenceForm(
                    data, instance=FrameworkCadence(framework=framework), prefix="cadence"
                ),
                partial(
                    workplan_services.workplan_part_create,
                    model=FrameworkCadence,
                    framework=framework,
                ),
            )
        },
        template="secretariat/framework_detail.html",
        context={"framework": framework, "cadence": framework.cadence.all()},
    )


@secretariat_only
def workplan_detail(request, pk):
    workplan = get_object_or_404(Workplan, pk=pk)
    return _object_page(
        request,
        obj=workplan,
        form_class=forms.WorkplanForm,
        save_button="save",
        adders={
            "activity_form": (
                "add_activity",
                lambda data: forms.ActivityForm(
                    data, instance=Activity(workplan=workplan), prefix="activity"
                ),
                partial(workplan_services.activity_create, workplan=workplan),
            )
        },
        template="secretariat/workplan_detail.html",
        context={
            "workplan": workplan,
            "activities": workplan.activities.select_related("project", "realised_by")
            .prefetch_related("countries", "responsible")
            .order_by("position"),
        },
    )
