import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django_guid.integrations import CeleryIntegration

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpdialogue.settings")

app = Celery("bpdialogue")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class RequestIdIntegration(CeleryIntegration):
    """django-guid's Celery integration (settings.DJANGO_GUID): a task sent while a request runs
    carries the request's id in its headers, and the worker logs the task under that id.

    Only for tasks a worker runs. An eager task (no broker) runs inside the request that sent
    it and already has its id; django-guid's handlers would give it a new one and clear the
    request's when it ends."""

    def setup(self) -> None:
        super().setup()
        from django_guid.integrations.celery import signals

        for signal, handler in (
            (task_prerun, signals.worker_prerun),
            (task_postrun, signals.clean_up),
        ):
            signal.disconnect(handler)
            signal.connect(_in_workers_only(handler), weak=False, dispatch_uid=handler.__name__)


def _in_workers_only(handler):
    def receiver(task, **kwargs):
        if not task.request.is_eager:
            handler(task=task, **kwargs)

    return receiver
