from django.db.models import Prefetch

from bpdialogue.api.viewsets import ApiViewSet
from participants.models import Participant

from ..models import Activity, CooperationFramework, Workplan
from . import filters, serializers

UIDS_ONLY = Participant.objects.only("id", "uid")


class CooperationFrameworkViewSet(ApiViewSet):
    """Cooperation frameworks and the meeting cadence they expect."""

    queryset = CooperationFramework.objects.select_related(
        "dialogue", "presented_at", "adopted_at"
    ).prefetch_related("cadence")
    serializer_class = serializers.CooperationFrameworkSerializer
    filterset_class = filters.CooperationFrameworkFilter


class WorkplanViewSet(ApiViewSet):
    queryset = Workplan.objects.select_related(
        "dialogue", "framework", "thematic_focus", "presented_at", "adopted_at"
    )
    serializer_class = serializers.WorkplanSerializer
    filterset_class = filters.WorkplanFilter


class ActivityViewSet(ApiViewSet):
    queryset = Activity.objects.select_related(
        "workplan", "project", "realised_by"
    ).prefetch_related(
        Prefetch("countries", queryset=UIDS_ONLY), Prefetch("responsible", queryset=UIDS_ONLY)
    )
    serializer_class = serializers.ActivitySerializer
    filterset_class = filters.ActivityFilter
