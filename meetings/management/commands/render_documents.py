"""Generate meetings' documents from the command line, in this process (no worker needed)."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from meetings.documents import document_request_render
from meetings.models import Meeting, RenderJob
from meetings.rendering import GENERATED_KINDS
from meetings.tasks import render_document


def _where(document) -> str:
    try:
        return document.file.path
    except NotImplementedError:  # object storage has names, not paths
        return document.file.name


class Command(BaseCommand):
    help = (
        "Render the Summary/conclusions, agenda and list of participants of one meeting "
        "(--meeting) or of all meetings (--all) and print where each file is stored: its path, "
        "or its name in the bucket when documents are in object storage. "
        "Unchanged content reuses the stored file."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--meeting", help="the meeting's id or slug")
        which.add_argument("--all", action="store_true", help="every meeting")
        parser.add_argument("--kind", choices=[str(kind) for kind in GENERATED_KINDS])
        parser.add_argument("--language", default="en")
        parser.add_argument(
            "--archival",
            action="store_true",
            help="PDF/A (always so for the summary of an adopted or published record)",
        )

    def handle(self, *args, **options):
        meetings = Meeting.objects.order_by("start_date", "id")
        if options["meeting"]:
            value = options["meeting"]
            meetings = meetings.filter(**{"pk" if value.isdigit() else "slug": value})
            if not meetings.exists():
                raise CommandError(f"No meeting {value!r}.")
        kinds = [options["kind"]] if options["kind"] else list(GENERATED_KINDS)
        work = [(meeting, kind) for meeting in meetings for kind in kinds]
        jobs = []
        for meeting, kind in tqdm(work, desc="Rendering", unit="document", disable=None):
            job = document_request_render(
                meeting=meeting,
                kind=kind,
                language=options["language"],
                archival=options["archival"],
                enqueue=False,
            )
            # The task itself, run here: the same retries and bookkeeping as on a worker.
            render_document.apply(args=[job.pk])
            job.refresh_from_db()
            jobs.append(job)
        failed = [job for job in jobs if job.status != RenderJob.Status.SUCCEEDED]
        for job in jobs:
            if job.status == RenderJob.Status.SUCCEEDED:
                self.stdout.write(_where(job.document))
        for job in failed:
            self.stderr.write(f"{job}: {job.error}")
        if failed:
            raise CommandError(f"{len(failed)} of {len(jobs)} documents failed.")
