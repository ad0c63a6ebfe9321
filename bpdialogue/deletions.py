"""Tombstones for deleted domain records, so partners can mirror deletes (see `Deletion`).

Every `VersionedModel` of the domain apps gets a `post_delete` receiver, including rows
removed by a cascade (Django sends the signal for each of them, because a receiver is
connected)."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete

from .access import AccessPolicy
from .models import Deletion, VersionedModel

DOMAIN_APPS = ("participants", "meetings", "projects", "workplans")

# Rows that belong to a meeting's record, attendance included: seen outside the secretariat
# only once the record is published (as `AccessPolicy.records` has it).
RECORD_MODELS = {
    "meetings.statement",
    "meetings.conclusion",
    "meetings.actionpoint",
    "meetings.delegation",
    "meetings.registration",
}


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
