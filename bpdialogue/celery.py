"""The Celery app, loaded by the worker and beat (`celery -A bpdialogue`) and, in a web
process, by the first task sent (bpdialogue/task_queue.py: nothing a request imports imports
Celery)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpdialogue.settings")

app = Celery("bpdialogue")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _beat_schedule(jobs: dict) -> dict:
    """settings.CELERY_BEAT_SCHEDULE with each time of day ({"hour": 7, "minute": 0}) as
    Celery's crontab; settings keep plain data so that loading them imports no Celery."""
    return {
        name: {**job, "schedule": crontab(**job["schedule"])}
        if isinstance(job["schedule"], dict)
        else job
        for name, job in jobs.items()
    }


@app.on_after_configure.connect
def _configure(sender, **kwargs) -> None:
    from django.conf import settings

    sender.conf.beat_schedule = _beat_schedule(settings.CELERY_BEAT_SCHEDULE)


def _connect_request_ids() -> None:
    from django.conf import settings

    for integration in settings.DJANGO_GUID.get("INTEGRATIONS", []):
        if hasattr(integration, "connect"):
            integration.connect()


_connect_request_ids()
