"""Tombstones for deleted domain records, so partners can mirror deletes (see `Deletion`).

Every `VersionedModel` of the domain apps gets a `post_delete` receiver, including rows
removed by a cascade (Django sends the signal for each of them, because a receiver is
connected).

A row that an audience can no longer see (a meeting made participants-only, a document
withdrawn) is gone for that audience as if deleted: it gets a tombstone for each audience
that lost it (`audiences_changed`), which goes again when that audience sees it once more.
Such a tombstone is told apart from a deletion's by its row still being there: the access
policy shows it only to those who lost the row (`AccessPolicy.deletions`)."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from functools import reduce

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.db.models.signals import post_delete

from .access import RECORD_MODELS, WIDE_TO_NARROW, AccessPolicy
from .models import Deletion, VersionedModel

DOMAIN_APPS = ("participants", "meetings", "projects", "workplans")


def _meeting_of(instance):
    if instance._meta.label_lower == "meetings.meeting":
        return instance
    if instance._meta.label_lower == "meetings.statement":
        return instance.agenda_item.meeting
    if hasattr(instance, "meeting_id") and instance.meeting_id:
        return instance.meeting
    return None


def row_audience(instance) -> tuple[str, int | None]:
    """Who could see the row just before it went (as the access policy has it), and its
    dialogue."""
    label = instance._meta.label_lower
    if label == "participants.person":
        return Deletion.Audience.PERSONAL, None
    if label == "meetings.document":
        owner = instance.meeting if instance.meeting_id else instance.project
        return AccessPolicy.document_audience(instance), owner.dialogue_id
    meeting = _meeting_of(instance)
    if meeting is not None:
        if label in RECORD_MODELS:
            return AccessPolicy.record_audience(meeting), meeting.dialogue_id
        return AccessPolicy.meeting_audience(meeting), meeting.dialogue_id
    return Deletion.Audience.PUBLIC, getattr(instance, "dialogue_id", None)


def deletion_for(instance) -> Deletion:
    """The tombstone of `instance`, not yet saved (a bulk delete saves many at once)."""
    try:
        audience, dialogue_id = row_audience(instance)
    except ObjectDoesNotExist:
        # The parent went first; without knowing who saw the row, show it to nobody but
        # the secretariat rather than to too many.
        audience, dialogue_id = Deletion.Audience.SECRETARIAT, None
    return Deletion(
        model=instance._meta.label_lower,
        object_uid=instance.uid,
        object_id=instance.pk,
        dialogue_id=dialogue_id,
        audience=audience,
    )


def record_deletion(sender, instance, **kwargs):
    deletion_for(instance).save()


def record_type(model) -> str:
    """What a record is called in the API's answers about it: 'meeting', 'action_point'."""
    return model._meta.verbose_name.replace(" ", "_")


def audiences_of(rows: Sequence) -> list[str]:
    """Each row's audience now, to hand to `audiences_changed` after a change."""
    return [row_audience(row)[0] for row in rows]


def audiences_changed(rows: Sequence, before: Sequence[str]) -> None:
    """After a change that may narrow or widen who sees `rows` (their audiences were
    `before`): a tombstone for each audience that lost a row, and none left for an audience
    that sees it (again). Three queries at most, whatever the number of rows."""
    lost, kept = {}, {}
    for row, was in zip(rows, before, strict=True):
        now, dialogue_id = row_audience(row)
        # A person's audience never changes.
        if now == was or now not in WIDE_TO_NARROW or was not in WIDE_TO_NARROW:
            continue
        kept[row.uid] = WIDE_TO_NARROW[WIDE_TO_NARROW.index(now) :]
        for audience in WIDE_TO_NARROW[WIDE_TO_NARROW.index(was) : WIDE_TO_NARROW.index(now)]:
            lost[row.uid, audience] = (row, dialogue_id)
    if not kept:
        return
    Deletion.objects.filter(
        reduce(
            operator.or_,
            (Q(object_uid=uid, audience__in=audiences) for uid, audiences in kept.items()),
        )
    ).delete()
    if not lost:
        return
    # An audience that lost the row before (public, when a participants-only meeting becomes
    # secretariat-only) keeps its tombstone and the time it lost the row.
    already = set(
        Deletion.objects.filter(object_uid__in={uid for uid, _ in lost}).values_list(
            "object_uid", "audience"
        )
    )
    Deletion.objects.bulk_create(
        Deletion(
            model=row._meta.label_lower,
            object_uid=row.uid,
            object_id=row.pk,
            dialogue_id=dialogue_id,
            audience=audience,
        )
        for (uid, audience), (row, dialogue_id) in lost.items()
        if (uid, audience) not in already
    )


def domain_models() -> list:
    return [
        model
        for app_label in DOMAIN_APPS
        for model in apps.get_app_config(app_label).get_models()
        if issubclass(model, VersionedModel)
    ]


def connect_deletion_receivers() -> None:
    for model in domain_models():
        post_delete.connect(
            record_deletion, sender=model, dispatch_uid=f"deletion:{model._meta.label}"
        )
