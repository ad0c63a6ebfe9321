"""People from a spreadsheet (CSV or XLSX): read, checked row by row into a preview, and only
then, on confirmation, created or updated through the people's services.

The reading and the matching of participants and people are shared with the import of a
meeting's delegations (meetings/imports.py)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Participant, ParticipantName, Person
from .services import person_create, person_update

# Bounds on an upload: a spreadsheet of people is a few hundred rows at most. An XLSX is a
# zip: what it unpacks to is bounded too, and only so many rows and columns are read, blank
# ones included, so a small file cannot make the server read for minutes.
MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 2_000
MAX_LINES = 10 * MAX_ROWS
MAX_COLUMNS = 50

# Column headings as people write them → the field they fill.
HEADINGS = {
    "honorific": "honorific",
    "title": "honorific",
    "given_name": "given_name",
    "given_names": "given_name",
    "first_name": "given_name",
    "family_name": "family_name",
    "last_name": "family_name",
    "surname": "family_name",
    "position": "position",
    "function": "position",
    "affiliation": "affiliation",
    "participant": "affiliation",
    "country": "affiliation",
    "organisation": "affiliation",
    "organization": "affiliation",
    "email": "email",
    "e_mail": "email",
    "phone": "phone",
    "telephone": "phone",
}
PERSON_FIELDS = ("honorific", "given_name", "family_name", "position", "email", "phone")


def heading(text: str) -> str:
    """ "E-mail", "Given name " → "e_mail", "given_name"."""
    return re.sub(r"[^a-z0-9]+", "_", str(text or "").strip().lower()).strip("_")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's 3 is 3.0
    return str(value).strip()


def read_table(upload, headings: dict[str, str]) -> list[dict[str, str]]:
    """The rows of an uploaded CSV or XLSX file (first sheet) as {field: text}, by the first
    row's headings (`headings` maps a heading to its field; others are ignored). Empty rows
    are skipped. Refused: an unknown kind of file, one too large or too long, no known
    heading."""
    if upload.size > MAX_BYTES:
        raise ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    name = upload.name.lower()
    if name.endswith(".csv"):
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("Save the CSV file as UTF-8.") from None
        if "\x00" in text:  # a binary file named .csv; no database stores the character
            raise ValidationError("This CSV file cannot be read: it holds NUL characters.")
        rows = csv.reader(io.StringIO(text))
    elif name.endswith(".xlsx"):
        rows = _xlsx_rows(upload)
    else:
        raise ValidationError("Upload a CSV or an XLSX (Excel) file.")
    try:
        table = _table(rows, headings)
    except csv.Error as error:
        raise ValidationError(f"This CSV file cannot be read: {error}.") from None
    if not table:
        raise ValidationError("The file has no rows under its headings.")
    return table


def _table(rows, headings: dict[str, str]) -> list[dict[str, str]]:
    first = next(rows, None) or []
    columns = [headings.get(heading(cell)) for cell in first[:MAX_COLUMNS]]
    if not any(columns):
        raise ValidationError(
            "The first row should name the columns, e.g. "
            + ", ".join(sorted(set(headings.values())))
            + "."
        )
    table = []
    for line, cells in enumerate(rows, start=2):
        if line > MAX_LINES:
            raise ValidationError(f"The file has more than {MAX_LINES} lines.")
        values = {}
        for column, cell in zip(columns, cells, strict=False):
            if column and _text(cell):
                values[column] = _text(cell)
        if values:
            table.append(values)
            if len(table) > MAX_ROWS:
                raise ValidationError(f"The file has more than {MAX_ROWS} rows.")
    return table


def _xlsx_rows(upload):
    from openpyxl import load_workbook

    unreadable = ValidationError("This is not an XLSX file that can be read.")
    try:
        with zipfile.ZipFile(upload) as package:
            unpacked = sum(member.file_size for member in package.infolist())
        upload.seek(0)
        if unpacked > MAX_UNPACKED_BYTES:
            raise ValidationError(
                f"The spreadsheet unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB."
            )
        book = load_workbook(upload, read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - zipfile and openpyxl raise many kinds for a bad file
        raise unreadable from None
    try:
        yield from book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a part of the package that fails once being read
        raise unreadable from None
    finally:
        book.close()


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


class Participants:
    """Finds a participant by what a spreadsheet calls it: its name, sort name, acronym, any
    earlier name or its ISO code (two queries for the whole file)."""

    def __init__(self):
        self.by_label: dict[str, Participant] = {}
        participants = {p.pk: p for p in Participant.objects.all()}
        for participant in participants.values():
            for label in (participant.name, participant.sort_name, participant.acronym):
                if label:
                    self.by_label.setdefault(_folded(label), participant)
            if participant.iso_code:
                self.by_label[_folded(participant.iso_code)] = participant
        for dated in ParticipantName.objects.all():
            for label in (dated.name, dated.sort_name):
                self.by_label.setdefault(_folded(label), participants[dated.participant_id])

    def find(self, label: str) -> Participant | None:
        return self.by_label.get(_folded(label))


class People:
    """Finds people on file by e-mail or by name and affiliation (one query)."""

    def __init__(self):
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[tuple, Person] = {}
        for person in Person.objects.filter(erased_at__isnull=True):
            if person.email:
                self.by_email.setdefault(person.email.casefold(), person)
            self.by_name.setdefault(name_key(person, person.affiliation_id), person)

    def find(self, values: dict, affiliation_id) -> tuple[Person | None, str]:
        """The person the row names, and why it is them ("" if nobody)."""
        email = values.get("email", "").casefold()
        if email and email in self.by_email:
            return self.by_email[email], "same e-mail"
        same_name = self.by_name.get(name_key(values, affiliation_id))
        if same_name is not None and not (email and same_name.email):
            return same_name, "same name and affiliation"
        return None, ""


def name_key(person, affiliation_id) -> tuple:
    get = person.get if isinstance(person, dict) else lambda name: getattr(person, name)
    return (_folded(get("given_name") or ""), _folded(get("family_name") or ""), affiliation_id)


@dataclass
class Row:
    """One row of the file as the preview shows it, and what confirming will do with it."""

    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    affiliation: Participant | None = None
    person: Person | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.errors:
            return "error"
        if self.person is None:
            return "create"
        return "update" if self.changes() else "unchanged"

    def fields(self) -> dict:
        """The person's fields the row fills (a blank cell says nothing)."""
        fields = {name: self.values[name] for name in PERSON_FIELDS if self.values.get(name)}
        if self.affiliation is not None:
            fields["affiliation"] = self.affiliation
        return fields

    def changes(self) -> dict:
        """What the row changes of the person it matched."""
        return {
            name: value
            for name, value in self.fields().items()
            if getattr(self.person, name) != value
        }


def check_person(row: Row, values: dict, people: People, seen: dict) -> None:
    """The person a row names: their fields valid, not twice in the file, and matched with
    the one on file (by e-mail, else by name and affiliation)."""
    affiliation_id = row.affiliation.pk if row.affiliation else None
    if not values.get("given_name") or not values.get("family_name"):
        row.errors.append("Give the given name and the family name.")
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            row.errors.append(f"“{values['email']}” is not an e-mail address.")
    candidate = Person(**{name: values.get(name, "") for name in PERSON_FIELDS})
    try:
        candidate.clean_fields(exclude=["affiliation", "user", "email"])
    except ValidationError as error:
        row.errors.extend(
            f"{Person._meta.get_field(name).verbose_name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    keys = [("name", name_key(values, affiliation_id))]
    if values.get("email"):
        keys.append(("email", values["email"].casefold()))
    for key in keys:
        if key in seen:
            row.errors.append(f"The same person as row {seen[key]}.")
            break
    for key in keys:
        seen.setdefault(key, row.number)
    row.person, why = people.find(values, affiliation_id)
    if row.person is not None:
        changed = ", ".join(
            str(Person._meta.get_field(name).verbose_name) for name in row.changes()
        )
        row.notes.append(
            f"Updates {row.person} ({why}): {changed}."
            if changed
            else f"{row.person} is on file ({why}) as the row gives them."
        )
    elif name_key(values, affiliation_id) in people.by_name:
        namesake = people.by_name[name_key(values, affiliation_id)]
        row.notes.append(
            f"{namesake} of the same affiliation is on file with another e-mail "
            f"({namesake.email}): a new person is created; merge them if they are one."
        )


def people_preview(table: list[dict[str, str]]) -> list[Row]:
    """What importing `table` (read_table's rows) would do, row by row: its errors, or
    whom it creates or updates. Writes nothing."""
    participants, people, seen = Participants(), People(), {}
    rows = []
    for number, values in enumerate(table, start=2):  # row 1 is the headings
        row = Row(number=number, values=values)
        if values.get("affiliation"):
            row.affiliation = participants.find(values["affiliation"])
            if row.affiliation is None:
                row.errors.append(f"Unknown country or participant “{values['affiliation']}”.")
        check_person(row, values, people, seen)
        rows.append(row)
    return rows


def person_from_row(row: Row, *, by=None) -> tuple[Person, bool]:
    """Create the row's person, or update the one it matched with what the row gives (a blank
    cell changes nothing). Returns the person and whether it was created."""
    if row.person is None:
        return person_create(by=by, **row.fields()), True
    person = row.person
    if changes := row.changes():
        person = person_update(
            person=person, expected_version=person.version, changes=changes, by=by
        )
    return person, False


@dataclass
class Summary:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


@transaction.atomic
def people_import(table: list[dict[str, str]], *, by=None) -> Summary:
    """Import the rows the secretariat confirmed, checked again as they are now: refused
    whole, with nothing saved, if any row has an error."""
    rows = people_preview(table)
    errors = [f"Row {row.number}: {' '.join(row.errors)}" for row in rows if row.errors]
    if errors:
        raise ValidationError(errors)
    summary = Summary()
    for row in rows:
        before = row.person.version if row.person else None
        person, created = person_from_row(row, by=by)
        if created:
            summary.created.append(person)
        elif person.version != before:
            summary.updated.append(person)
        else:
            summary.unchanged.append(person)
    return summary
