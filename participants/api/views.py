from django.db.models import Prefetch
from rest_framework import exceptions, permissions

from bpdialogue.api.policy import request_policy
from bpdialogue.api.viewsets import ApiViewSet, ApiWriteViewSet

from ..models import (
    Dialogue,
    Membership,
    Participant,
    ParticipantName,
    Person,
    Region,
    RoleAssignment,
)
from ..services import person_create, person_update
from . import filters, serializers


class DialogueViewSet(ApiViewSet):
    """Dialogues (e.g. the Budapest Process)."""

    queryset = Dialogue.objects.select_related("secretariat")
    serializer_class = serializers.DialogueSerializer
    filterset_class = filters.DialogueFilter


class ParticipantViewSet(ApiViewSet):
    """Participating states and organisations, with every name they have had."""

    queryset = Participant.objects.prefetch_related(
        Prefetch("names", queryset=ParticipantName.objects.order_by("valid_from", "id")),
        "identifiers",
    )
    serializer_class = serializers.ParticipantSerializer
    filterset_class = filters.ParticipantFilter


class RegionViewSet(ApiViewSet):
    queryset = Region.objects.select_related("dialogue").prefetch_related(
        Prefetch("states", queryset=Participant.objects.only("id", "uid"))
    )
    serializer_class = serializers.RegionSerializer
    filterset_class = filters.RegionFilter


class MembershipViewSet(ApiViewSet):
    queryset = Membership.objects.select_related("dialogue", "participant")
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilter


class RoleAssignmentViewSet(ApiViewSet):
    """Chairs, co-chairs and thematic chairs over time."""

    queryset = RoleAssignment.objects.select_related("dialogue", "participant")
    serializer_class = serializers.RoleAssignmentSerializer
    filterset_class = filters.RoleAssignmentFilter


class WritesNeedPersonal(permissions.BasePermission):
    """Writing people handles personal data: `write` (PolicyPermission) and `read:personal`."""

    message = "Writing people needs an API key with both the 'write' and 'read:personal' scopes."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or (
            request_policy(request).can_read_personal
        )


class PersonViewSet(ApiWriteViewSet):
    """Delegates and focal points. Without read:personal, only the people of published lists
    of participants, with their name, position and affiliation; e-mail, phone and focal-point
    roles with read:personal. Created and changed with write and read:personal."""

    queryset = Person.objects.select_related("affiliation")
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    permission_classes = [*ApiWriteViewSet.permission_classes, WritesNeedPersonal]

    def base_queryset(self):
        # Today's roles, so asked per request rather than when the module loads.
        return super().base_queryset().with_is_focal_point()

    def visible(self, queryset, policy):
        return policy.people(queryset)

    def create_record(self, data, *, by):
        return self._reloaded(person_create(**data, by=by))

    def update_record(self, instance, *, expected_version, changes, by):
        person = person_update(
            person=instance, expected_version=expected_version, changes=changes, by=by
        )
        return self._reloaded(person)

    def delete_record(self, instance, *, expected_version, by):
        raise exceptions.MethodNotAllowed(
            "DELETE",
            detail="People are not deleted: the record refers to them. Merge a duplicate, "
            "or erase a person's data on request, in the workspace.",
        )

    def _reloaded(self, person):
        """The person as the list reads them (with today's focal-point roles)."""
        return self.base_queryset().get(pk=person.pk)
