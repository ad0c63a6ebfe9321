"""Writes about API keys."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bpdialogue.models import ApiKey


def api_key_expiry(last_day: datetime.date | None) -> datetime.datetime | None:
    """When a key given a last day stops working: it works through the whole of that day,
    local time."""
    if last_day is None:
        return None
    return timezone.make_aware(
        datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time())
    )


@transaction.atomic
def api_key_create(
    *,
    name: str,
    scopes: list[str],
    dialogue=None,
    expires_at: datetime.datetime | None = None,
    created_by=None,
) -> tuple[ApiKey, str]:
    """Create a key; returns it with the full secret, which is never stored or shown again.
    Raises ValidationError naming the field (e.g. an unknown scope, an expiry already past)."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "A new key cannot expire in the past."})
    api_key = ApiKey(
        name=name,
        scopes=sorted(set(scopes)) if isinstance(scopes, list) else scopes,
        dialogue=dialogue,
        expires_at=expires_at,
        created_by=created_by,
    )
    secret = api_key.issue()
    api_key.full_clean()
    api_key.save()
    return api_key, secret


def api_key_revoke(*, api_key: ApiKey) -> None:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at", "updated_at"])
