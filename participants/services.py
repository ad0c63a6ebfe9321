"""Writes about participants, the dialogues they belong to, and their people's accounts."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from bpdialogue.models import VersionedModel
from bpdialogue.services import validated_create, versioned_delete, versioned_update
from bpdialogue.task_queue import task_enqueue

from .models import (
    CalendarFeed,
    Dialogue,
    ExternalIdentifier,
    FocalPoint,
    Membership,
    Participant,
    ParticipantName,
    Person,
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


# What a participant holds over time and nothing else refers to: deleting one of them is a
# correction of the reference data, with its history kept.
DELETABLE_PARTS = (ParticipantName, ExternalIdentifier, Membership, RoleAssignment)


@transaction.atomic
def participant_part_delete(*, part, expected_version: int | None, by=None) -> None:
    """Delete one of a participant's names, identifiers, memberships or roles, unless someone
    saved a newer version meanwhile. Participants themselves are not deleted: the record
    refers to them."""
    if not isinstance(part, DELETABLE_PARTS):
        raise ValidationError(
            _("A %(kind)s is not deleted here.") % {"kind": part._meta.verbose_name}
        )
    versioned_delete(instance=part, expected_version=expected_version, by=by)


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
    tell which addresses have accounts. The e-mail and its link are in the language of the
    page it was asked from (the task runs outside that request)."""
    language = translation.get_language()
    transaction.on_commit(
        lambda: task_enqueue(
            "participants.tasks.send_password_reset",
            kwargs={
                "email": email,
                "domain": domain,
                "use_https": use_https,
                "language": language,
            },
        )
    )


def password_reset_send(
    *, email: str, domain: str, use_https: bool, language: str | None = None
) -> None:
    """Send the reset link to each active account with this address (Django's form and the
    portal's templates), in `language` (the default language when not given)."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        with translation.override(language or settings.LANGUAGE_CODE):
            form.save(domain_override=domain, use_https=use_https)


# -- people -----------------------------------------------------------------------------------

# What the history keeps of a change reason (django-simple-history's column).
_REASON_LENGTH = 100


def _not_erased(*people: Person) -> None:
    for person in people:
        if person.erased_at:
            raise ValidationError(
                _("The data of person #%(pk)s was erased on request.") % {"pk": person.pk}
            )


def _retired(person: Person) -> str:
    return _("%(person)s retired on %(date)s.") % {
        "person": person,
        "date": date_format(person.retired_on, "DATE_FORMAT"),
    }


def person_create(*, by=None, **fields) -> Person:
    return validated_create(model=Person, by=by, **fields)


@transaction.atomic
def person_update(*, person: Person, expected_version: int, changes: dict, by=None) -> Person:
    """Change a person's name, position, affiliation or contacts, unless someone saved a newer
    version meanwhile."""
    _not_erased(person)
    return versioned_update(
        instance=person, expected_version=expected_version, changes=changes, by=by
    )


@transaction.atomic
def person_retire(*, person: Person, on: datetime.date, expected_version: int, by=None) -> Person:
    """The person leaves on `on`: their focal-point roles end that day (or on their first day,
    for one that had not started), and they are offered for no new nomination, invitation or
    role. The lists of participants they appear in keep them."""
    _not_erased(person)
    open_roles = person.focal_points.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
    for role in open_roles:
        focal_point_end(
            focal_point=role,
            on=max(on, role.valid_from or on),
            expected_version=role.version,
            by=by,
        )
    return versioned_update(
        instance=person, expected_version=expected_version, changes={"retired_on": on}, by=by
    )


@transaction.atomic
def person_reinstate(*, person: Person, expected_version: int, by=None) -> Person:
    """Undo a retirement (the roles it ended stay ended: add them again if they resume)."""
    return versioned_update(
        instance=person, expected_version=expected_version, changes={"retired_on": None}, by=by
    )


def focal_point_add(
    *,
    person: Person,
    dialogue: Dialogue,
    participant: Participant | None = None,
    by=None,
    **fields,
) -> FocalPoint:
    """Make `person` a focal point of `participant` (their affiliation unless named) for
    `dialogue`, from `valid_from` to `valid_to` (open ends: always)."""
    _not_erased(person)
    participant = participant or person.affiliation
    if person.retired_on:
        raise ValidationError(_retired(person))
    if participant is None:
        raise ValidationError({"participant": _("Say which participant the person speaks for.")})
    if not Membership.objects.filter(dialogue=dialogue, participant=participant).exists():
        raise ValidationError(
            {
                "participant": _("%(participant)s is not a member of %(dialogue)s.")
                % {"participant": participant, "dialogue": dialogue}
            }
        )
    return validated_create(
        model=FocalPoint,
        by=by,
        person=person,
        dialogue=dialogue,
        participant=participant,
        **fields,
    )


@transaction.atomic
def focal_point_end(
    *, focal_point: FocalPoint, on: datetime.date, expected_version: int, by=None
) -> FocalPoint:
    """The role ends on `on` (its last day)."""
    return versioned_update(
        instance=focal_point, expected_version=expected_version, changes={"valid_to": on}, by=by
    )


def _moved_rows(duplicate: Person, survivor: Person, by) -> list[str]:
    """Point everything that names `duplicate` (registrations, focal-point roles, whatever
    other apps relate to a person) at `survivor`, through each row's own validation: the
    messages of the rows that refuse (the two registered for one meeting), nothing if none."""
    refusals = []
    for relation in Person._meta.related_objects:
        model, name = relation.related_model, relation.field.name
        if relation.many_to_many:
            for row in model._base_manager.filter(**{name: duplicate}):
                people = [p for p in getattr(row, name).all() if p != duplicate]
                changes = {name: [*people, survivor] if survivor not in people else people}
                versioned_update(instance=row, expected_version=row.version, changes=changes, by=by)
            continue
        for row in model._base_manager.filter(**{name: duplicate}):
            try:
                if isinstance(row, VersionedModel):
                    versioned_update(
                        instance=row,
                        expected_version=row.version,
                        changes={name: survivor},
                        by=by,
                    )
                else:  # a log (invitations sent): it follows the person as it was
                    setattr(row, name, survivor)
                    row.validate_constraints()
                    row.save(update_fields=[relation.field.attname])
            except ValidationError as error:
                refusals.extend(f"{row}: {message}" for message in error.messages)
    return refusals


@transaction.atomic
def person_merge(*, duplicate: Person, survivor: Person, by=None) -> Person:
    """One person entered twice becomes one: `survivor` takes over the duplicate's
    registrations, focal-point roles and sign-in, and the contacts it lacks; the duplicate is
    deleted, its history saying into whom it was merged. Refused, with nothing changed, where
    the two cannot be one (both registered for one meeting, both with a sign-in)."""
    if duplicate.pk == survivor.pk:
        raise ValidationError(_("Choose another person to merge into: this is the same one."))
    _not_erased(duplicate, survivor)
    if duplicate.user_id and survivor.user_id:
        raise ValidationError(
            _(
                "Both %(duplicate)s and %(survivor)s have a sign-in; deactivate one of the "
                "accounts before merging."
            )
            % {"duplicate": duplicate, "survivor": survivor}
        )
    # A role the survivor holds already (same dialogue, participant and start) is not a
    # conflict: the duplicate's copy goes with the duplicate.
    held = set(survivor.focal_points.values_list("dialogue_id", "participant_id", "valid_from"))
    for role in duplicate.focal_points.all():
        if (role.dialogue_id, role.participant_id, role.valid_from) in held:
            versioned_delete(instance=role, expected_version=role.version, by=by)
    refusals = _moved_rows(duplicate, survivor, by)
    if refusals:
        # The rows moved so far go back with the transaction.
        transaction.set_rollback(True)
        raise ValidationError(
            [_("Not merged: %(reason)s") % {"reason": message} for message in refusals]
        )
    changes = {
        name: getattr(duplicate, name)
        for name in ("honorific", "position", "email", "phone")
        if not getattr(survivor, name) and getattr(duplicate, name)
    }
    if survivor.affiliation_id is None and duplicate.affiliation_id:
        changes["affiliation"] = duplicate.affiliation
    user = duplicate.user
    if user is not None:
        # The account is one-to-one: free it before the survivor takes it.
        versioned_update(
            instance=duplicate, expected_version=duplicate.version, changes={"user": None}, by=by
        )
        changes["user"] = user
    survivor._change_reason = f"Merged with #{duplicate.pk} {duplicate}"[:_REASON_LENGTH]
    survivor = versioned_update(
        instance=survivor, expected_version=survivor.version, changes=changes, by=by
    )
    duplicate._change_reason = f"Merged into #{survivor.pk} {survivor}"[:_REASON_LENGTH]
    versioned_delete(instance=duplicate, expected_version=duplicate.version, by=by)
    return survivor


def _sign_in_username(email: str) -> str:
    """The e-mail address, with a number after it if another account took it already."""
    User = get_user_model()
    base = email.lower()[: User._meta.get_field("username").max_length - 4]
    username, number = base, 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


@transaction.atomic
def person_invite_to_sign_in(*, person: Person, site_url: str, by=None):
    """Give the person a delegate account (theirs if they have one; a new one named after
    their e-mail, with no password) and e-mail them a one-time link to set its password, once
    the work is committed. The link is Django's password-reset link: it stops working once
    used or after PASSWORD_RESET_TIMEOUT."""
    _not_erased(person)
    if not person.email:
        raise ValidationError(
            {
                "email": _("%(person)s has no e-mail address to send the link to.")
                % {"person": person}
            }
        )
    if person.retired_on:
        raise ValidationError(_retired(person))
    user = person.user
    if user is None:
        User = get_user_model()
        user = User(username=_sign_in_username(person.email), email=person.email)
        user.set_unusable_password()
        user.save()
        person = versioned_update(
            instance=person, expected_version=person.version, changes={"user": user}, by=by
        )
    elif not user.is_active:
        raise ValidationError(
            _("The account %(username)s is deactivated.") % {"username": user.get_username()}
        )
    elif user.email != person.email:
        user.email = person.email
        user.save(update_fields=["email"])
    transaction.on_commit(
        lambda: task_enqueue(
            "participants.tasks.send_sign_in_invitation",
            kwargs={"user_id": user.pk, "site_url": site_url},
        )
    )
    return user


def sign_in_invitation_send(*, user_id: int, site_url: str) -> None:
    """The e-mail with the link to set a password (sent by a task)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    link = site_url.rstrip("/") + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "person": getattr(user, "person", None), "link": link}
    send_mail(
        render_to_string("participants/sign_in_invitation_subject.txt", context).strip(),
        render_to_string("participants/sign_in_invitation_email.txt", context),
        None,
        [user.email],
    )
