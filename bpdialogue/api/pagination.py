"""Keyset paging on (last modified, id), in an OParl-1.1-style envelope.

Offsets break when data changes between two pages: a record inserted or edited before the
offset pushes another one onto the page already read, so it is skipped. Here each page
continues after the (modified, id) of the last record of the previous page. A record
edited while a partner pages through moves behind the cursor's position and is delivered
again on a later page; nothing shifts, so nothing is skipped."""

from __future__ import annotations

import base64
import binascii
import datetime

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

SYNC_FIELD = "sync_modified"


def encode_cursor(modified: datetime.datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{modified.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        modified = parse_datetime(stamp)
        if modified is None or modified.tzinfo is None:
            raise ValueError(stamp)
        return modified.astimezone(datetime.UTC), int(pk)
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as error:
        raise ValidationError(
            {"cursor": ["Not a cursor this API issued; follow the `next` link as given."]}
        ) from error


class KeysetPagination(pagination.BasePagination):
    page_size = 50
    max_page_size = 200
    limit_query_param = "limit"
    cursor_query_param = "cursor"

    def get_limit(self, request) -> int:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return self.page_size
        try:
            limit = int(raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= self.max_page_size:
            raise ValidationError(
                {self.limit_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return limit

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        cursor = request.query_params.get(self.cursor_query_param)
        self.total = queryset.count()
        queryset = queryset.order_by(SYNC_FIELD, "pk")
        if cursor:
            modified, pk = decode_cursor(cursor)
            queryset = queryset.filter(
                Q(**{f"{SYNC_FIELD}__gt": modified}) | Q(**{SYNC_FIELD: modified, "pk__gt": pk})
            )
        rows = list(queryset[: self.limit + 1])
        self.has_next = len(rows) > self.limit
        rows = rows[: self.limit]
        self.next_cursor = (
            encode_cursor(getattr(rows[-1], SYNC_FIELD), rows[-1].pk) if self.has_next else None
        )
        return rows

    def get_links(self) -> dict:
        url = self.request.build_absolute_uri()
        links = {
            "self": url,
            "first": remove_query_param(url, self.cursor_query_param),
        }
        if self.next_cursor:
            # Every other parameter (modified_since, filters, limit) is carried over.
            links["next"] = replace_query_param(url, self.cursor_query_param, self.next_cursor)
        return links

    def get_paginated_response(self, data):
        return Response(
            {
                "data": data,
                "links": self.get_links(),
                "pagination": {"total_elements": self.total, "elements_per_page": self.limit},
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["data", "links", "pagination"],
            "properties": {
                "data": schema,
                "links": {
                    "type": "object",
                    "required": ["self", "first"],
                    "properties": {
                        "self": {"type": "string", "format": "uri"},
                        "first": {"type": "string", "format": "uri"},
                        "next": {
                            "type": "string",
                            "format": "uri",
                            "description": "Absent on the last page. Carries every filter.",
                        },
                    },
                },
                "pagination": {
                    "type": "object",
                    "required": ["total_elements", "elements_per_page"],
                    "properties": {
                        "total_elements": {"type": "integer"},
                        "elements_per_page": {"type": "integer"},
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque position; take it from the `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.limit_query_param,
                "in": "query",
                "required": False,
                "description": f"Records per page, 1 to {self.max_page_size} "
                f"(default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
