"""Staying up while a backing service is down.

- The database: a request that hits an unreachable database gets a short 503 saying so (JSON
  for the API, a plain page otherwise), never a traceback. Django's psycopg 3 pool checks each
  connection before lending it, so once PostgreSQL is back the next request succeeds without
  restarting the application.
- Redis as a cache: an outage reads as a cache miss instead of an error, so pages and the API
  (whose throttling counts in the cache) keep answering while Redis is down.
"""

from __future__ import annotations

import json
import logging
import sys
import time

from django.core.cache.backends.redis import RedisCache
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


class ResilientRedisCache(RedisCache):
    """A Redis cache whose outage is a miss: reads return the default, writes are dropped."""

    # Built once at class creation: each cache operation with what it means when Redis is away.
    def _tolerant(name, fallback):
        def method(self, *args, **kwargs):
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except Exception as exc:  # redis-py's ConnectionError, TimeoutError, ...
                if not _is_redis_outage(exc):
                    raise
                _warn_at_most_every_minute(f"cache unavailable ({type(exc).__name__})")
                return fallback(*args, **kwargs)

        method.__name__ = name
        return method

    get = _tolerant("get", lambda key, default=None, version=None: default)
    get_many = _tolerant("get_many", lambda *args, **kwargs: {})
    has_key = _tolerant("has_key", lambda *args, **kwargs: False)
    add = _tolerant("add", lambda *args, **kwargs: False)
    set = _tolerant("set", lambda *args, **kwargs: None)
    set_many = _tolerant("set_many", lambda *args, **kwargs: [])
    touch = _tolerant("touch", lambda *args, **kwargs: False)
    delete = _tolerant("delete", lambda *args, **kwargs: False)
    delete_many = _tolerant("delete_many", lambda *args, **kwargs: None)
    # A counter (a throttle) starts afresh during an outage rather than failing the request.
    incr = _tolerant("incr", lambda key, delta=1, version=None: delta)
    clear = _tolerant("clear", lambda *args, **kwargs: False)
    del _tolerant


_last_cache_warning = 0.0


def _warn_at_most_every_minute(message: str) -> None:
    # Every request touches the cache; one line a minute says as much as thousands.
    global _last_cache_warning
    now = time.monotonic()
    if now - _last_cache_warning >= 60:
        _last_cache_warning = now
        logger.warning(message)


def _is_redis_outage(exc: BaseException) -> bool:
    import redis

    return isinstance(exc, redis.ConnectionError | redis.TimeoutError)
