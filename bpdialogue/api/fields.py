"""Links between resources: a related record appears as its public id (uid)."""

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bpdialogue.access import ANONYMOUS

from .policy import request_policy

# What the access policy calls a meeting (`can_see_meeting`), by label: the kernel imports
# no domain app.
MEETING_MODEL = "meetings.meeting"


def uid_annotation(name: str) -> str:
    """The annotation holding the uid of the record `name` links to (see uid_annotations)."""
    return f"{name}_uid_"


def uid_annotations(*names: str) -> dict:
    """For `queryset.annotate(...)`: each link's uid read in the same query, so a list shows
    its links without loading every linked row as a model instance (UidRelatedField reads
    the annotation when it is there)."""
    return {uid_annotation(name): F(f"{name}__uid") for name in names}


_NOT_ANNOTATED = object()


class UidRelatedField(serializers.SlugRelatedField):
    """A related record by its uid. Writable fields choose only among records the caller
    may see: `meeting_path` names the way from the related model to its meeting. With
    `hides_unseen_meeting` (set by ApiModelSerializer for optional links to a meeting), a
    meeting the caller may not see is null."""

    hides_unseen_meeting = False

    def __init__(self, meeting_path: str | None = None, **kwargs):
        self.meeting_path = meeting_path
        super().__init__(slug_field="uid", **kwargs)

    def get_attribute(self, instance):
        if not self.hides_unseen_meeting:
            annotated = getattr(instance, uid_annotation(self.source), _NOT_ANNOTATED)
            if annotated is not _NOT_ANNOTATED:
                return annotated
        related = super().get_attribute(instance)
        if self.hides_unseen_meeting and related is not None:
            return self.context.get("policy", ANONYMOUS).meeting_if_visible(related)
        return related

    def to_representation(self, value):
        if isinstance(value, uuid.UUID):  # annotated: the uid itself
            return value
        return super().to_representation(value)

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


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "09:30",
    }
)
class ClockTimeField(serializers.TimeField):
    """A time of day on the meeting's local clock, "09:30". OpenAPI's `format: time` is RFC
    3339's full-time, which needs an offset ("09:30:00+01:00"): an agenda's times have none, so
    the schema says what they are with a pattern instead."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)
