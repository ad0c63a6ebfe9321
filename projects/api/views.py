from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse

from bpdialogue.api.openapi import documented
from bpdialogue.api.viewsets import ApiViewSet
from participants.models import Participant, Region

from ..models import Project, ProjectPartner, Site
from ..selectors import projects_for_iati
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

    def base_queryset(self):
        if self.action == "iati":
            return projects_for_iati()
        return super().base_queryset()

    @documented(
        summary="The projects as IATI 2.03 activities",
        description="Every project in one `iati-activities` file (IATI Standard 2.03), "
        "reported by its dialogue's secretariat under its IATI organisation identifier: "
        "titles, descriptions, funders and implementers, status and dates, recipient "
        "countries, sector 15190, yearly budgets and the project tree as related activities. "
        "A project without a start date or anyone funding or implementing it is left out, "
        "and a comment in the file says so.",
        filters=False,
        responses={(200, "application/xml"): OpenApiResponse(response=str)},
    )
    def iati(self, request):
        # Served at /api/v1/iati/activities.xml (see api/urls.py). The whole tree, unfiltered:
        # parents and children point at each other, and IATI readers take the file whole.
        projects = list(self.get_queryset())
        self._modified = [project.updated_at for project in projects]
        # Generated as of the last change, so that an unchanged portfolio gives the same file
        # (and ETag) again.
        generated_at = max(self._modified, default=None) or timezone.now()
        from ..iati import iati_activities  # lxml loads with the first export, not per worker

        body = iati_activities(projects, today=timezone.localdate(), generated_at=generated_at)
        return HttpResponse(body, content_type="application/xml; charset=utf-8")


class SiteViewSet(ApiViewSet):
    queryset = Site.objects.select_related("project", "country")
    serializer_class = serializers.SiteSerializer
    filterset_class = filters.SiteFilter
