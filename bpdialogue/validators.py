"""Field validators whose messages say the rule, in forms, `full_clean` and the API alike.

Django's MaxLengthValidator and Min/MaxValueValidator are not used for these: Django REST
framework swaps them for its own wording, and a partner should read what an editor reads."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from .text import raw_html_tags


@deconstructible
class MaxCharacters:
    """A text of at most `limit` characters: 'At most 5,000 characters (this has 5,312).'"""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value):
        if value is not None and len(value) > self.limit:
            raise ValidationError(
                "At most %(limit)s characters (this has %(length)s).",
                code="max_length",
                params={"limit": f"{self.limit:,}", "length": f"{len(value):,}"},
            )

    def __eq__(self, other):
        return isinstance(other, MaxCharacters) and self.limit == other.limit


@deconstructible
class Between:
    """A whole number from `minimum` to `maximum`; `message` may name %(minimum)s,
    %(maximum)s and the %(value)s given."""

    def __init__(self, minimum: int, maximum: int, message: str):
        self.minimum, self.maximum, self.message = minimum, maximum, message

    def __call__(self, value):
        if value is not None and not self.minimum <= value <= self.maximum:
            raise ValidationError(
                self.message,
                code="out_of_range",
                params={
                    "minimum": f"{self.minimum:,}",
                    "maximum": f"{self.maximum:,}",
                    "value": f"{value:,}",
                },
            )

    def __eq__(self, other):
        return isinstance(other, Between) and (self.minimum, self.maximum, self.message) == (
            other.minimum,
            other.maximum,
            other.message,
        )


def markdown_only(value: str) -> None:
    """Refuse HTML in a record's Markdown: the renderer would silently drop it."""
    tags = raw_html_tags(value)
    if tags:
        raise ValidationError(
            "HTML is not allowed here: %(tags)s. Use Markdown instead (**bold**, lists, links).",
            code="html",
            params={"tags": ", ".join(tags)},
        )


# How long the texts of a record may be: a statement, a conclusion or an action point is a
# paragraph; what happened under an agenda item, or a project's description, a few pages.
PARAGRAPH = MaxCharacters(5_000)
NARRATIVE = MaxCharacters(20_000)
