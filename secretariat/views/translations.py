"""Translations in the workspace: a meeting's and a project's translated fields side by side
with their originals, each translation saved in place (htmx) with its version checked, and
the workspace-wide list of what needs translating."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from bpdialogue.models import VersionConflict
from bpdialogue.services import save_translation
from projects.models import Project

from ..access import secretariat_only
from ..translating import (
    KIND_LABELS,
    STATUS_LABELS,
    Filters,
    meeting_translation_rows,
    needs_translating,
    project_translation_rows,
    rows_of,
    translation_target,
)
from .common import is_htmx, render_tab, workspace_meeting


@secretariat_only
def meeting_translations(request, slug):
    meeting = workspace_meeting(slug)
    return render_tab(request, meeting, "translations", {"rows": meeting_translation_rows(meeting)})


@secretariat_only
def project_translations(request, slug):
    project = get_object_or_404(Project, slug=slug)
    return render(
        request,
        "secretariat/project_translations.html",
        {"project": project, "rows": project_translation_rows(project)},
    )


@secretariat_only
def translations_index(request):
    filters = Filters.from_query(request.GET)
    return render(
        request,
        "secretariat/translations.html",
        {
            **needs_translating(filters),
            "filters": filters,
            "kinds": KIND_LABELS,
            "statuses": STATUS_LABELS,
        },
    )


@secretariat_only
@require_POST
def translation_save(request, kind, pk, field, language):
    """Save one translation. From the page's script the answer is the row alone, swapped in
    place; without it, a redirect back to the page it came from (a refusal says why there)."""
    obj = translation_target(kind, pk)
    if obj is None:
        raise Http404(gettext("This record was deleted meanwhile."))
    error = conflict = ""
    status = 200
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version, error = None, gettext("The form lacks the version it was loaded at.")
        status = 400
    text = request.POST.get("text", "")
    if version is not None:
        try:
            obj = save_translation(
                obj, field, language, text, user=request.user, expected_version=version
            )
        except VersionConflict:
            obj.refresh_from_db()
            conflict = gettext(
                "Someone saved this record after you loaded the page: their version is "
                "shown; yours is in the box. Save again to replace theirs."
            )
            status = 409
        except ValidationError as refused:
            error = " ".join(refused.messages)
            status = 400
    rows = [row for row in rows_of(obj) if row.field == field and row.language == language]
    if not rows:
        # Not a field with a translation in this language (its original's language, say).
        if error:
            return HttpResponseBadRequest(error)
        raise Http404(gettext("No such translated field."))
    row = rows[0]
    if status != 200:
        row.theirs = row.translation if conflict else ""
        row.translation, row.error, row.conflict = text, error, conflict
    if is_htmx(request):
        return render(request, "secretariat/_translation_row.html", {"row": row}, status=status)
    if status == 200:
        messages.success(request, gettext("Translation saved."))
    else:
        messages.error(request, conflict or error)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "secretariat:translations"
    return redirect(back)
