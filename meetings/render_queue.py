"""Render jobs whose hand-over to Celery failed, and render jobs whose worker was lost.

`document_request_render` hands a job to the broker after its transaction commits; when Redis
is down that hand-over fails and the job stays "queued" (the page keeps showing it as waiting).
Celery beat runs `render_jobs_requeue` every RENDER_REQUEUE_AFTER seconds, which sends such
jobs again once the broker is back.

A worker rendering a job writes its heartbeat every quarter of RENDER_STALE_AFTER. When it dies
the heartbeat stops; beat runs `render_jobs_recover` as often, which marks a running job whose
heartbeat is older than RENDER_STALE_AFTER "retrying" (the page says so) and sends it again,
until RENDER_LOST_ATTEMPTS attempts have been lost and it fails saying why. The broker would
redeliver the lost message only after its visibility timeout (ten minutes by default).

A job sent twice is harmless: `document_render` claims it in one conditional update, so a
second delivery finds it finished or rendering elsewhere and does nothing, and it stores one
file per content hash.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from bpdialogue.task_queue import BrokerUnavailable

from .documents import render_job_enqueue, render_job_stale_before
from .models import RenderJob

logger = logging.getLogger(__name__)

REQUEUE_BATCH = 100
# A job that has lost its worker this many times (it may be what kills it) fails.
RENDER_LOST_ATTEMPTS = 3


def render_jobs_waiting(*, older_than: datetime.timedelta) -> QuerySet:
    """Jobs still queued or waiting for another try, untouched for `older_than`, oldest
    first."""
    return RenderJob.objects.filter(
        status__in=(RenderJob.Status.QUEUED, RenderJob.Status.RETRYING),
        updated_at__lt=timezone.now() - older_than,
    ).order_by("created_at")


def render_jobs_stale() -> QuerySet:
    """Running jobs whose worker stopped beating, oldest first."""
    stale_before = render_job_stale_before()
    return RenderJob.objects.filter(
        Q(heartbeat_at__lt=stale_before)
        | Q(heartbeat_at__isnull=True, updated_at__lt=stale_before),
        status=RenderJob.Status.RUNNING,
    ).order_by("created_at")


def render_jobs_recover() -> int:
    """Hand the running jobs whose worker was lost to another worker, or fail those that have
    lost RENDER_LOST_ATTEMPTS; returns how many were sent again. Each job changes only if it
    is still as it was read (its worker may have beaten meanwhile)."""
    sent = 0
    for job in render_jobs_stale()[:REQUEUE_BATCH]:
        still_stale = RenderJob.objects.filter(
            pk=job.pk, status=RenderJob.Status.RUNNING, heartbeat_at=job.heartbeat_at
        )
        now = timezone.now()
        if job.attempts >= RENDER_LOST_ATTEMPTS:
            still_stale.update(
                status=RenderJob.Status.FAILED,
                finished_at=now,
                updated_at=now,
                error=f"The worker rendering it stopped {job.attempts} times; "
                "ask for the document again, and tell the administrator if it fails again.",
            )
            logger.warning("render job %s failed: %d attempts lost", job.uid, job.attempts)
            continue
        if not still_stale.update(status=RenderJob.Status.RETRYING, updated_at=now):
            continue
        logger.warning(
            "render job %s lost its worker (attempt %d): retrying", job.uid, job.attempts
        )
        try:
            render_job_enqueue(job)
        except BrokerUnavailable as error:
            # It stays "retrying"; `render_jobs_requeue` sends it once the broker is back.
            logger.warning("render jobs not recovered, broker unavailable: %s", error)
            break
        sent += 1
    return sent


def render_jobs_requeue(*, older_than: datetime.timedelta | None = None) -> int:
    """Send waiting jobs to the broker again; returns how many were sent. Stops at the first
    failure: the broker is still away and the next run will try again."""
    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.RENDER_REQUEUE_AFTER)
    sent = 0
    for job in render_jobs_waiting(older_than=older_than)[:REQUEUE_BATCH]:
        try:
            render_job_enqueue(job)
        except BrokerUnavailable as error:
            logger.warning("render jobs not requeued, broker unavailable: %s", error)
            break
        # Touched, so it is sent again only if it is still waiting after another period.
        RenderJob.objects.filter(pk=job.pk, status=job.status).update(updated_at=timezone.now())
        sent += 1
    if sent:
        logger.info("requeued %d waiting render jobs", sent)
    return sent
