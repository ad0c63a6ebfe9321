"""A record's text as HTML: Markdown's safe subset only, whether converted now or read back
from the texts converted lately (bpdialogue/text.py)."""

from bpdialogue.text import _record_html, render_record

UNSAFE = 'Agreed **return** policy.<script>alert(1)</script> <a href="javascript:x()">see</a>'


def test_unsafe_markup_is_removed_whether_converted_or_read_back():
    _record_html.cache_clear()
    converted = render_record(UNSAFE)
    assert _record_html.cache_info().misses == 1
    render_record("Another text between the two.")
    read_back = render_record(UNSAFE)
    assert _record_html.cache_info().hits == 1
    assert read_back == converted
    assert "<strong>return</strong>" in read_back
    assert "<script" not in read_back and "javascript:" not in read_back


def test_an_empty_record_is_empty():
    assert render_record("") == render_record(None) == ""
