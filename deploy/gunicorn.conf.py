"""gunicorn settings for the web container (docker-compose.yml) and `make serve-prod`.

Every value can be overridden from the environment, so one file serves a laptop, the container
and the benchmarks."""

import ctypes
import gc
import multiprocessing
import os
import sys

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Synchronous workers: requests are short database reads; PDFs render in Celery, never here.
# Each worker holds its own connection pool (DATABASE_POOL_MAX_SIZE), so workers × pool size
# must stay under PostgreSQL's max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak cannot grow without bound; the jitter keeps them
# from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Behind a reverse proxy that sets X-Forwarded-Proto (see SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The heartbeat file on tmpfs: a container's overlay filesystem can stall it.
# (Gunicorn only touches its heartbeat files there; nothing is read back: bandit B108 reviewed.)
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")  # nosec B108
# "-" is standard output; set it empty to turn access lines off (the benchmarks do, for both apps).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


class JsonAccessLogger(Logger):
    """Access lines in the application's JSON format, carrying the X-Request-ID the application
    set, so they join the application's own log lines."""

    def access(self, resp, req, environ, request_time):
        if not self.cfg.accesslog:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        fields = {
            "remote": atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"],
            "status": resp.status_code,
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "request_id": atoms.get("{x-request-id}o", "-"),
        }
        self.access_log.info("%s %s", atoms["m"], atoms["U"], extra=fields)


logger_class = JsonAccessLogger
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "bpdialogue.requestlog.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


# glibc's mallopt parameter for the size from which a block is mapped apart from the heap.
M_MMAP_THRESHOLD = -3
LARGE_BLOCK = 128 * 1024


def _large_blocks_mapped_apart():
    """Keep blocks of 128 KiB and more (a page's body, a busy dialogue's figures) out of the
    heap, so that freeing one gives its memory back. glibc raises that threshold to the size of
    every such block freed, after which megabyte pages are cut from the heap and the holes they
    leave keep the worker's memory up (1.4 MiB after the benchmarks). Setting it fixes it. Only
    glibc has mallopt; elsewhere nothing changes."""
    try:
        ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK)
    except (AttributeError, OSError):
        pass


def post_worker_init(worker):
    """Load every view module now rather than at the first request, then put what start-up
    allocated (Django's models, URL patterns, templates' code: about 150 000 objects) beyond
    the garbage collector's reach: a full collection would otherwise walk all of them, some
    80 ms in the middle of whichever request triggered it. An application that is not Django
    (the benchmarks' raw baseline runs with these settings) is only frozen."""
    _large_blocks_mapped_apart()
    django_settings = getattr(sys.modules.get("django.conf"), "settings", None)
    if django_settings is not None and django_settings.configured:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - imports the views
    gc.freeze()


def post_request(worker, req, environ, resp):
    """Free the request's cyclic garbage as soon as the answer is sent. Django's template
    contexts and requests are reference cycles, so a page's objects (a busy dialogue's figures
    are megabytes) outlive it until the collector next runs, several requests later; by then
    the next pages have allocated around them and the worker's memory stays at the sum
    (107 MiB after the benchmarks, 92 with this). The young generations hold that garbage:
    collecting only them costs no measurable CPU per request, where a full collection would
    walk every object imported since start-up."""
    gc.collect(1)
