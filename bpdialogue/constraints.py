"""Database constraints that explain themselves to the person who broke them.

Django reports a violated constraint with one fixed sentence, away from every field. These
report their `violation_error_message` filled in with the row's values ("There is already an
item at position %(position)s.") and, given `field`, at that field: in a workspace form next
to its input, in the API under that key of the error's `fields`. `field` must be one the
constraint names, so a form validates the constraint only when it shows that field."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models

PLACEHOLDER = re.compile(r"%\((\w+)\)")


class _Explained:
    # Neither the message nor where it stands changes the database: altering them is a
    # migration without SQL.
    non_db_attrs = (*models.BaseConstraint.non_db_attrs, "field")

    def __init__(self, *args, field: str | None = None, **kwargs):
        self.field = field
        super().__init__(*args, **kwargs)

    def get_violation_error_message(self):
        # Filled in by `validate`, from the row rather than the constraint's name.
        return self.violation_error_message

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            message = str(self.violation_error_message)
            values = {name: getattr(instance, name) for name in PLACEHOLDER.findall(message)}
            explained = ValidationError(message, code=error.code, params=values or None)
            raise (
                ValidationError({self.field: [explained]}) if self.field else explained
            ) from None

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        if self.field:
            kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other):
        same = super().__eq__(other)
        if same is NotImplemented:
            return same
        return same and self.field == getattr(other, "field", None)


class UniqueConstraint(_Explained, models.UniqueConstraint):
    pass


class CheckConstraint(_Explained, models.CheckConstraint):
    pass
