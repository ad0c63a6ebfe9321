"""Events the domain services emit for partners' webhooks (bpdialogue/webhooks.py sends them).

A service calls `event_emit` inside its transaction; the deliveries are created and queued
once it commits, so a change that is rolled back announces nothing. The payload is thin, as
Standard Webhooks advise: what happened, when, and the object's id and API URL, which the
partner reads with its key (through the access policy, like any read)."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .access import WIDE_TO_NARROW
from .deletions import record_type, row_audience
from .models import WebhookEvent
from .site import site_url
from .webhooks import webhook_deliveries_create


def _widest(*audiences: str) -> str:
    return min(audiences, key=WIDE_TO_NARROW.index)


def event_emit(event_type: WebhookEvent | str, obj, *, seen_before: str | None = None) -> None:
    """Announce `event_type` about `obj` to the endpoints that may see it. The audience is
    the object's as it is now (`bpdialogue.deletions.row_audience`), or `seen_before` if more
    saw it before the change (a document withdrawn, a meeting narrowed): they hear of it too."""
    audience, dialogue_id = row_audience(obj)
    if seen_before is not None:
        audience = _widest(audience, seen_before)
    event = {
        "event_id": f"msg_{uuid.uuid4().hex}",
        "event_type": str(event_type),
        "object_uid": obj.uid,
        "audience": audience,
        "dialogue_id": dialogue_id,
        "payload": {
            "type": str(event_type),
            "timestamp": timezone.now().isoformat().replace("+00:00", "Z"),
            "data": {
                "id": str(obj.uid),
                "type": record_type(type(obj)),
                "url": site_url()
                + reverse(f"api-{obj._meta.model_name}-detail", kwargs={"uid": obj.uid}),
            },
        },
    }
    transaction.on_commit(lambda: webhook_deliveries_create(**event), robust=True)
