"""Downloads of documents and the progress of render jobs. Both answer 404 for what the viewer
may not know exists."""

from pathlib import Path

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from .access import access_document, access_render_job
from .models import RenderJob


@require_GET
def document_download(request, uid):
    document = access_document(viewer=request.user, uid=uid)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The document's file is missing.") from missing
    extension = Path(document.file.name).suffix
    # "Summary/conclusions – ..." gives "summary-conclusions-...".
    filename = f"{slugify(document.title.replace('/', ' '))[:100] or 'document'}"
    if document.revision > 1:
        filename += f"-rev{document.revision}"
    response = FileResponse(
        handle,
        # PDFs open in the browser; office files are saved.
        as_attachment=document.content_type != "application/pdf",
        filename=f"{filename}{extension}",
        content_type=document.content_type,
    )
    # A document may be withdrawn: shared caches must not keep a copy.
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def render_job_status(request, uid):
    """The job's state as an HTML fragment; htmx polls it until the job has finished. Seen by
    the secretariat and by whoever asked for the job."""
    job = access_render_job(viewer=request.user, uid=uid)
    finished = job.status in (RenderJob.Status.SUCCEEDED, RenderJob.Status.FAILED)
    return render(request, "meetings/_render_job.html", {"job": job, "finished": finished})
