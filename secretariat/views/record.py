"""What was said and agreed: each agenda item's narrative and statements, the conclusions and
action points, and the record's workflow (review, adoption, publication, reopening)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from bpdialogue.text import render_record
from meetings import services as meeting_services
from meetings.models import ActionPoint, AgendaItem, ConclusionReference, Meeting, Statement
from meetings.notifications import record_notification_recipients

from .. import forms, selectors
from ..access import secretariat_only
from ..editing import apply_errors, form_changes, save_versioned
from ..parts import PARTS, meeting_tab
from ..tracker_forms import ConclusionReferenceForm
from .common import MEETING_TABS, is_htmx, render_tab, share_choices, workspace_meeting
from .meetings import _meeting_update


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
    for item in selectors.agenda_items(meeting=meeting, with_statements=True):
        items.append(item)
        items.extend(item.sub_items.all())
    for item in items:
        # The forms read the meeting's authoritative language through the item: the meeting in
        # hand, not one query per item.
        item.meeting = meeting
    sections = [_record_section(item, **bound.get(item.pk, {})) for item in items]
    share_choices([s["statement_form"] for s in sections], "speakers")
    return {"sections": sections}


@secretariat_only
def meeting_record(request, slug):
    meeting = workspace_meeting(slug)
    return render_tab(request, meeting, "record", _record_context(meeting))


@secretariat_only
@require_POST
def record_save(request, slug, item_id):
    """Save one item's narrative. From the page's script (htmx) the answer is that item's form
    alone, swapped in place, so whatever is typed under the other items stays untouched in
    the browser; without the script, a save redirects and a refusal shows the whole tab."""
    meeting = workspace_meeting(slug)
    item = get_object_or_404(AgendaItem, meeting=meeting, pk=item_id)
    form = forms.AgendaRecordForm(request.POST, instance=item, prefix=f"r{item.pk}")
    conflict = None
    if form.is_valid():
        refused, conflict = save_versioned(
            form, update=PARTS["agenda-item"].update, by=request.user
        )
        if refused is None:
            if not is_htmx(request):
                messages.success(
                    request, gettext("Record of “%(title)s” saved.") % {"title": item.title}
                )
                return redirect(f"{meeting_tab(meeting, 'record')}#item-{item.pk}")
            item.refresh_from_db()
            section = _record_section(item, saved_at=timezone.localtime())
            return render(
                request, "secretariat/_record_form.html", {"meeting": meeting, "section": section}
            )
        form = refused
    status = 409 if conflict else 400
    if is_htmx(request):
        section = _record_section(item, record_form=form, conflict=conflict)
        context = {"meeting": meeting, "section": section}
        return render(request, "secretariat/_record_form.html", context, status=status)
    context = _record_context(meeting, {item.pk: {"record_form": form, "conflict": conflict}})
    return render_tab(request, meeting, "record", context, status)


@secretariat_only
@require_POST
def statement_add(request, slug, item_id):
    meeting = workspace_meeting(slug)
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
            messages.success(request, gettext("Statement added."))
            return redirect(f"{meeting_tab(meeting, 'record')}#item-{item.pk}")
    context = _record_context(meeting, {item.pk: {"statement_form": form}})
    return render_tab(request, meeting, "record", context, 400)


@secretariat_only
@require_POST
def record_preview(request):
    """The narrative as it will read, rendered by the same safe Markdown as the record."""
    text = request.POST.get(request.GET.get("field", "record"), "")
    return HttpResponse(render_record(text))


@secretariat_only
def meeting_conclusions(request, slug):
    meeting = workspace_meeting(slug)
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
    options_form = forms.SummaryOptionsForm(
        request.POST if "save_summary_options" in request.POST else None,
        instance=meeting,
        prefix="summary",
    )
    conflict = None
    if options_form.is_bound and options_form.is_valid():
        refused, conflict = save_versioned(options_form, update=_meeting_update, by=request.user)
        if refused is None:
            messages.success(request, gettext("Summary/conclusions options saved."))
            return redirect(meeting_tab(meeting, "conclusions"))
        options_form = refused
    reference_form = ConclusionReferenceForm(
        request.POST if "add_reference" in request.POST else None,
        meeting=meeting,
        prefix="reference",
    )
    adders = (
        (conclusion_form, meeting_services.conclusion_create, gettext("Conclusion added.")),
        (action_form, meeting_services.action_point_create, gettext("Action point added.")),
        (reference_form, _reference_add, gettext("Reference to an earlier conclusion added.")),
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
        **selectors.meeting_conclusions_lists(meeting=meeting),
        "conclusion_form": conclusion_form,
        "action_form": action_form,
        "reference_form": reference_form,
        "options_form": options_form,
        "conflict": conflict,
    }
    status = 409 if conflict else 400 if request.method == "POST" else 200
    return render_tab(request, meeting, "conclusions", context, status)


def _reference_add(*, meeting, **fields):
    return meeting_services.conclusion_reference_add(**fields)


@secretariat_only
@require_POST
def conclusion_reference_remove(request, slug, pk):
    meeting = workspace_meeting(slug)
    reference = get_object_or_404(ConclusionReference, conclusion__meeting=meeting, pk=pk)
    try:
        meeting_services.conclusion_reference_remove(reference=reference)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Reference removed."))
    return redirect(meeting_tab(meeting, "conclusions"))


WORKFLOW_DONE = {
    Meeting.RecordStatus.PUBLISHED: gettext_lazy(
        "Publishing the record: its Summary/conclusions is being issued (progress on the "
        "Documents tab); record and PDF go public together."
    ),
    Meeting.RecordStatus.REOPENED: gettext_lazy(
        "The record is reopened for correction. Everyone else keeps reading the published "
        "revision until the corrected record is published."
    ),
}


@secretariat_only
def meeting_workflow(request, slug):
    """Move the record along its workflow. A step that others see or hear of (publishing,
    reopening) first shows what it will do and asks for a reason or change note."""
    meeting = workspace_meeting(slug)
    form = forms.RecordStatusForm(request.POST or request.GET or None)
    tab = request.POST.get("tab") or request.GET.get("tab")
    back = meeting_tab(meeting, tab if tab in dict(MEETING_TABS) else "details")
    if not form.is_valid():
        messages.error(request, gettext("Choose a record status."))
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
                    status,
                    gettext("The record is now %(status)s.")
                    % {"status": meeting.get_record_status_display()},
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
    return render_tab(request, meeting, "workflow", context, 400 if form.errors else 200)
