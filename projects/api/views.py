from django.db.models import Prefetch

from bpdialogue.api.viewsets import ApiViewSet
from participants.models import Participant, Region

from ..models import Project, ProjectPartner, Site
from . import filters, serializers


class ProjectViewSet(ApiViewSet):
    """Projects as a tree (parent, children), with funders, implementers and sites."""

    queryset = Project.objects.select_related("dialogue", "parent").prefetch_related(
        Prefetch("children", queryset=Project.objects.only("id", "uid", "parent_id")),
        Prefetch("regions", queryset=Region.objects.only("id", "uid")),
        Prefetch("beneficiary_countries", queryset=Participant.objects.only("id", "uid")),
        Prefetch("partners", queryset=ProjectPartner.objects.select_related("participant")),
        Prefetch("sites", queryset=Site.objects.select_related("project", "country")),
    )
    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilter


class SiteViewSet(ApiViewSet):
    queryset = Site.objects.select_related("project", "country")
    serializer_class = serializers.SiteSerializer
    filterset_class = filters.SiteFilter
