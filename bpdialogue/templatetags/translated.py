"""A translated field in the reader's language, marked where it is not translated.

    {% load translated %}
    {% translated item "title" %}                 inline text
    {% translated statement "text" record=True %} the record's Markdown, as HTML

Where the reader's language has no text, the authoritative one shows (the first language that
has one, as django-modeltranslation falls back), inside `<span class="untranslated"
lang="en">` (a `<div>` around Markdown's paragraphs) with a short "not translated" label in
the reader's language, so readers and screen readers know which language they read."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from bpdialogue.text import render_record
from bpdialogue.translations import column, languages, translated_fields

register = template.Library()


def _reading_order(active: str) -> list[str]:
    return [active, *(lang for lang in languages() if lang != active)]


@register.simple_tag
def translated(obj, field: str, record: bool = False):
    """`obj`'s `field` in the active language, or the text it falls back to, marked."""
    if obj is None:
        return ""
    if field not in translated_fields(obj):
        text = getattr(obj, field, "") or ""
        return render_record(text) if record else text
    active = (get_language() or languages()[0]).split("-")[0]
    for language in _reading_order(active):
        text = getattr(obj, column(field, language), "") or ""
        if text.strip():
            break
    else:
        return ""
    shown = render_record(text) if record else text
    if language == active:
        return shown
    label = gettext("not translated")
    if record:
        return format_html(
            '<div class="untranslated" lang="{}">{}<p class="untranslated-label" lang="{}">'
            "({})</p></div>",
            language,
            shown,
            active,
            label,
        )
    return format_html(
        '<span class="untranslated" lang="{}">{} <small class="untranslated-label" lang="{}">'
        "({})</small></span>",
        language,
        shown,
        active,
        label,
    )
