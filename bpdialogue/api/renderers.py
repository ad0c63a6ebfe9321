"""JSON rendered with orjson, and CSV for the main lists (`?format=csv`): one row per record,
nested values as JSON."""

import csv
import decimal
import io
import json

import orjson
from django.utils.functional import Promise
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_ENCODER = JSONEncoder()


def _default(value):
    """What orjson does not know, as DRF's encoder writes it (lazy translations as text)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    return _ENCODER.default(value)


def render_json(data) -> bytes:
    """The one JSON form of a representation: the body sent and the bytes its ETag hashes."""
    return orjson.dumps(data, default=_default)


class OrjsonRenderer(JSONRenderer):
    """DRF's JSON renderer, several times faster; an `indent` asked for in the Accept header
    is still honoured by DRF's own."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        return render_json(data)


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and "data" in data:
            rows = data["data"]
        elif isinstance(data, dict) and "error" in data:
            rows = [data["error"]]
        else:
            rows = data if isinstance(data, list) else [data]
        columns: list[str] = []
        for row in rows:
            columns.extend(name for name in row if name not in columns)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: spreadsheet_cell(row.get(name)) for name in columns})
        # A byte-order mark so spreadsheet programs read the names' accents right.
        return ("\ufeff" + out.getvalue()).encode("utf-8")


# A spreadsheet reads a cell that begins with one of these as a formula (CSV injection):
# such text gets a leading apostrophe, which makes it plain text there.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """A value as a CSV cell a spreadsheet shows as it is: lists and objects as JSON, formulas
    defused, None empty (the API's CSV, the tracker's and the figures' downloads)."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return "" if value is None else value


class AnyMediaRenderer(BaseRenderer):
    """For views that answer with a file of their own type (document downloads): accepts
    any Accept header; errors are still rendered as JSON."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data
