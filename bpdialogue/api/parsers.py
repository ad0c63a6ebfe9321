"""JSON bodies the API can answer about: text it can store and echo, nesting it can walk."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No write takes more than a few levels (a list of ids inside an object); this leaves room.
MAX_DEPTH = 32


class StrictJSONParser(JSONParser):
    """Refuses, as a 400, what Python's JSON reader lets through but nothing downstream can
    handle: a lone surrogate such as `"\\ud800"` (not Unicode: it cannot be encoded to store
    it or to write an error message quoting it) and nesting so deep that walking it would
    exhaust the stack."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"The JSON is nested more than {MAX_DEPTH} levels deep.") from None
        _check(data)
        return data


def _check(data) -> None:
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise ParseError(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
            if isinstance(value, dict):
                for key in value:
                    _check_text(key)
                value = value.values()
            pending.extend((item, depth + 1) for item in value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        character = text[error.start]
        raise ParseError(
            f"The JSON holds U+{ord(character):04X}, a lone surrogate, which is not Unicode "
            "text: encode characters outside the Basic Multilingual Plane as a surrogate pair."
        ) from None
