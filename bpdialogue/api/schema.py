"""OpenAPI: every operation documents the error bodies, the validators and the headers it
can send, not only its success.

Only schema generation imports this module (SPECTACULAR_SETTINGS names its generator, DRF's
settings its schema class), so what it needs of drf-spectacular stays out of the web workers'
request path; so do the extensions below, which drf-spectacular finds by their registering
here."""

from drf_spectacular.drainage import isolate_view_method
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiViewExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import SAFE_METHODS

from bpdialogue import translations

from .authentication import ApiKeyAuthentication
from .errors import ERROR_SCHEMA

ERRORS = {
    "400": "Bad input: `fields` names each parameter or body field that is wrong.",
    "401": "The API key is missing (for writes), malformed, expired or revoked.",
    "403": "The key or account may not do this (writing needs the `write` scope).",
    "404": "No such record, or none you may see.",
    "409": "The change conflicts with data saved meanwhile.",
    "412": "If-Match names a version that is no longer current; fetch it again.",
    "428": "Updates and deletes need If-Match with the ETag of the version you edited.",
    "429": "Too many requests; see X-RateLimit-Reset.",
}
PARAMETER_DESCRIPTIONS = {
    "lang": "The response's language (one of LANGUAGES: en, ru); without it, Accept-Language "
    "decides. Translated texts come in it, the authoritative text where none exists.",
    "uid": "The record's stable public id.",
    "format": "json (the default) or csv, for a spreadsheet.",
}
READ_ERRORS = ("400", "401", "404", "429")
WRITE_ERRORS = tuple(ERRORS)
RATE_HEADERS = {
    "X-RateLimit-Limit": "Requests allowed per window for this key (or address).",
    "X-RateLimit-Remaining": "Requests left in the current window.",
    "X-RateLimit-Reset": "Seconds until a request is freed.",
}


# What a record's URL answers once the caller may no longer read it (ApiViewSet.retrieve).
DELETION_MARKER_SCHEMA = {
    "type": "object",
    "description": "A record you could see that was deleted or is no longer visible to you "
    "(OParl's deletion marker): delete your copy.",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "type": {"type": "string", "description": "What it was, e.g. 'meeting'."},
        "deleted": {"type": "boolean", "description": "Always true."},
        "modified": {"type": "string", "format": "date-time", "description": "When it went."},
    },
    "required": ["id", "type", "deleted", "modified"],
}


# What a record on its own adds to its fields (ApiModelSerializer.data).
TRANSLATED_SCHEMA = {
    "type": "object",
    "properties": {
        "language": {"type": "string", "description": "The language of the texts above."},
        "authoritative_language": {
            "type": "string",
            "description": "The language the originals are written in; the others are "
            "translations of it.",
        },
        "translations": {
            "type": "object",
            "description": "Each translated field in every language: its text and whether it "
            "is the original, or a translation that is missing, current or outdated (its "
            "original changed since). Texts you may not read are left out.",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "status": {
                            "type": "string",
                            "enum": [translations.ORIGINAL, *translations.STATUSES],
                        },
                    },
                    "required": ["text", "status"],
                },
            },
        },
    },
    "required": ["language", "authoritative_language", "translations"],
}
# Operations that answer one record on its own.
RECORD_ACTIONS = ("retrieve", "create", "update", "partial_update")


def _header(description):
    return {"description": description, "schema": {"type": "string"}}


def _parameter(name, description):
    return {
        "name": name,
        "in": "header",
        "required": False,
        "description": description,
        "schema": {"type": "string"},
    }


# Upper bounds Django derives from the database's integer columns: they differ between
# SQLite and PostgreSQL and say nothing a partner needs, so the schema leaves them out.
DATABASE_INTEGER_LIMITS = {32767, 2147483647, 9223372036854775807}


class ApiAutoSchema(AutoSchema):
    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if schema.get("type") == "integer" and schema.get("maximum") in DATABASE_INTEGER_LIMITS:
            schema.pop("maximum")
            schema.pop("format", None)

    def get_auth(self):
        auths = super().get_auth()
        # Reading needs no key: without one, a caller sees what is public (PolicyPermission).
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        error = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(error)
        for parameter in operation.get("parameters", []):
            if not parameter.get("description"):
                parameter["description"] = PARAMETER_DESCRIPTIONS.get(parameter["name"], "")
        method = self.method.upper()
        reading = method in ("GET", "HEAD")
        responses = operation.setdefault("responses", {})
        for status, response in responses.items():
            if status.startswith("2"):
                headers = response.setdefault("headers", {})
                headers.update({name: _header(text) for name, text in RATE_HEADERS.items()})
                if reading or method in ("PUT", "PATCH", "POST"):
                    headers["ETag"] = _header("Validator of this representation.")
                if reading:
                    headers["Last-Modified"] = _header("When anything in it last changed.")
        action = getattr(self.view, "action", None)
        if action in RECORD_ACTIONS:
            self._translations_added(responses)
        if reading and action == "retrieve":
            self._deletion_marker_allowed(responses)
        if reading:
            operation.setdefault("parameters", []).append(
                {
                    "name": "lang",
                    "in": "query",
                    "required": False,
                    "description": PARAMETER_DESCRIPTIONS["lang"],
                    "schema": {"type": "string", "enum": list(translations.languages())},
                }
            )
            responses["304"] = {"description": "Not modified since the validator you sent."}
            operation.setdefault("parameters", []).extend(
                [
                    _parameter("If-None-Match", "An ETag you hold: 304 if it is current."),
                    _parameter("If-Modified-Since", "An HTTP date: 304 if nothing changed."),
                ]
            )
        if method in ("PUT", "PATCH", "DELETE"):
            operation.setdefault("parameters", []).append(
                {**_parameter("If-Match", "The ETag of the version you edited."), "required": True}
            )
        for status in READ_ERRORS if reading else WRITE_ERRORS:
            responses.setdefault(
                status,
                {
                    "description": ERRORS[status],
                    "content": {"application/json": {"schema": error.ref}},
                },
            )
        return operation

    def _translations_added(self, responses):
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        if model is None or not translations.translated_fields(model):
            return
        translated = ResolvedComponent(
            name="Translated",
            type=ResolvedComponent.SCHEMA,
            object="Translated",
            schema=TRANSLATED_SCHEMA,
        )
        self.registry.register_on_missing(translated)
        for status in ("200", "201"):
            json = responses.get(status, {}).get("content", {}).get("application/json")
            if json is not None:
                json["schema"] = {"allOf": [json["schema"], translated.ref]}

    def _deletion_marker_allowed(self, responses):
        marker = ResolvedComponent(
            name="DeletionMarker",
            type=ResolvedComponent.SCHEMA,
            object="DeletionMarker",
            schema=DELETION_MARKER_SCHEMA,
        )
        self.registry.register_on_missing(marker)
        json = responses.get("200", {}).get("content", {}).get("application/json")
        if json is not None:
            json["schema"] = {"oneOf": [json["schema"], marker.ref]}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key from the secretariat: `Authorization: Bearer bpd_…`. "
            "Scopes: read:public, read:participants, read:personal, write.",
        }


class DocumentedViews(OpenApiViewExtension):
    """Every view, with what `@documented` kept on its methods given to `extend_schema`, on a
    subclass so that the view the URL map serves is left as it is."""

    target_class = "rest_framework.views.APIView"
    match_subclasses = True

    def view_replacement(self):
        operations = {
            name: value.openapi_operation
            for klass in reversed(self.target.__mro__)
            for name, value in vars(klass).items()
            if hasattr(value, "openapi_operation")
        }
        if not operations:
            return self.target
        view = type(self.target.__name__, (self.target,), {"__module__": self.target.__module__})
        for name, operation in operations.items():
            extend_schema(**operation)(isolate_view_method(view, name))
        return view


class ApiSchemaGenerator(SchemaGenerator):
    """drf-spectacular's generator, named in SPECTACULAR_SETTINGS so that the schema view and
    `manage.py spectacular` both load this module, and with it the extensions, first."""
