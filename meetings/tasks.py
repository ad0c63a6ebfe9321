"""Celery tasks of the meetings app: thin, they load ids and call one service."""

from celery import shared_task

from .services import RENDER_TRANSIENT_ERRORS, document_render

RENDER_MAX_RETRIES = 4


@shared_task(
    bind=True,
    # Acknowledged only when done; a worker that dies mid-render hands the job back to the
    # broker, which redelivers it (the job then finishes once: see `document_render`).
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RENDER_TRANSIENT_ERRORS,
    max_retries=RENDER_MAX_RETRIES,
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
)
def render_document(self, job_id: int) -> None:
    document_render(job_id=job_id, final_attempt=self.request.retries >= RENDER_MAX_RETRIES)
