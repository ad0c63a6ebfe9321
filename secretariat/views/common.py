"""What the workspace's views share: a meeting's tabs, the page of an object with the forms
that add its parts, and the small answers every view gives the same way."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from meetings import services as meeting_services
from meetings.models import Meeting

from .. import forms
from ..editing import apply_errors, form_changes, save_versioned
from ..parts import PARTS_BY_MODEL
from ..selectors import workspace_meetings

MEETING_TABS = [
    ("details", gettext_lazy("Details")),
    ("agenda", gettext_lazy("Agenda")),
    ("invitations", pgettext_lazy("meeting tab", "Invitations")),
    ("attendance", gettext_lazy("Attendance")),
    ("record", gettext_lazy("Record")),
    ("conclusions", gettext_lazy("Conclusions and action points")),
    ("documents", gettext_lazy("Documents")),
    ("translations", gettext_lazy("Translations")),
    ("history", gettext_lazy("History")),
]


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def share_choices(form_list, *names):
    """Let many copies of one form share the choices of their select fields: one query for
    the page instead of one per form."""
    if not form_list:
        return
    for name in names:
        choices = list(form_list[0].fields[name].choices)
        for form in form_list:
            form.fields[name].choices = choices


def form_status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def workspace_meeting(slug: str) -> Meeting:
    return get_object_or_404(workspace_meetings(), slug=slug)


def render_tab(request, meeting, tab, context, status=200, template=""):
    """A page of the meeting's workspace under its title and tabs, `tab` current: the tab's
    own template, or `template` (an edit page reached from the tab)."""
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
    return render(request, template or f"secretariat/meeting_{tab}.html", context, status=status)


def not_deleted(conflict) -> str:
    fields = {"what": conflict.what, "who": conflict.saved_by}
    if conflict.saved_at:
        fields["time"] = f"{timezone.localtime(conflict.saved_at):%H:%M:%S}"
        return (
            gettext(
                "Not deleted: %(what)s was saved by %(who)s at %(time)s after you loaded the page. "
                "Check what changed, then delete it again if it should go."
            )
            % fields
        )
    return (
        gettext(
            "Not deleted: %(what)s was saved by %(who)s after you loaded the page. Check what "
            "changed, then delete it again if it should go."
        )
        % fields
    )


def object_page(request, *, obj, form_class, save_button, adders, template, context):
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
            messages.success(request, gettext("Saved."))
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
                messages.success(request, gettext("Added."))
                return redirect(PARTS_BY_MODEL[type(obj)].back(obj))
        part_forms[name] = part_form
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    context = {**context, **part_forms, "form": form, "conflict": conflict}
    return render(request, template, context, status=status)
