"""A dialogue's letterhead logo: which files may be one, and the logo as the documents embed it.

The logo is one of the project's static files (static/img/...), named by its path, so it is
deployed and versioned with the site rather than uploaded. It goes into a document's HTML as a
data: URL: the rendered PDF needs nothing fetched, and a new logo changes the HTML's hash (the
document is then a new revision)."""

from __future__ import annotations

import base64
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LOGO_MAX_BYTES = 1024 * 1024
# The first bytes that tell each accepted image apart; an SVG is told by its root element.
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def static_dir() -> Path:
    return (Path(settings.BASE_DIR) / "static").resolve()


def logo_content_type(head: bytes) -> str | None:
    """The image type of a file starting with `head`, or None if it is none of those taken."""
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    if b"<svg" in head[:2048].lower():
        return "image/svg+xml"
    return None


def _logo_file(path: str) -> Path:
    """The file `path` names under static/; refuses a path that leads out of it."""
    root = static_dir()
    file = (root / path).resolve()
    if not file.is_relative_to(root) or not file.is_file():
        raise ValidationError(_("There is no file %(path)s under static/.") % {"path": path})
    return file


def validate_letterhead_logo(path: str) -> None:
    file = _logo_file(path)
    if file.stat().st_size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo is larger than 1 MB; export it smaller."))
    if logo_content_type(file.read_bytes()[:2048]) is None:
        raise ValidationError(_("The logo must be an SVG, PNG or JPEG image."))


def logo_data_url(dialogue) -> str:
    """The dialogue's logo as a data: URL, or "" when it has none (or its file is gone)."""
    if not dialogue.letterhead_logo:
        return ""
    try:
        content = _logo_file(dialogue.letterhead_logo).read_bytes()
    except ValidationError:
        return ""
    content_type = logo_content_type(content[:2048])
    if content_type is None:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"
