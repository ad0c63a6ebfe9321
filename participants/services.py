"""Writes about participants, the dialogues they belong to, and their people's accounts."""

from __future__ import annotations

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction

from bpdialogue.celery import task_enqueue
from bpdialogue.services import validated_create, versioned_update

from .models import (
    CalendarFeed,
    Dialogue,
    ExternalIdentifier,
    Membership,
    Participant,
    ParticipantName,
    Region,
    RoleAssignment,
)


def participant_create(*, by=None, **fields) -> Participant:
    return validated_create(model=Participant, by=by, **fields)


def participant_name_add(*, participant: Participant, by=None, **fields) -> ParticipantName:
    """A name the participant went by over a period (`valid_from`..`valid_to`)."""
    return validated_create(model=ParticipantName, by=by, participant=participant, **fields)


def external_identifier_add(*, participant: Participant, by=None, **fields) -> ExternalIdentifier:
    return validated_create(model=ExternalIdentifier, by=by, participant=participant, **fields)


def dialogue_create(*, by=None, **fields) -> Dialogue:
    return validated_create(model=Dialogue, by=by, **fields)


def membership_add(
    *, dialogue: Dialogue, participant: Participant, by=None, **fields
) -> Membership:
    return validated_create(
        model=Membership, by=by, dialogue=dialogue, participant=participant, **fields
    )


def region_create(*, dialogue: Dialogue, by=None, **fields) -> Region:
    return validated_create(model=Region, by=by, dialogue=dialogue, **fields)


def role_assign(
    *, dialogue: Dialogue, participant: Participant, by=None, **fields
) -> RoleAssignment:
    return validated_create(
        model=RoleAssignment, by=by, dialogue=dialogue, participant=participant, **fields
    )


@transaction.atomic
def participant_part_update(*, part, expected_version: int, changes: dict, by=None):
    """Change a participant, one of its names or identifiers, a dialogue, a membership, a
    region or a role, unless someone saved a newer version meanwhile."""
    return versioned_update(
        instance=part, expected_version=expected_version, changes=changes, by=by
    )


@transaction.atomic
def calendar_feed_regenerate(*, user) -> CalendarFeed:
    """Give the user a new secret calendar URL; the old one stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "updated_at"])
    return feed


def calendar_feed_for(*, user) -> CalendarFeed:
    """The user's feed, created on first use."""
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed or calendar_feed_regenerate(user=user)


def password_reset_request(*, email: str, domain: str, use_https: bool) -> None:
    """Ask for the password-reset e-mail to `email`. The accounts are looked up and the
    e-mail sent by a Celery task once the request's work is committed, so the page takes
    as long for an address that has an account as for one that has not: its timing does not
    tell which addresses have accounts."""
    transaction.on_commit(
        lambda: task_enqueue(
            "participants.tasks.send_password_reset",
            kwargs={"email": email, "domain": domain, "use_https": use_https},
        )
    )


def password_reset_send(*, email: str, domain: str, use_https: bool) -> None:
    """Send the reset link to each active account with this address (Django's form and the
    portal's templates)."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)
