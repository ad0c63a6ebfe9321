"""Importing people, or a meeting's delegations, from a spreadsheet: upload, a preview with
each row's errors and what it will do, then confirm. The rows read are kept in the session
between the preview and the confirmation, and checked again on confirming, so what is saved
is what the database allows then."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from meetings import imports as delegation_imports
from participants import imports as people_imports

from ..access import secretariat_only
from ..people_forms import SpreadsheetForm
from .common import workspace_meeting


def _import_page(request, *, key, headings, preview, apply, context):
    """Upload → preview → confirm → summary. `preview(table)` gives the rows to show,
    `apply(table)` imports them (ValidationError if any row is refused now)."""
    form = SpreadsheetForm()
    rows, summary, status = None, None, 200
    if request.method == "POST" and "confirm" in request.POST:
        table = request.session.get(key)
        if table is None:
            messages.error(request, gettext("Nothing to import any more: upload the file again."))
            return redirect(request.path)
        try:
            summary = apply(table)
        except ValidationError as error:
            status = 400
            messages.error(
                request, gettext("Nothing was saved: %(why)s") % {"why": " ".join(error.messages)}
            )
            try:
                rows = preview(table)
            except ValidationError:  # refused whole (a published record): no rows to show
                rows = None
        else:
            del request.session[key]
    elif request.method == "POST":
        form = SpreadsheetForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                table = people_imports.read_table(form.cleaned_data["file"], headings)
                rows = preview(table)
            except ValidationError as error:
                form.add_error("file", error)
            else:
                request.session[key] = table
        if form.errors:
            status = 400
    context = {
        **context,
        "form": form,
        "rows": rows,
        "has_errors": rows is not None and any(row.errors for row in rows),
        "summary": summary,
        "max_rows": people_imports.MAX_ROWS,
    }
    return render(request, "secretariat/people_import.html", context, status=status)


@secretariat_only
def people_import(request):
    return _import_page(
        request,
        key="import:people",
        headings=people_imports.HEADINGS,
        preview=people_imports.people_preview,
        apply=lambda table: people_imports.people_import(table, by=request.user),
        context={
            "title": gettext("Import people"),
            "columns": "honorific, given name, family name, position, affiliation (a country "
            "or organisation: its name, an earlier name or its ISO code), e-mail, phone",
        },
    )


@secretariat_only
def delegations_import(request, slug):
    meeting = workspace_meeting(slug)
    return _import_page(
        request,
        key=f"import:delegations:{meeting.pk}",
        headings=delegation_imports.DELEGATION_HEADINGS,
        preview=lambda table: delegation_imports.delegations_preview(meeting, table),
        apply=lambda table: delegation_imports.delegations_import(meeting, table, by=request.user),
        context={
            "title": gettext("Import delegations to %(title)s") % {"title": meeting.title},
            "meeting": meeting,
            "columns": "participant (its name, an earlier name or its ISO code), headcount, "
            "attends as (participant, observer, guest…); and for each person of the "
            "delegation: given name, family name, position, e-mail, role in the delegation "
            "(head, delegate, adviser). Each person named is registered and confirmed.",
        },
    )
