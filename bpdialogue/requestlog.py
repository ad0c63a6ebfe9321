"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to,
so a reverse proxy's log line, gunicorn's access line and the application's own messages about
one request can be joined on `request_id`."""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only if it looks like an id: it ends up in logs and response headers.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default="-"
)


class RequestIdMiddleware:
    """Takes the proxy's X-Request-ID or makes one, exposes it to logging while the request
    runs, and returns it in the response so a user's report can be matched to the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _ACCEPTABLE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


# Attributes every LogRecord has; anything else was passed through `extra=` and is logged too.
_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
