"""Who is a delegate: the one definition the access policy and the e-mails share.

A delegate of a dialogue is a user whose `Person` is affiliated with a participant that is a
current member of the dialogue. A focal point of a participant is a user whose `Person` holds a
focal-point role for it in force: it sees the participant's invitations and nominates its
delegations."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import FocalPoint, Membership, Participant


def delegate_dialogue_ids(user) -> frozenset[int]:
    """The dialogues `user` is a delegate of (`settings.ACCESS_DELEGATE_DIALOGUES`)."""
    return frozenset(
        Membership.objects.current()
        .filter(participant__people__user=user)
        .values_list("dialogue_id", flat=True)
    )


def delegates_of(*, dialogue_id: int) -> QuerySet:
    """The active users who are delegates of the dialogue."""
    members = Membership.objects.current().filter(dialogue_id=dialogue_id)
    return get_user_model().objects.filter(
        is_active=True, person__affiliation_id__in=members.values("participant_id")
    )


def focal_point_participants(user, *, dialogue_id: int, on=None) -> QuerySet:
    """The participants `user` is a focal point of for the dialogue, today (or `on`)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Participant.objects.none()
    roles = FocalPoint.objects.current(on).filter(
        dialogue_id=dialogue_id,
        person__user=user,
        person__retired_on__isnull=True,
        person__erased_at__isnull=True,
    )
    return Participant.objects.filter(id__in=roles.values("participant_id"))


def delegate_participant_ids(user) -> frozenset[int]:
    """The participants `user` belongs to as a delegate (their `Person`'s affiliation), for
    showing them their own participant's business first."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(
        Participant.objects.filter(people__user=user, people__erased_at__isnull=True).values_list(
            "id", flat=True
        )
    )
