"""A meeting's documents: uploads and their revisions, generated documents, publication."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from bpdialogue.access import SECRETARIAT_DOCUMENT_KINDS
from bpdialogue.models import VersionConflict
from bpdialogue.translations import authoritative_language
from meetings import documents as document_services
from meetings.models import Document
from meetings.selectors import attendance_forms_missing

from .. import forms, selectors
from ..access import secretariat_only
from ..editing import apply_errors, conflict_with
from ..parts import meeting_tab
from .common import not_deleted, render_tab, workspace_meeting


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
        **selectors.meeting_documents_lists(meeting=meeting),
        "upload_form": upload_form or forms.DocumentUploadForm(prefix="upload"),
        "generate_form": generate_form or forms.GenerateForm(prefix="generate"),
        "organisers_kinds": SECRETARIAT_DOCUMENT_KINDS,
        "replacing": replacing,
        # What the secretariat fills in before a translated Summary/conclusions reads right.
        "name_forms_missing": attendance_forms_missing(meeting=meeting),
    }


@secretariat_only
def meeting_documents(request, slug):
    meeting = workspace_meeting(slug)
    replacing = selectors.document_uploaded(meeting=meeting, uid=request.GET.get("replace", ""))
    if request.method != "POST":
        context = _documents_context(meeting, replacing=replacing)
        return render_tab(request, meeting, "documents", context)
    form = forms.DocumentUploadForm(request.POST, request.FILES, prefix="upload")
    if form.is_valid():
        try:
            document = document_services.document_upload(
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
                gettext("Document uploaded as revision %(revision)s. It is not published yet.")
                % {"revision": document.revision},
            )
            return redirect(meeting_tab(meeting, "documents"))
    context = _documents_context(meeting, form, replacing=replacing)
    return render_tab(request, meeting, "documents", context, 400)


@secretariat_only
@require_POST
def document_delete(request, slug, uid):
    """Delete a document that was never published (the button asks first)."""
    meeting = workspace_meeting(slug)
    document = get_object_or_404(Document, meeting=meeting, uid=uid)
    try:
        version = int(request.POST["version"]) if request.POST.get("version") else None
    except ValueError:
        return HttpResponse(gettext("version must be a number."), status=400)
    try:
        document_services.document_delete(
            document=document, expected_version=version, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except VersionConflict:
        messages.error(request, not_deleted(conflict_with(document)))
    else:
        messages.success(request, gettext("“%(title)s” deleted.") % {"title": document.title})
    return redirect(meeting_tab(meeting, "documents"))


@secretariat_only
@require_POST
def document_generate(request, slug):
    meeting = workspace_meeting(slug)
    form = forms.GenerateForm(request.POST, prefix="generate")
    if not form.is_valid():
        context = _documents_context(meeting, generate_form=form)
        return render_tab(request, meeting, "documents", context, 400)
    language = form.cleaned_data["language"] or authoritative_language(meeting)
    if form.cleaned_data["issue"]:
        try:
            document_services.document_issue_translation(
                meeting=meeting, language=language, requested_by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            context = _documents_context(meeting, generate_form=form)
            return render_tab(request, meeting, "documents", context, 400)
        messages.success(request, gettext("Issuing the translation; its progress shows below."))
        return redirect(meeting_tab(meeting, "documents"))
    document_services.document_request_render(
        meeting=meeting,
        kind=form.cleaned_data["kind"],
        language=language,
        requested_by=request.user,
    )
    messages.success(request, gettext("Generating the document; its progress shows below."))
    return redirect(meeting_tab(meeting, "documents"))


@secretariat_only
@require_POST
def document_publication(request, slug, uid):
    meeting = workspace_meeting(slug)
    document = get_object_or_404(Document, meeting=meeting, uid=uid)
    publish = request.POST.get("action") == "publish"
    try:
        if publish:
            document_services.document_publish(document=document, by=request.user)
        else:
            document_services.document_unpublish(document=document, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = gettext("“%(title)s” published.") if publish else gettext("“%(title)s” withdrawn.")
        messages.success(request, done % {"title": document.title})
    return redirect(meeting_tab(meeting, "documents"))
