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


def task_enqueue(name: str, /, **options):
    """Queue the task registered as `name` (`apply_async`'s options), run eagerly in-process
    when no broker is configured. By name, so a service need not import the tasks module that
    imports it (no import cycle); `app.send_task` would ignore CELERY_TASK_ALWAYS_EAGER."""
    if name not in app.tasks:
        # Outside a worker the apps' tasks modules are imported on first use.
        app.loader.import_default_modules()
    return app.tasks[name].apply_async(**options)
