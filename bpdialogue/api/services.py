"""Writes about API keys."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from bpdialogue.models import ApiKey


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
    Raises ValidationError naming the field (e.g. an unknown scope)."""
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
