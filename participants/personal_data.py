"""A person's data on request: all that is kept about them, as JSON, and its erasure.

Other apps keep rows about people too (meetings: their registrations). They answer through
the two signals below, so this module imports none of them: `person_data_requested`
receivers return a dict of their sections for the export, `person_erasing` receivers blank
what they hold about the person, their history included."""

from __future__ import annotations

import re

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from bpdialogue.models import VersionConflict

from .models import Person, PersonErasure

person_data_requested = Signal()
person_erasing = Signal()

# What names or reaches a person. Their affiliation stays: the record still counts "a
# representative of Germany".
PERSONAL_FIELDS = ("honorific", "given_name", "family_name", "position", "email", "phone")
ERASURE_REASON = "Personal data erased on request"
# A merge's change reason names the other person after their id: only the id stays.
MERGE_REASON = re.compile(r"^(Merged (?:with|into) #\d+) .*$", re.DOTALL)


def _date(value) -> str | None:
    return value.isoformat() if value else None


def person_data_export(*, person: Person) -> dict:
    """Everything kept about `person`: their row, focal-point roles, sign-in account, and
    what the other apps hold (registrations), as plain JSON-ready data."""
    roles = person.focal_points.select_related("dialogue", "participant").order_by("valid_from")
    account = person.user
    data = {
        "person": {
            "id": str(person.uid),
            **{name: getattr(person, name) for name in PERSONAL_FIELDS},
            "affiliation": person.affiliation.name if person.affiliation_id else None,
            "retired_on": _date(person.retired_on),
            "erased_at": _date(person.erased_at),
            "created_at": _date(person.created_at),
            "updated_at": _date(person.updated_at),
        },
        "focal_point_roles": [
            {
                "dialogue": role.dialogue.name,
                "participant": role.participant.name,
                "valid_from": _date(role.valid_from),
                "valid_to": _date(role.valid_to),
            }
            for role in roles
        ],
        "account": account
        and {
            "username": account.get_username(),
            "email": account.email,
            "first_name": account.first_name,
            "last_name": account.last_name,
            "is_active": account.is_active,
            "date_joined": _date(account.date_joined),
            "last_login": _date(account.last_login),
        },
    }
    for _receiver, sections in person_data_requested.send(sender=Person, person=person):
        data.update(sections or {})
    return data


@transaction.atomic
def person_erase(*, person: Person, by, expected_version: int | None = None) -> PersonErasure:
    """Erase a person's data on request: the personal fields are blanked on the row and in
    every row of its history, the sign-in account is detached and deactivated (its name and
    e-mail blanked), the other apps blank theirs, and `erased_at` is set. The row stays, so
    registrations, statements and headcounts keep counting "a representative of <their
    affiliation>". A `PersonErasure` says who erased whom, by uid, and when."""
    locked = Person.objects.select_for_update().filter(pk=person.pk).first()
    if locked is None:
        raise ValidationError("This person no longer exists.")
    if locked.erased_at is not None:
        raise ValidationError(f"This person's data was erased on {locked.erased_at:%d %B %Y}.")
    if expected_version is not None and locked.version != expected_version:
        raise VersionConflict(locked, expected_version)
    by = by if getattr(by, "pk", None) else None  # an API key or a command names nobody
    now = timezone.now()
    account = locked.user
    for name in PERSONAL_FIELDS:
        setattr(locked, name, "")
    locked.user = None
    locked.erased_at = now
    locked._change_reason = ERASURE_REASON
    if by is not None:
        locked._history_user = by
    locked.save()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(locked.pk)
    ).update(object_repr="", change_message="")
    # The history kept every earlier name and address, also those of the duplicates merged
    # into this person: it keeps them no longer.
    ids = _merged_into(locked.pk)
    history = Person.history.filter(id__in=ids)
    history.update(**dict.fromkeys(PERSONAL_FIELDS, ""), user=None)
    merges = history.filter(history_change_reason__startswith="Merged ")
    for history_id, reason in merges.values_list("history_id", "history_change_reason"):
        if match := MERGE_REASON.match(reason):
            history.filter(history_id=history_id).update(history_change_reason=match.group(1))
    if account is not None:
        _account_close(account, person_uid=locked.uid)
    person_erasing.send(sender=Person, person=locked)
    person.refresh_from_db()
    return PersonErasure.objects.create(
        person_uid=locked.uid,
        erased_at=now,
        erased_by=by,
        erased_by_name=by.get_username() if by is not None else "",
    )


def _merged_into(pk: int) -> set[int]:
    """`pk` and the ids of the people merged into it, and into those, as the duplicates'
    last history rows say (participants.services.person_merge: "Merged into #<id> <name>")."""
    found, frontier = {pk}, {pk}
    while frontier:
        reasons = Q()
        for survivor in frontier:
            reasons |= Q(history_change_reason__startswith=f"Merged into #{survivor} ")
        merged = set(Person.history.filter(reasons).values_list("id", flat=True)) - found
        found |= merged
        frontier = merged
    return found


def _account_close(account, *, person_uid) -> None:
    """Deactivate the account and blank what names the person (its username is often their
    e-mail address); it stays for what refers to it (who wrote which record). The sign-in
    records (django-axes: username, address, browser) and the admin's log of changes to the
    account go."""
    username = account.get_username()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(account), object_id=str(account.pk)
    ).update(object_repr="", change_message="")
    account.username = f"erased-{person_uid.hex}"
    account.email = ""
    account.first_name = ""
    account.last_name = ""
    account.is_active = False
    account.set_unusable_password()
    account.save()
