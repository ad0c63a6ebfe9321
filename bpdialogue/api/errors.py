"""One JSON shape for every error the API returns:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}

`fields` is present when the error is about particular parameters or body fields."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from bpdialogue.models import VersionConflict


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send If-Match with the ETag of the version you edited."
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it; fetch it again and redo the edit."
    default_code = "precondition_failed"


class TooManyInvalidKeys(exceptions.Throttled):
    default_code = "too_many_invalid_keys"

    def __init__(self, wait: int):
        super().__init__(
            wait,
            detail=f"Too many invalid API keys from this address; try again in {wait} seconds.",
        )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The change conflicts with existing data."
    default_code = "conflict"


def _fields(detail) -> dict:
    """DRF's nested error detail as {field: [messages]} (non-field errors under '_')."""
    if isinstance(detail, dict):
        out = {}
        for name, value in detail.items():
            key = "_" if name in ("non_field_errors", "__all__") else name
            if isinstance(value, dict):
                for sub, messages in _fields(value).items():
                    out[f"{key}.{sub}"] = messages
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub, messages in _fields(item).items():
                        out[f"{key}[{index}].{sub}"] = messages
            else:
                out[key] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return out
    return {"_": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def _summary(fields: dict) -> str:
    return "; ".join(
        f"{name}: {' '.join(messages)}" if name != "_" else " ".join(messages)
        for name, messages in fields.items()
    )


def exception_handler(exc, context):
    if isinstance(exc, VersionConflict):
        exc = PreconditionFailed()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"_": exc.messages}
        )
    elif isinstance(exc, IntegrityError):
        exc = Conflict(
            "The change breaks a rule of the data (for example a position already taken)."
        )
    elif isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(
            f"The body is larger than {filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}, "
            "the most a request may send.",
            code="too_large",
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Nothing here, or nothing you may see.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = {"status": response.status_code, "code": _code(exc)}
    if isinstance(exc, exceptions.ValidationError):
        body["fields"] = _fields(exc.detail)
        body["message"] = _summary(body["fields"])
    else:
        body["message"] = str(exc.detail)
    response.data = {"error": body}
    return response


def _code(exc) -> str:
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    if isinstance(codes, str):
        return codes
    return getattr(exc, "default_code", "error")


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "description": "Messages per parameter or body field; '_' for the whole.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}
