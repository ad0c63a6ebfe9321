"""The dashboard, the list of meetings and a meeting's own tabs: its details, agenda and
history, and undoing it (delete, cancel, withdraw)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

from bpdialogue.models import VersionConflict
from meetings import services as meeting_services
from meetings.agenda import agenda_headings
from meetings.models import AgendaItem, Meeting
from meetings.series import a_year_later, meeting_copy_next, next_sequence_number, next_title

from .. import forms, selectors
from ..access import secretariat_only
from ..editing import apply_errors, conflict_with, save_versioned
from ..history import meeting_history
from ..parts import meeting_tab
from .common import form_status, render_tab, workspace_meeting


@secretariat_only
def dashboard(request):
    today = timezone.localdate()
    context = {"today": today, **selectors.dashboard_lists(today=today)}
    return render(request, "secretariat/dashboard.html", context)


@secretariat_only
def meeting_list(request):
    meetings = selectors.meetings_newest_first()
    return render(request, "secretariat/meeting_list.html", {"meetings": meetings})


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
            messages.success(
                request, gettext("Meeting “%(title)s” created.") % {"title": meeting.title}
            )
            return redirect(meeting_tab(meeting, "agenda"))
    return render(
        request, "secretariat/meeting_create.html", {"form": form}, status=form_status(form)
    )


def _meeting_update(meeting, version, changes, by):
    return meeting_services.meeting_update(
        meeting=meeting, expected_version=version, changes=changes, by=by
    )


@secretariat_only
def meeting_details(request, slug):
    meeting = workspace_meeting(slug)
    form = forms.MeetingForm(request.POST or None, instance=meeting)
    conflict = None
    if request.method == "POST" and form.is_valid():
        refused, conflict = save_versioned(form, update=_meeting_update, by=request.user)
        if refused is None:
            messages.success(request, gettext("Details saved."))
            return redirect(meeting_tab(meeting, "details"))
        form = refused
        if conflict:
            meeting = workspace_meeting(slug)
    status = 409 if conflict else form_status(form)
    context = {
        "form": form,
        "conflict": conflict,
        "was_published": meeting_services.meeting_was_published(meeting=meeting),
    }
    return render_tab(request, meeting, "details", context, status)


@secretariat_only
def meeting_copy(request, slug):
    """The next meeting of this one's series, after a page that says what it will hold and
    asks for its dates (a year later, to begin with); then opened to be adjusted."""
    meeting = workspace_meeting(slug)
    initial = {
        "start_date": a_year_later(meeting.start_date),
        "end_date": a_year_later(meeting.end_date),
    }
    form = forms.MeetingCopyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            copy = meeting_copy_next(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                gettext(
                    "“%(copy)s” created as a planned meeting with the agenda of “%(meeting)s” "
                    "(its items, without what was recorded). Invitations start afresh on its "
                    "Invitations tab."
                )
                % {"copy": copy.title, "meeting": meeting.title},
            )
            return redirect(meeting_tab(copy, "details"))
    number = next_sequence_number(meeting)
    context = {
        "form": form,
        "title": next_title(meeting, number),
        "number": number,
        "items": meeting.agenda_items.count(),
    }
    return render_tab(
        request, meeting, "details", context, form_status(form), "secretariat/meeting_copy.html"
    )


# Undoing a meeting: deleted if its record never went public, otherwise cancelled or
# withdrawn from view (the record stays). Each asks first, on a page of its own.
MEETING_UNDO = {
    "delete": {
        "heading": gettext_lazy("Delete this meeting"),
        "explanation": gettext_lazy(
            "The meeting goes with everything recorded under it. Partners mirroring the data "
            "are told through the deletions feed; the change history keeps what it held."
        ),
        "button": gettext_lazy("Delete the meeting"),
    },
    "cancel": {
        "heading": gettext_lazy("Cancel this meeting"),
        "explanation": gettext_lazy(
            "The meeting stays, marked cancelled: calendar subscribers see the cancellation, "
            "and its record and documents stay as they are."
        ),
        "button": gettext_lazy("Mark the meeting cancelled"),
        "done": gettext_lazy("The meeting is marked cancelled."),
        "changes": {"status": Meeting.Status.CANCELLED},
    },
    "withdraw": {
        "heading": gettext_lazy("Withdraw this meeting from view"),
        "explanation": gettext_lazy(
            "Only the secretariat will see the meeting, its record and documents: they leave "
            "the public pages, the delegates' pages, the API and the calendar. Visibility on "
            "the Details tab brings it back."
        ),
        "button": gettext_lazy("Withdraw from view"),
        "done": gettext_lazy("The meeting is withdrawn: only the secretariat sees it now."),
        "changes": {"visibility": "secretariat"},
    },
}


def _meeting_undo_refusal(meeting, action) -> str:
    if action == "delete" and meeting_services.meeting_was_published(meeting=meeting):
        return gettext(
            "This meeting's record has been published, so the meeting stays in the record of "
            "the dialogue. Cancel it or withdraw it from view instead."
        )
    if action == "cancel" and meeting.status == Meeting.Status.CANCELLED:
        return gettext("This meeting is cancelled already.")
    if action == "withdraw" and meeting.visibility == "secretariat":
        return gettext("Only the secretariat sees this meeting already.")
    return ""


# What deleting a meeting takes with it, each count in a phrase of its own: the noun's form
# follows the number (Russian has three).
CONTENTS = {
    "agenda items": ngettext_lazy("%(count)d agenda item", "%(count)d agenda items", "count"),
    "statements": ngettext_lazy("%(count)d statement", "%(count)d statements", "count"),
    "delegations": ngettext_lazy("%(count)d delegation", "%(count)d delegations", "count"),
    "conclusions": ngettext_lazy("%(count)d conclusion", "%(count)d conclusions", "count"),
    "action points": ngettext_lazy("%(count)d action point", "%(count)d action points", "count"),
    "documents": ngettext_lazy("%(count)d document", "%(count)d documents", "count"),
}


def _contents(meeting) -> list[str]:
    counts = selectors.meeting_contents_counts(meeting=meeting)
    return [CONTENTS[name] % {"count": count} for name, count in counts.items()]


@secretariat_only
def meeting_undo(request, slug, action):
    """Delete, cancel or withdraw a meeting, after a page that says what it will do. The
    confirming form carries the meeting's version: a change made meanwhile is shown first."""
    meeting = workspace_meeting(slug)
    undo = MEETING_UNDO[action]
    conflict = None
    if request.method == "POST" and not _meeting_undo_refusal(meeting, action):
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            return HttpResponse(gettext("version must be a number."), status=400)
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
            meeting = workspace_meeting(slug)
            conflict = conflict_with(meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(meeting_tab(meeting, "details"))
        else:
            if action == "delete":
                messages.success(
                    request, gettext("Meeting “%(title)s” deleted.") % {"title": meeting.title}
                )
                return redirect("secretariat:meetings")
            messages.success(request, undo["done"])
            return redirect(meeting_tab(meeting, "details"))
    context = {
        **undo,
        "action": action,
        "refusal": _meeting_undo_refusal(meeting, action),
        "counts": _contents(meeting) if action == "delete" else [],
        "conflict": conflict,
    }
    return render_tab(request, meeting, "confirm", context, 409 if conflict else 200)


@secretariat_only
def meeting_agenda(request, slug):
    meeting = workspace_meeting(slug)
    form = forms.AgendaItemForm(request.POST or None, instance=AgendaItem(meeting=meeting))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            item = meeting_services.agenda_item_create(meeting=meeting, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, gettext("Added “%(title)s”.") % {"title": item.title})
            return redirect(meeting_tab(meeting, "agenda"))
    items = list(selectors.agenda_items(meeting=meeting))
    for item, heading in zip(items, agenda_headings(items), strict=True):
        item.day_heading, item.session_heading = heading.day, heading.session
    return render_tab(request, meeting, "agenda", {"items": items, "form": form}, form_status(form))


@secretariat_only
def meeting_history_view(request, slug):
    meeting = workspace_meeting(slug)
    context = {
        "entries": meeting_history(meeting),
        **selectors.meeting_workflow_trail(meeting=meeting),
    }
    return render_tab(request, meeting, "history", context)
