"""Field validators whose messages say the rule, in forms, `full_clean` and the API alike.

Django's MaxLengthValidator and Min/MaxValueValidator are not used for these: Django REST
framework swaps them for its own wording, and a partner should read what an editor reads."""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from .text import raw_html_tags


@deconstructible
class MaxCharacters:
    """A text of at most `limit` characters: 'At most 5,000 characters (this has 5,312).'"""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value):
        if value is not None and len(value) > self.limit:
            raise ValidationError(
                _("At most %(limit)s characters (this has %(length)s)."),
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
            _("HTML is not allowed here: %(tags)s. Use Markdown instead (**bold**, lists, links)."),
            code="html",
            params={"tags": ", ".join(tags)},
        )


# How long the texts of a record may be: a statement, a conclusion or an action point is a
# paragraph; what happened under an agenda item, or a project's description, a few pages.
PARAGRAPH = MaxCharacters(5_000)
NARRATIVE = MaxCharacters(20_000)


# -- Zip packages (Office Open XML, OpenDocument) -------------------------------------------
# An upload's content is checked by reading a few bytes of a package, never by expanding it:
# a decompression bomb (a 200 KB file whose entry expands to gigabytes) is refused from what
# its directory declares, and an entry that holds more than it declares is never read past
# the few kilobytes a check needs.
ZIP_MAX_ENTRIES = 10_000  # an office file has tens of parts; each listed one costs memory
ZIP_MAX_EXPANDED_BYTES = 1024**3
# Office parts compress 5-20 times (a sheet of empty styled cells 100); a bomb's about 1,000.
# Small parts are left out of the ratio: a few kilobytes of spaces compress to nothing.
ZIP_MAX_RATIO = 200
ZIP_RATIO_FROM_BYTES = 1024**2
ZIP_ENTRY_READ_BYTES = 4 * 1024
_ZIP_END_OF_DIRECTORY = b"PK\x05\x06"


def _zip_bomb(reason: str) -> ValidationError:
    return ValidationError(
        _(
            "%(reason)s. The file is refused as a likely decompression bomb; save it again from "
            "its application, or send it as a PDF."
        )
        % {"reason": reason},
        code="zip_bomb",
    )


def _zip_declared_entries(handle) -> int | None:
    """How many entries the package's end-of-directory record declares, read from its last
    bytes before Python lists them (a 25 MB zip can declare 300,000 empty entries)."""
    handle.seek(0, 2)
    size = handle.tell()
    tail = min(size, 22 + 0xFFFF)  # the record and its longest comment
    handle.seek(size - tail)
    end = handle.read(tail)
    handle.seek(0)
    at = end.rfind(_ZIP_END_OF_DIRECTORY)
    if at < 0 or len(end) < at + 12:
        return None  # not a zip: zipfile says so
    # 0xFFFF: the count is in a Zip64 record, for archives of 65,535 entries or more.
    return int.from_bytes(end[at + 10 : at + 12], "little")


def zip_package_open(handle) -> zipfile.ZipFile:
    """The zip package in `handle`, once what its directory declares is within bounds:
    few enough entries, each expanding less than ZIP_MAX_RATIO times, and at most
    ZIP_MAX_EXPANDED_BYTES in all. Nothing is decompressed. Raises ValidationError for a
    bomb, zipfile.BadZipFile for a file that is not a zip."""
    entries = _zip_declared_entries(handle)
    if entries is not None and entries > ZIP_MAX_ENTRIES:
        raise _zip_bomb(f"It lists {entries:,} parts (an office file has tens)")
    package = zipfile.ZipFile(handle)
    try:
        _zip_declared_sizes_check(package.infolist())
    except ValidationError:
        package.close()
        raise
    return package


def _zip_declared_sizes_check(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > ZIP_MAX_ENTRIES:
        raise _zip_bomb(f"It lists {len(infos):,} parts (an office file has tens)")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FROM_BYTES and ratio > ZIP_MAX_RATIO:
            raise _zip_bomb(
                f"Its part {info.filename} would expand {ratio:,.0f} times, to "
                f"{filesizeformat(info.file_size)}"
            )
    expanded = sum(info.file_size for info in infos)
    if expanded > ZIP_MAX_EXPANDED_BYTES:
        raise _zip_bomb(f"It would expand to {filesizeformat(expanded)}")


def zip_entry_read(package: zipfile.ZipFile, name: str, *, limit: int = ZIP_ENTRY_READ_BYTES):
    """The whole of a small entry, decompressed no further than `limit` bytes plus one: an
    entry longer than that, whatever its header says, is refused. KeyError if there is none."""
    with package.open(name) as entry:
        data = entry.read(limit + 1)
    if len(data) > limit:
        raise _zip_bomb(f"Its part {name} holds more than {filesizeformat(limit)}")
    return data
