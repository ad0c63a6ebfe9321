"""Sending tasks without importing Celery until one is sent.

Celery with kombu and their dependencies is about 20 MiB of imported code; a web worker that
only reads (most of them, most of the time) never needs it. So nothing a request imports
imports Celery: the app (bpdialogue/celery.py) is loaded by the first `task_enqueue`, and by
the worker and beat, which name it (`celery -A bpdialogue`)."""

from django_guid.integrations import CeleryIntegration


class BrokerUnavailable(Exception):
    """The broker could not take the task (kombu's OperationalError, raised as this so that
    the services that leave a task for later need not import kombu)."""


def task_enqueue(name: str, /, **options):
    """Queue the task registered as `name` (`apply_async`'s options), run eagerly in-process
    when no broker is configured. By name, so a service need not import the tasks module that
    imports it (no import cycle); `app.send_task` would ignore CELERY_TASK_ALWAYS_EAGER."""
    from kombu.exceptions import OperationalError

    from bpdialogue.celery import app

    if name not in app.tasks:
        # Outside a worker the apps' tasks modules are imported on first use.
        app.loader.import_default_modules()
    try:
        return app.tasks[name].apply_async(**options)
    except OperationalError as error:
        raise BrokerUnavailable(str(error)) from error


class RequestIdIntegration(CeleryIntegration):
    """django-guid's Celery integration (settings.DJANGO_GUID): a task sent while a request runs
    carries the request's id in its headers, and the worker logs the task under that id.

    Only for tasks a worker runs. An eager task (no broker) runs inside the request that sent
    it and already has its id; django-guid's handlers would give it a new one and clear the
    request's when it ends.

    django-guid connects an integration when Django starts, which would import Celery into
    every process; this one's signals are connected when the Celery app is loaded
    (bpdialogue/celery.py calls `connect`), before any task is sent or run."""

    def setup(self) -> None:
        """Nothing when Django starts: see `connect`."""

    def connect(self) -> None:
        from celery.signals import task_postrun, task_prerun
        from django_guid.integrations.celery import signals

        super().setup()
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
