"""Downloads of documents and the progress of render jobs. Both answer 404 for what the viewer
may not know exists. `document_file_response` streams a document's file for the portal's
download link and the API's `documents/{uid}/file/` alike."""

from pathlib import Path

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.http import http_date, quote_etag
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from .access import access_document, access_render_job
from .models import Document, RenderJob


def document_file_response(
    document: Document,
    *,
    filename: str,
    as_attachment: bool,
    validators: bool = False,
    missing: type[Exception] = Http404,
) -> FileResponse:
    """The document's file, streamed. Call it once the viewer may see the document.
    `validators` adds the ETag (the file's checksum) and Last-Modified a client revalidates
    with; a file gone from storage raises `missing` (the API passes its own NotFound)."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as gone:
        raise missing("The document's file is missing.") from gone
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=document.content_type
    )
    if validators:
        response["ETag"] = quote_etag(document.sha256 or f"{document.uid}-{document.version}")
        response["Last-Modified"] = http_date(document.updated_at.timestamp())
    # A document may be withdrawn: shared caches must not keep a copy.
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def document_download(request, uid):
    document = access_document(viewer=request.user, uid=uid)
    extension = Path(document.file.name).suffix
    # "Summary/conclusions – ..." gives "summary-conclusions-...-en", "Резюме/выводы – ..."
    # "резюме-выводы-...-ru": each language's document is a file of its own, named so.
    title = slugify(document.title.replace("/", " "), allow_unicode=True)[:100]
    filename = f"{title or 'document'}-{document.language}"
    if document.revision > 1:
        filename += f"-rev{document.revision}"
    return document_file_response(
        document,
        filename=f"{filename}{extension}",
        # PDFs open in the browser; office files are saved.
        as_attachment=document.content_type != "application/pdf",
    )


@require_GET
def render_job_status(request, uid):
    """The job's state as an HTML fragment; htmx polls it until the job has finished. Seen by
    the secretariat and by whoever asked for the job."""
    job = access_render_job(viewer=request.user, uid=uid)
    finished = job.status in (RenderJob.Status.SUCCEEDED, RenderJob.Status.FAILED)
    return render(request, "meetings/_render_job.html", {"job": job, "finished": finished})
