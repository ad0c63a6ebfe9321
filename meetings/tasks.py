"""Celery tasks of the meetings app: thin, they load ids and call one service. The services
queue them by name (`bpdialogue.task_queue.task_enqueue`); beat runs the periodic ones
(CELERY_BEAT_SCHEDULE)."""

from django.utils.dateparse import parse_datetime

from bpdialogue.celery import app

from .documents import RENDER_TRANSIENT_ERRORS, document_render
from .invitations import invitation_delivery_send, invitation_prepare
from .notifications import record_published_notification_send
from .reminders import action_point_focal_point_reminders_send, action_point_reminders_send
from .render_queue import render_jobs_recover, render_jobs_requeue

RENDER_MAX_RETRIES = 4


@app.task(
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


@app.task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_record_published_notification(meeting_id: int, published_at: str) -> int:
    """E-mail the dialogue's delegates that a meeting's record was published (once)."""
    return record_published_notification_send(
        meeting_id=meeting_id, published_at=parse_datetime(published_at)
    )


@app.task
def send_action_point_reminders() -> int:
    return action_point_reminders_send()


@app.task
def send_focal_point_reminders() -> int:
    """Each pending action point's responsible focal points, once per stage of its due date."""
    return action_point_focal_point_reminders_send()


@app.task
def requeue_render_jobs() -> int:
    return render_jobs_requeue()


@app.task
def recover_render_jobs() -> int:
    return render_jobs_recover()


@app.task
def prepare_invitation(invitation_id: int) -> int:
    """Render a round's agenda and queue one `send_invitation` per recipient."""
    return invitation_prepare(invitation_id=invitation_id)


@app.task
def send_invitation(delivery_id: int) -> bool:
    """Send one invitation; a retried or duplicated task finds it claimed and sends nothing."""
    return invitation_delivery_send(delivery_id=delivery_id)
