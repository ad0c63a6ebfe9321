"""Cross-cutting model machinery: timestamps, stable public ids, optimistic concurrency."""

import base64
import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class TranslatedModel(VersionedModel):
    """A record whose content fields have a column per language (the app's translation.py).

    `translated_from` tells, per field and language, what the original said when the
    translation was saved: `{"title": {"ru": "<digest of the English title then>"}}`. A
    translation whose original has changed since is outdated (bpdialogue/translations.py)."""

    translated_from = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True


def language_field(**kwargs):
    """The language a record's originals are written in (a meeting's, a project's): its
    other languages' texts are translations of it."""
    return models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the original texts; the others are translations of them."),
        **kwargs,
    )


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

    name = models.CharField(max_length=200, help_text=_("Who holds the key, e.g. 'IOM data hub'."))
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(default=list, help_text="Any of: " + ", ".join(Scope.values))
    dialogue = models.ForeignKey(
        "participants.Dialogue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
        help_text=_("Limits participants-level reading to this dialogue; empty means all."),
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("API key")

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
        return scopes_policy(self.scopes, self.dialogue_id)


def scopes_policy(scopes, dialogue_id: int | None):
    """What a holder of these `ApiKey.Scope`s sees, bound to one dialogue or (None) to all: an
    API key, and a webhook endpoint whose audience is given as a key's would be."""
    from .access import AccessPolicy

    scopes = set(scopes)
    participants = ApiKey.Scope.READ_PARTICIPANTS in scopes
    return AccessPolicy(
        participant_dialogue_ids=frozenset([dialogue_id] if participants and dialogue_id else []),
        all_participant_dialogues=participants and not dialogue_id,
        can_read_personal=ApiKey.Scope.READ_PERSONAL in scopes,
        can_write=ApiKey.Scope.WRITE in scopes,
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

    model = models.CharField(max_length=100, help_text=_("app_label.modelname"))
    object_uid = models.UUIDField(db_index=True)
    object_id = models.BigIntegerField()
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    dialogue_id = models.BigIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices)

    class Meta:
        ordering = ["deleted_at", "id"]

    def __str__(self):
        return f"{self.model} {self.object_uid} deleted {self.deleted_at:%Y-%m-%d %H:%M}"


class WebhookEvent(models.TextChoices):
    """What a partner may subscribe to (bpdialogue/events.py emits them)."""

    MEETING_CREATED = "meeting.created", "A meeting was created"
    MEETING_UPDATED = "meeting.updated", "A meeting's details changed"
    MEETING_DELETED = "meeting.deleted", "A meeting was deleted"
    RECORD_PUBLISHED = "record.published", "A meeting's record was published"
    RECORD_REOPENED = "record.reopened", "A published record was reopened for correction"
    DOCUMENT_PUBLISHED = "document.published", "A document was published"
    DOCUMENT_WITHDRAWN = "document.withdrawn", "A document was withdrawn"
    ACTION_POINT_UPDATED = "action_point.updated", "An action point changed"
    PROJECT_UPDATED = "project.updated", "A project changed"


class WebhookEndpoint(TimeStampedModel):
    """A partner's receiver of events (Standard Webhooks). It hears only of what a key with
    the same scopes and dialogue could read, and only the events it subscribed to (none: all).

    The signing secret has to be kept in the clear, unlike an API key's: every delivery is
    signed with it. After a rotation the previous one signs too until it expires, so the
    receiver can switch without losing a message."""

    SECRET_PREFIX = "whsec_"

    name = models.CharField(max_length=200, help_text=_("Who receives, e.g. 'IOM data hub'."))
    url = models.URLField(
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where events are POSTed (https)."),
    )
    description = models.TextField(blank=True)
    event_types = models.JSONField(
        default=list,
        blank=True,
        help_text="Any of: " + ", ".join(WebhookEvent.values) + "; empty means every event.",
    )
    scopes = models.JSONField(
        default=list,
        help_text="The audience, as an API key's scopes: " + ", ".join(ApiKey.Scope.values),
    )
    dialogue = models.ForeignKey(
        "participants.Dialogue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        help_text=_("Limits participants-level events to this dialogue; empty means all."),
    )
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook endpoint")

    def __str__(self):
        return f"{self.name} ({self.url})"

    def clean(self):
        errors = {}
        if not isinstance(self.scopes, list) or not self.scopes:
            errors["scopes"] = "Give a list of at least one scope."
        else:
            unknown = sorted(set(map(str, self.scopes)) - set(ApiKey.Scope.values))
            if unknown:
                errors["scopes"] = f"Unknown scope(s): {', '.join(unknown)}."
        if not isinstance(self.event_types, list):
            errors["event_types"] = "Give a list of event types (empty: every event)."
        else:
            unknown = sorted(set(map(str, self.event_types)) - set(WebhookEvent.values))
            if unknown:
                errors["event_types"] = (
                    f"Unknown event type(s): {', '.join(unknown)}. "
                    f"Use {', '.join(WebhookEvent.values)}."
                )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def new_secret(cls) -> str:
        # Standard Webhooks' form: the prefix, then 32 random bytes in base64.
        return cls.SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()

    def signing_secrets(self, now=None) -> list[str]:
        """The current secret, and the previous one while it has not expired."""
        now = now or timezone.now()
        kept = self.previous_secret and (
            self.previous_secret_expires_at is None or self.previous_secret_expires_at > now
        )
        return [self.secret, self.previous_secret] if kept else [self.secret]

    def subscribes_to(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

    def access_policy(self):
        return scopes_policy(self.scopes, self.dialogue_id)


class WebhookDelivery(models.Model):
    """One event for one endpoint, from its emission until it is delivered or given up.
    Its attempts (`WebhookAttempt`) are the log the workspace shows."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Given up"
        # The endpoint's audience does not see the object (checked when it is sent).
        WITHHELD = "withheld", "Withheld (not in the endpoint's audience)"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The Standard Webhooks message id (`webhook-id`): the same for every endpoint and every
    # attempt, so a receiver can tell a retry from a new event.
    event_id = models.CharField(max_length=40, db_index=True)
    event_type = models.CharField(max_length=40, choices=WebhookEvent.choices)
    object_uid = models.UUIDField()
    # Who could see the object when the event happened (`Deletion.Audience`), and its dialogue.
    audience = models.CharField(max_length=20, choices=Deletion.Audience.choices)
    dialogue_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text=_("Since it was last (re)sent.")
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(
                fields=["endpoint", "object_uid", "status"], name="webhook_delivery_order"
            ),
        ]

    def __str__(self):
        return f"{self.event_type} {self.object_uid} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the receiver answered, or why nothing was sent."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField(default=timezone.now)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-attempted_at", "-id"]

    def __str__(self):
        return f"{self.delivery_id} at {self.attempted_at:%Y-%m-%d %H:%M}: {self.response_status}"
