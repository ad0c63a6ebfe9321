"""Structured logs: one JSON object per line (python-json-logger), each carrying the id of the
request it belongs to (django-guid's, set by LOGGING's `request_id` filter), so a reverse
proxy's log line, gunicorn's access line, the application's own messages about one request and
the worker's lines about the tasks it sent can be joined on `request_id`.

The application (settings.LOGGING) and gunicorn (deploy/gunicorn.conf.py) name this one
formatter, so their lines have the same fields."""

from __future__ import annotations

from pythonjsonlogger.json import JsonFormatter as LibraryJsonFormatter


class JsonFormatter(LibraryJsonFormatter):
    """`ts` (UTC), `level`, `logger`, `message`, `request_id`, then whatever the call passed
    with `extra=`, and `exception` with the traceback if there was one."""

    def __init__(self, **kwargs):
        super().__init__(
            "%(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
            timestamp="ts",
            json_ensure_ascii=False,
            **kwargs,
        )
