"""Periodic jobs run by Celery beat (CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task

from meetings.reminders import action_point_reminders_send
from meetings.render_queue import render_jobs_requeue


@shared_task
def send_action_point_reminders() -> int:
    return action_point_reminders_send()


@shared_task
def requeue_render_jobs() -> int:
    return render_jobs_requeue()
