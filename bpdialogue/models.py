"""Cross-cutting model machinery: timestamps, stable public ids, optimistic concurrency."""

import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone


class VersionConflict(Exception):
    """Someone saved a newer version of the object since the caller read it."""

    def __init__(self, instance, expected_version: int):
        self.instance = instance
        self.expected_version = expected_version
        super().__init__(
            f"{instance._meta.verbose_name} {instance.pk} was changed by someone else "
            f"(you edited version {expected_version})."
        )


class TimeStampedModel(models.Model):
    # A public id that survives backups, restores and re-numbering; partners and calendar
    # clients key their copies on it.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """An editable record. Every save raises `version`; `save_checked` refuses to overwrite a
    version newer than the one the editor started from."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and not kwargs.get("force_insert"):
            self.version += 1
        super().save(*args, **kwargs)

    def save_checked(self, *, expected_version: int, **kwargs) -> None:
        """Save only if the stored row is still at `expected_version`.

        The conditional UPDATE both checks and locks the row, so two concurrent editors
        cannot both pass the check."""
        with transaction.atomic():
            claimed = (
                type(self)
                ._base_manager.filter(pk=self.pk, version=expected_version)
                .update(version=expected_version)
            )
            if not claimed:
                raise VersionConflict(self, expected_version)
            self.version = expected_version
            self.save(**kwargs)


class ApiKey(TimeStampedModel):
    """A partner's key to the API. Only a SHA-256 hash of the secret is stored: the key is
    shown once, when it is created, and a stolen database does not yield usable keys.
    (A plain hash suffices because the secret is 256 random bits, not a password.)"""

    class Scope(models.TextChoices):
        READ_PUBLIC = "read:public", "Read public data"
        READ_PARTICIPANTS = "read:participants", "Read participants-level data"
        READ_PERSONAL = "read:personal", "Read personal data of people"
        WRITE = "write", "Create and update meetings and their parts"

    PREFIX = "bpd"

    name = models.CharField(max_length=200, help_text="Who holds the key, e.g. 'IOM data hub'.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(default=list, help_text="Any of: " + ", ".join(Scope.values))
    dialogue = models.ForeignKey(
        "participants.Dialogue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
        help_text="Limits participants-level reading to this dialogue; empty means all.",
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.PREFIX}_{self.prefix}_…)"

    def clean(self):
        if not isinstance(self.scopes, list) or not self.scopes:
            raise ValidationError({"scopes": "Give a list of at least one scope."})
        unknown = sorted(set(map(str, self.scopes)) - set(self.Scope.values))
        if unknown:
            raise ValidationError(
                {
                    "scopes": f"Unknown scope(s): {', '.join(unknown)}. "
                    f"Use {', '.join(self.Scope.values)}."
                }
            )

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def split(cls, key: str) -> tuple[str, str] | None:
        """'bpd_<prefix>_<secret>' → (prefix, secret), or None if it is not shaped so."""
        parts = key.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != cls.PREFIX or not parts[1] or not parts[2]:
            return None
        return parts[1], parts[2]

    def issue(self) -> str:
        """Give the key a fresh secret and return the full key (the only time it is seen)."""
        self.prefix = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        self.secret_hash = self.hash_secret(secret)
        return f"{self.PREFIX}_{self.prefix}_{secret}"

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, self.hash_secret(secret))

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    def access_policy(self):
        from .access import AccessPolicy

        scopes = set(self.scopes)
        participants = self.Scope.READ_PARTICIPANTS in scopes
        return AccessPolicy(
            participant_dialogue_ids=frozenset(
                [self.dialogue_id] if participants and self.dialogue_id else []
            ),
            all_participant_dialogues=participants and not self.dialogue_id,
            can_read_personal=self.Scope.READ_PERSONAL in scopes,
            can_write=self.Scope.WRITE in scopes,
        )


class Deletion(models.Model):
    """A tombstone: a domain record that was deleted, so partners mirroring the data through
    the API can delete their copy (`/api/v1/deletions/?since=`).

    `audience` keeps who could see the record, so the feed shows a viewer only deletions
    of what they could have seen."""

    class Audience(models.TextChoices):
        PUBLIC = "public", "Public"
        PARTICIPANTS = "participants", "Participants"
        PERSONAL = "personal", "Personal data"
        SECRETARIAT = "secretariat", "Secretariat"

    model = models.CharField(max_length=100, help_text="app_label.modelname")
    object_uid = models.UUIDField(db_index=True)
    object_id = models.BigIntegerField()
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    dialogue_id = models.BigIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices)

    class Meta:
        ordering = ["deleted_at", "id"]

    def __str__(self):
        return f"{self.model} {self.object_uid} deleted {self.deleted_at:%Y-%m-%d %H:%M}"
