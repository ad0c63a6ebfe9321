"""Staying up while a backing service is down.

- The database: a request that hits an unreachable database gets a short 503 saying so (JSON
  for the API, a plain page otherwise), never a traceback, and at once: the first failure to
  get a connection opens `database_circuit`, and for two seconds every request that
  needs the database is answered without trying (bpdialogue/database/base.py); then one request
  tries again, with a fresh pool, and its success restores service without a restart.
- Redis as a cache: django-redis ignores its errors (settings.DJANGO_REDIS_IGNORE_EXCEPTIONS),
  so an outage reads as a cache miss and pages and the API (whose throttling counts in the
  cache) keep answering while Redis is down; `CacheOutageFilter` keeps its log quiet.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from contextlib import contextmanager

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger("bpdialogue.outage")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
MESSAGE = "The database is unavailable at the moment. Please try again in a minute."
PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8>"
    "<title>Temporarily unavailable</title>"
    "<h1>Temporarily unavailable</h1><p>{message}</p></html>"
)


def database_unavailable(request, exc: BaseException) -> HttpResponse:
    logger.warning("database unavailable: %s", type(exc).__name__, extra={"path": request.path})
    wants_json = request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")
    if wants_json:
        # The API's one error shape (bpdialogue/api/errors.py).
        body = {"error": {"status": 503, "code": "database_unavailable", "message": MESSAGE}}
        response = HttpResponse(json.dumps(body), status=503, content_type="application/json")
    else:
        response = HttpResponse(PAGE.format(message=MESSAGE), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class Circuit:
    """A circuit breaker for one backing service, per process and thread-safe. Closed, every
    caller tries. A failure opens it: for `open_seconds` callers are refused at once (`allows`
    is false) instead of each waiting out a timeout. Then it lets one caller through; that
    caller's success closes it, its failure opens it again."""

    def __init__(self, name: str, *, open_seconds: float):
        self.name, self.open_seconds = name, open_seconds
        self._lock = threading.Lock()
        self._open_until: float | None = None
        self._probing = False

    @property
    def is_open(self) -> bool:
        return self._open_until is not None

    def allows(self) -> bool:
        with self._lock:
            if self._open_until is None:
                return True
            if self._probing or time.monotonic() < self._open_until:
                return False
            self._probing = True
            return True

    def succeeded(self) -> None:
        with self._lock:
            if self._open_until is not None:
                logger.warning("%s reachable again", self.name)
            self._open_until, self._probing = None, False

    def failed(self) -> None:
        with self._lock:
            if self._open_until is None:
                logger.warning("%s unreachable: answering 503 without trying", self.name)
            self._open_until, self._probing = time.monotonic() + self.open_seconds, False

    @contextmanager
    def attempt(self, *, failures: tuple[type[BaseException], ...]):
        """Around one try (the caller has checked `allows`): `failures` open the circuit; any
        other error ends a probe without a verdict, so the next caller probes."""
        try:
            yield
        except failures:
            self.failed()
            raise
        except BaseException:
            with self._lock:
                self._probing = False
            raise
        self.succeeded()


# A couple of seconds: long enough that an outage costs each process one slow request per
# period, short enough that service is back within seconds of the database.
database_circuit = Circuit("database", open_seconds=2.0)


class DatabaseUnavailableMiddleware:
    """Answers 503 when a view (or the template it renders) cannot reach the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None


def server_error(request):
    """handler500: a database error raised outside a view (session or authentication middleware)
    is an outage too, not a bug."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable(request, exc)
    return django_server_error(request)


class CacheOutageFilter(logging.Filter):
    """django-redis (DJANGO_REDIS_IGNORE_EXCEPTIONS) logs every cache error it ignores, with its
    traceback; during an outage every request meets several. This keeps one line a minute,
    a warning naming the error, which says as much as thousands."""

    interval = 60.0

    def __init__(self):
        super().__init__()
        self._last = -self.interval

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self._last < self.interval:
            return False
        self._last = now
        if record.exc_info:
            # django-redis wraps redis-py's ConnectionError or TimeoutError.
            error = record.exc_info[1]
            cause = error.__cause__ or error
            record.msg, record.args = "cache unavailable (%s)", (type(cause).__name__,)
            record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
