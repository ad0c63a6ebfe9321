"""Links between resources: a related record appears as its public id (uid)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from .policy import request_policy


class UidRelatedField(serializers.SlugRelatedField):
    """A related record by its uid. Writable fields choose only among records the caller
    may see: `meeting_path` names the way from the related model to its meeting."""

    def __init__(self, meeting_path: str | None = None, **kwargs):
        self.meeting_path = meeting_path
        super().__init__(slug_field="uid", **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if self.meeting_path is not None and request is not None:
            prefix = f"{self.meeting_path}__" if self.meeting_path else ""
            queryset = queryset.filter(request_policy(request).meeting_q(prefix))
        return queryset

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except (TypeError, ValueError, DjangoValidationError):
            # Malformed ids are just another id that does not exist.
            self.fail("does_not_exist", slug_name="uid", value=str(data)[:100])


def uid_link(**kwargs) -> UidRelatedField:
    return UidRelatedField(read_only=True, **kwargs)
