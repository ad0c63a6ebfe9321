"""Probes for the orchestrator: `/healthz` says the process answers (never touches the database
or the broker, so an outage does not get healthy web containers restarted; `LivenessMiddleware`
answers it before any middleware that reads the session); `/readyz` says this instance can
serve traffic (database and broker reachable), 503 otherwise."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("bpdialogue.health")

PROBE_TIMEOUT_SECONDS = 2


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


class LivenessMiddleware:
    """Answers /healthz ahead of the session, authentication and sign-in middleware: a request
    carrying a session cookie would otherwise read the session from the database, and wait for
    it or fail with it during an outage."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)


def _database_ok() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # whatever the driver raises, the answer is "not ready"
        return f"{type(exc).__name__}: {exc}".strip()[:200]
    return None


def _broker_ok() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return None  # tasks run eagerly in-process: there is no broker to reach
    from bpdialogue.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=0, timeout=PROBE_TIMEOUT_SECONDS)
    except Exception as exc:  # kombu wraps transport errors in several classes
        return f"{type(exc).__name__}: {exc}".strip()[:200]
    return None


@never_cache
@require_GET
def readyz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    failed = {name: error for name, error in checks.items() if error}
    for name, error in failed.items():
        logger.warning("not ready: %s unreachable (%s)", name, error)
    # The body names what is down but not why: the probe may be reachable from outside.
    return JsonResponse(
        {
            "status": "unavailable" if failed else "ok",
            "checks": {name: "unavailable" if error else "ok" for name, error in checks.items()},
        },
        status=503 if failed else 200,
    )
