"""Nominations and registrations: a participant's focal point (through the portal), a national
system (through the API with a `write` key) or the secretariat nominates people to the
participant's delegation to a meeting; the secretariat confirms or declines each. Confirmed
registrations are the delegation's members: confirming the first one of a participant creates
its delegation, and the delegation's headcount counts them unless it was set by hand (with a
note, see `delegation_set`). Every door calls these services."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bpdialogue.services import validated_create, versioned_delete, versioned_update
from participants.models import Membership, Person
from participants.services import person_create

from .models import Delegation, Meeting, Registration
from .services import record_assert_editable

CONFIRMED = Registration.Status.CONFIRMED


def nominations_open(*, meeting: Meeting, on: datetime.date | None = None) -> bool:
    """Whether focal points and partners may still nominate (the secretariat always may)."""
    on = on or timezone.localdate()
    return meeting.status != Meeting.Status.CANCELLED and on <= meeting.nominations_close_on


def _assert_nominations_open(meeting: Meeting, by_secretariat: bool) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting is cancelled: nobody is nominated to it."))
    if not by_secretariat and not nominations_open(meeting=meeting):
        closed = meeting.nominations_close_on
        raise ValidationError(
            _("Nominations closed on %(date)s; ask the secretariat to add anyone else.")
            % {"date": date_format(closed, "DATE_FORMAT")}
        )


@transaction.atomic
def registration_nominate(
    *,
    meeting: Meeting,
    participant,
    person: Person | None = None,
    new_person: dict | None = None,
    role: str = Registration.Role.DELEGATE,
    position: str = "",
    by=None,
    by_secretariat: bool = False,
) -> Registration:
    """Nominate an existing person of the participant, or a new one (`new_person`: honorific,
    given_name, family_name, email, position), to its delegation. Before the deadline unless
    the secretariat nominates; only people of a member of the meeting's dialogue, unless the
    secretariat adds a guest."""
    _assert_nominations_open(meeting, by_secretariat)
    if not by_secretariat and not (
        Membership.objects.current(on=meeting.start_date)
        .filter(dialogue_id=meeting.dialogue_id, participant=participant)
        .exists()
    ):
        raise ValidationError(
            {
                "participant": _("%(participant)s is not a member of this meeting's dialogue.")
                % {"participant": participant}
            }
        )
    if (person is None) == (new_person is None):
        raise ValidationError({"person": _("Name one person: someone on file or a new one.")})
    if person is None:
        person = person_create(affiliation=participant, by=by, **new_person)
    elif person.erased_at or person.retired_on:
        raise ValidationError(
            {"person": _("%(person)s is no longer offered for nomination.") % {"person": person}}
        )
    elif person.affiliation_id != participant.pk and not by_secretariat:
        raise ValidationError(
            {
                "person": _("%(person)s is not one of the people of %(participant)s.")
                % {"person": person, "participant": participant}
            }
        )
    return validated_create(
        model=Registration,
        by=by,
        meeting=meeting,
        participant=participant,
        person=person,
        role=role,
        position=position or person.position,
        nominated_by=by if getattr(by, "pk", None) else None,
    )


def _delegation_follows(*, meeting: Meeting, participant, by) -> None:
    """The delegation after a registration became, or stopped being, confirmed: created with
    the first confirmed one, its headcount their number unless it was set by hand. One that
    loses its last confirmed registration stays (who came is the secretariat's to untick)."""
    record_assert_editable(meeting=meeting)
    confirmed = Registration.objects.filter(
        meeting=meeting, participant=participant, status=CONFIRMED
    ).count()
    delegation = Delegation.objects.filter(meeting=meeting, participant=participant).first()
    if delegation is None:
        if confirmed:
            validated_create(
                model=Delegation,
                by=by,
                meeting=meeting,
                participant=participant,
                headcount=confirmed,
            )
    elif confirmed and not delegation.headcount_note and delegation.headcount != confirmed:
        versioned_update(
            instance=delegation,
            expected_version=delegation.version,
            changes={"headcount": confirmed},
            by=by,
        )


@transaction.atomic
def _registration_decide(
    *, registration: Registration, status: str, expected_version: int, by, note: str = ""
) -> Registration:
    was_confirmed = registration.status == CONFIRMED
    registration = versioned_update(
        instance=registration,
        expected_version=expected_version,
        changes={
            "status": status,
            "note": note,
            "decided_by": by if getattr(by, "pk", None) else None,
            "decided_at": timezone.now(),
        },
        by=by,
    )
    if was_confirmed or status == CONFIRMED:
        _delegation_follows(
            meeting=registration.meeting, participant=registration.participant, by=by
        )
    return registration


def registration_confirm(
    *, registration: Registration, expected_version: int, by=None, note: str = ""
) -> Registration:
    """The secretariat accepts the nomination: the person is a member of the delegation."""
    return _registration_decide(
        registration=registration,
        status=CONFIRMED,
        expected_version=expected_version,
        by=by,
        note=note,
    )


def registration_decline(
    *, registration: Registration, expected_version: int, note: str, by=None
) -> Registration:
    """The secretariat refuses the nomination, saying why (the focal point reads the note)."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the nomination is declined.")})
    return _registration_decide(
        registration=registration,
        status=Registration.Status.DECLINED,
        expected_version=expected_version,
        by=by,
        note=note.strip(),
    )


@transaction.atomic
def registration_withdraw(
    *, registration: Registration, expected_version: int | None, by=None, by_secretariat=False
) -> None:
    """Take a nomination back (before the deadline, unless the secretariat does)."""
    meeting = registration.meeting
    _assert_nominations_open(meeting, by_secretariat)
    was_confirmed = registration.status == CONFIRMED
    versioned_delete(instance=registration, expected_version=expected_version, by=by)
    if was_confirmed:
        _delegation_follows(meeting=meeting, participant=registration.participant, by=by)
