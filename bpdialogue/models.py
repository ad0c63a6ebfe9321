"""Cross-cutting model machinery: timestamps, stable public ids, optimistic concurrency."""

import uuid

from django.db import models, transaction


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
