"""Small pieces of English the records are written in."""

import re
import threading
from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

# The safe Markdown subset records may use: emphasis, lists, links, paragraphs.
RECORD_TAGS = {"p", "strong", "em", "ul", "ol", "li", "a", "br"}
RECORD_ATTRIBUTES = {"a": {"href", "title"}}
HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)|<!--")


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def join_names(names: list[str], conjunction: str = "and") -> str:
    """'A', 'A and B', 'A, B and C' — the serial list without an Oxford comma, as the
    dialogue's records write it (another language's word for "and": bpdialogue/grammar.py)."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def size_over_limit(size: int, limit: int) -> str:
    """Why a file is refused for its size, in figures that differ: rounded alike, "The file is
    25.0 MB; the limit is 25.0 MB" would say nothing, so then the excess is given."""
    size_shown, limit_shown = filesizeformat(size), filesizeformat(limit)
    if size_shown != limit_shown:
        return gettext("The file is %(size)s; the limit is %(limit)s.") % {
            "size": size_shown,
            "limit": limit_shown,
        }
    return gettext("The file is %(excess)s over the limit of %(limit)s.") % {
        "excess": filesizeformat(size - limit),
        "limit": limit_shown,
    }


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


_readers = threading.local()


def _markdown_reader() -> markdown_lib.Markdown:
    """One Markdown reader per thread, reset between texts: building one loads every extension
    point again, which cost more than converting a paragraph (a Summary/conclusions converts
    hundreds). Readers keep state while converting, hence one per thread."""
    reader = getattr(_readers, "reader", None)
    if reader is None:
        reader = _readers.reader = markdown_lib.Markdown(output_format="html")
    return reader.reset()


def render_record(text: str) -> SafeString:
    """Markdown to HTML, then sanitised: whatever a record holds, only the subset survives."""
    # nh3 has removed everything outside the record's allow-list.
    return mark_safe(_record_html(text or ""))  # nosec B308 B703


# The texts converted lately, per process: a meeting's page is read again and again, and a
# record's drafts are rendered again after each edit with most of their texts unchanged.
# The HTML is a function of the text alone; a few hundred texts are a few hundred KiB.
@lru_cache(maxsize=512)
def _record_html(text: str) -> str:
    html = _markdown_reader().convert(text)
    return nh3.clean(html, tags=RECORD_TAGS, attributes=RECORD_ATTRIBUTES, link_rel="noopener")


def raw_html_tags(text: str) -> list[str]:
    """The HTML tags written into `text` ('<b>', '<div>', '<!-- -->'), as the record's
    Markdown reader finds them: code spans, autolinks (<https://...>) and a lone '<' are
    not HTML. `render_record` would drop them, so an editor is told instead."""
    reader = _markdown_reader()
    reader.convert(text or "")
    tags = {}
    for raw in reader.htmlStash.rawHtmlBlocks:
        for match in HTML_TAG.finditer(str(raw)):
            tags.setdefault("<!-- -->" if match[0] == "<!--" else f"<{match[2].lower()}>")
    return list(tags)
