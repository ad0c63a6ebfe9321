"""Render jobs whose hand-over to Celery failed.

`document_request_render` hands a job to the broker after its transaction commits; when Redis
is down that hand-over fails and the job stays "queued" (the page keeps showing it as waiting).
Celery beat runs `render_jobs_requeue` every RENDER_REQUEUE_AFTER seconds, which sends such
jobs again once the broker is back. A job sent twice is harmless: `document_render` does
nothing for a job that has finished and stores one file per content hash.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from .documents import render_job_enqueue
from .models import RenderJob

logger = logging.getLogger(__name__)

REQUEUE_BATCH = 100


def render_jobs_waiting(*, older_than: datetime.timedelta) -> QuerySet:
    """Jobs still queued, untouched for `older_than`, oldest first."""
    return RenderJob.objects.filter(
        status=RenderJob.Status.QUEUED, updated_at__lt=timezone.now() - older_than
    ).order_by("created_at")


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
        RenderJob.objects.filter(pk=job.pk, status=RenderJob.Status.QUEUED).update(
            updated_at=timezone.now()
        )
        sent += 1
    if sent:
        logger.info("requeued %d waiting render jobs", sent)
    return sent
