"""A meeting's delegations from a spreadsheet (CSV or XLSX): one row per participant, or per
person of a delegation. The participant's delegation attends (with the headcount and role the
row gives), and each person named is registered and confirmed. As for people
(participants/imports.py): a preview row by row first, nothing saved until confirmed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from participants.imports import (
    HEADINGS,
    Participants,
    People,
    Row,
    check_person,
    heading,
    person_from_row,
)

from .models import HEADCOUNT, Delegation, Meeting, Registration
from .registrations import registration_confirm, registration_nominate
from .services import delegation_set, record_assert_editable

DELEGATION_HEADINGS = {
    **{name: column for name, column in HEADINGS.items() if column != "affiliation"},
    "participant": "participant",
    "country": "participant",
    "delegation": "participant",
    "organisation": "participant",
    "organization": "participant",
    "headcount": "headcount",
    "people": "headcount",
    "attends_as": "delegation_role",
    "delegation_role": "delegation_role",
    "role": "role",
    "role_in_delegation": "role",
    "role_in_the_delegation": "role",
}
IMPORT_NOTE = "As the imported spreadsheet gives it."


def _choice(choices, text: str) -> str | None:
    """A choice's value from its value or label ("head", "Head of delegation")."""
    for value, label in choices:
        if heading(text) in (heading(value), heading(label)):
            return value
    return None


@dataclass
class DelegationRow(Row):
    headcount: int | None = None
    delegation_role: str = ""
    role: str = Registration.Role.DELEGATE
    names_person: bool = False
    registration: Registration | None = None

    @property
    def role_label(self) -> str:
        return Registration.Role(self.role).label


def _check_delegation(row: DelegationRow) -> None:
    values = row.values
    if values.get("headcount"):
        try:
            row.headcount = int(values["headcount"])
            HEADCOUNT(row.headcount)
        except ValueError:
            row.errors.append(f"The headcount “{values['headcount']}” is not a number.")
        except ValidationError as error:
            row.errors.extend(error.messages)
    if values.get("delegation_role"):
        row.delegation_role = _choice(Delegation.Role.choices, values["delegation_role"]) or ""
        if not row.delegation_role:
            row.errors.append(f"Unknown way of attending “{values['delegation_role']}”.")
    if values.get("role"):
        row.role = _choice(Registration.Role.choices, values["role"]) or ""
        if not row.role:
            row.errors.append(f"Unknown role in the delegation “{values['role']}”.")


def delegations_preview(meeting: Meeting, table: list[dict[str, str]]) -> list[DelegationRow]:
    """What importing `table` into `meeting` would do, row by row. Writes nothing."""
    record_assert_editable(meeting=meeting)
    participants, people, seen = Participants(), People(), {}
    registered = {r.person_id: r for r in meeting.registrations.select_related("person")}
    # Who heads each delegation: (the person, or the row naming a new one; the refusal).
    heads = {
        r.participant_id: (r.person_id, f"{r.person} heads the delegation already.")
        for r in registered.values()
        if r.role == Registration.Role.HEAD and r.status != Registration.Status.DECLINED
    }
    rows = []
    for number, values in enumerate(table, start=2):
        row = DelegationRow(number=number, values=values)
        if not values.get("participant"):
            row.errors.append("Say which participant the delegation is of.")
        else:
            row.affiliation = participants.find(values["participant"])
            if row.affiliation is None:
                row.errors.append(f"Unknown country or participant “{values['participant']}”.")
        _check_delegation(row)
        row.names_person = any(values.get(name) for name in ("given_name", "family_name", "email"))
        if row.names_person:
            check_person(row, values, people, seen)
            _check_registration(row, registered, heads)
        rows.append(row)
    return rows


def _check_registration(row: DelegationRow, registered: dict, heads: dict) -> None:
    if row.person is not None and row.person.pk in registered:
        row.registration = registered[row.person.pk]
        if row.registration.participant_id != getattr(row.affiliation, "pk", None):
            row.errors.append(
                f"{row.person} is registered with {row.registration.participant} already."
            )
        elif row.registration.status != Registration.Status.CONFIRMED:
            row.notes.append("Their nomination is confirmed.")
    if row.role == Registration.Role.HEAD and row.affiliation is not None:
        who = row.person.pk if row.person else f"row {row.number}"
        head, refusal = heads.get(row.affiliation.pk, (who, ""))
        if head != who:
            row.errors.append(refusal)
        else:
            heads[row.affiliation.pk] = (who, f"Row {row.number} names the head already.")


@dataclass
class DelegationSummary:
    delegations: list = field(default_factory=list)
    people_created: list = field(default_factory=list)
    people_updated: list = field(default_factory=list)
    registrations_confirmed: list = field(default_factory=list)


@transaction.atomic
def delegations_import(
    meeting: Meeting, table: list[dict[str, str]], *, by=None
) -> DelegationSummary:
    """Import the rows the secretariat confirmed, checked again as they are now: refused
    whole, with nothing saved, if any row has an error."""
    rows = delegations_preview(meeting, table)
    errors = [f"Row {row.number}: {' '.join(row.errors)}" for row in rows if row.errors]
    if errors:
        raise ValidationError(errors)
    summary = DelegationSummary()
    by_participant = defaultdict(list)
    for row in rows:
        by_participant[row.affiliation].append(row)
    for participant, group in by_participant.items():
        for row in group:
            if row.names_person:
                _register(meeting, participant, row, summary, by)
        summary.delegations.append(_attend(meeting, participant, group))
    return summary


def _register(meeting, participant, row: DelegationRow, summary, by) -> None:
    before = row.person.version if row.person else None
    person, created = person_from_row(row, by=by)
    if created:
        summary.people_created.append(person)
    elif person.version != before:
        summary.people_updated.append(person)
    registration = row.registration or registration_nominate(
        meeting=meeting,
        participant=participant,
        person=person,
        role=row.role,
        position=row.values.get("position", ""),
        by=by,
        by_secretariat=True,
    )
    if registration.status != Registration.Status.CONFIRMED:
        registration_confirm(
            registration=registration, expected_version=registration.version, by=by
        )
        summary.registrations_confirmed.append(registration)


def _attend(meeting, participant, group: list[DelegationRow]) -> Delegation:
    """The participant's delegation attends, with the headcount and role the rows give (the
    first that gives one), else as it is (its confirmed registrations' number)."""
    current = Delegation.objects.filter(meeting=meeting, participant=participant).first()
    confirmed = meeting.registrations.filter(
        participant=participant, status=Registration.Status.CONFIRMED
    ).count()
    headcount = next((row.headcount for row in group if row.headcount), None)
    role = next((row.delegation_role for row in group if row.delegation_role), None)
    if headcount is None:
        headcount = current.headcount if current else max(confirmed, 1)
    note = current.headcount_note if current else ""
    if confirmed and headcount != confirmed and not note:
        note = IMPORT_NOTE
    return delegation_set(
        meeting=meeting,
        participant=participant,
        attended=True,
        headcount=headcount,
        role=role or (current.role if current else Delegation.Role.PARTICIPANT),
        headcount_note=note,
    )
