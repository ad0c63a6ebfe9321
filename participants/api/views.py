from django.db.models import Prefetch

from bpdialogue.api.viewsets import ApiViewSet

from ..models import (
    Dialogue,
    Membership,
    Participant,
    ParticipantName,
    Person,
    Region,
    RoleAssignment,
)
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


class PersonViewSet(ApiViewSet):
    """Delegates and focal points. E-mail and phone only with read:personal."""

    queryset = Person.objects.select_related("affiliation")
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter

    def base_queryset(self):
        # Today's roles, so asked per request rather than when the module loads.
        return super().base_queryset().with_is_focal_point()
