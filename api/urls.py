"""`/api/v1/`: every app's resources, the deletions feed, the calendar and the schema."""

from functools import cache

from django.urls import path, re_path
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from bpdialogue.api.deletions import DeletionViewSet
from bpdialogue.api.renderers import AnyMediaRenderer
from bpdialogue.api.viewsets import UUID_PATTERN
from meetings.api import views as meetings
from participants.api import views as participants
from projects.api import views as projects
from workplans.api import views as workplans

router = DefaultRouter()
router.include_format_suffixes = False
for prefix, viewset in [
    ("dialogues", participants.DialogueViewSet),
    ("participants", participants.ParticipantViewSet),
    ("regions", participants.RegionViewSet),
    ("memberships", participants.MembershipViewSet),
    ("roles", participants.RoleAssignmentViewSet),
    ("people", participants.PersonViewSet),
    ("working-groups", meetings.WorkingGroupViewSet),
    ("meetings", meetings.MeetingViewSet),
    ("agenda-items", meetings.AgendaItemViewSet),
    ("statements", meetings.StatementViewSet),
    ("delegations", meetings.DelegationViewSet),
    ("registrations", meetings.RegistrationViewSet),
    ("conclusions", meetings.ConclusionViewSet),
    ("action-points", meetings.ActionPointViewSet),
    ("documents", meetings.DocumentViewSet),
    ("projects", projects.ProjectViewSet),
    ("sites", projects.SiteViewSet),
    ("frameworks", workplans.CooperationFrameworkViewSet),
    ("thematic-focuses", meetings.ThematicFocusViewSet),
    ("workplans", workplans.WorkplanViewSet),
    ("activities", workplans.ActivityViewSet),
]:
    # Route names follow the model ("api-meeting-detail"), which is what serializers'
    # `url` fields reverse.
    router.register(prefix, viewset, basename=f"api-{viewset.queryset.model._meta.model_name}")
router.register("deletions", DeletionViewSet, basename="api-deletion")


def documentation(name):
    """bpdialogue.api.documentation's view `name`, imported at its first request."""
    loaded = cache(lambda: import_string(f"bpdialogue.api.documentation.{name}"))

    @csrf_exempt  # as drf-spectacular's views are; both answer GET only
    def view(request, *args, **kwargs):
        return loaded()(request, *args, **kwargs)

    return view


urlpatterns = [
    path(
        "meetings.ics",
        meetings.MeetingViewSet.as_view({"get": "calendar"}),
        name="api-meeting-ics",
    ),
    re_path(
        rf"^meetings/(?P<uid>{UUID_PATTERN})/akn\.xml$",
        meetings.MeetingViewSet.as_view({"get": "akn"}, renderer_classes=[AnyMediaRenderer]),
        name="api-meeting-akn",
    ),
    path(
        "iati/activities.xml",
        projects.ProjectViewSet.as_view({"get": "iati"}, renderer_classes=[AnyMediaRenderer]),
        name="api-iati-activities",
    ),
    path("schema/", documentation("schema"), name="api-schema"),
    path("docs/", documentation("swagger_ui"), name="api-docs"),
    *router.urls,
]
