from pathlib import Path

from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.utils.http import http_date, quote_etag
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from bpdialogue.api.renderers import AnyMediaRenderer
from bpdialogue.api.viewsets import ApiViewSet, ApiWriteViewSet
from participants.models import Participant, Person

from ..calendar import meetings_ical
from ..models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    Document,
    Meeting,
    Statement,
    WorkingGroup,
)
from . import filters, serializers

# Related participants and people appear by uid only; loading just that keeps rows small.
UIDS_ONLY = Participant.objects.only("id", "uid")


def statement_rows():
    return Statement.objects.select_related("agenda_item__meeting").prefetch_related(
        Prefetch("speakers", queryset=UIDS_ONLY)
    )


def action_point_rows():
    return ActionPoint.objects.select_related("meeting", "fulfilled_by").prefetch_related(
        Prefetch("responsible", queryset=UIDS_ONLY)
    )


def delegations():
    return Delegation.objects.select_related("meeting", "participant").prefetch_related(
        Prefetch("delegates", queryset=Person.objects.only("id", "uid"))
    )


def agenda_items():
    return AgendaItem.objects.select_related("meeting", "parent").prefetch_related(
        Prefetch("presenters", queryset=UIDS_ONLY)
    )


def documents(policy):
    return policy.documents(Document.objects.select_related("meeting", "project"))


class MeetingVisibleMixin:
    """Rows seen with their meeting (agenda items, delegations): the meeting's visibility."""

    meeting_path = "meeting"

    def visible(self, queryset, policy):
        return queryset.filter(policy.meeting_q(f"{self.meeting_path}__"))


class WorkingGroupViewSet(ApiViewSet):
    queryset = WorkingGroup.objects.select_related("dialogue", "region")
    serializer_class = serializers.WorkingGroupSerializer
    filterset_class = filters.WorkingGroupFilter


class MeetingViewSet(ApiWriteViewSet):
    """Meetings. The detail has everything in it: agenda with statements, delegations,
    conclusions, action points and documents, as far as you may see them."""

    queryset = Meeting.objects.with_relations()
    filterset_class = filters.MeetingFilter

    def visible(self, queryset, policy):
        return policy.meetings(queryset)

    def get_serializer_class(self):
        if self.action in ("list", "calendar"):
            return serializers.MeetingSerializer
        return serializers.MeetingDetailSerializer

    def base_queryset(self):
        queryset = super().base_queryset()
        if self.action in ("list", "calendar"):
            return queryset
        policy = self.policy
        return queryset.prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=agenda_items().prefetch_related(
                    Prefetch(
                        "statements",
                        queryset=policy.records(statement_rows(), "agenda_item__meeting"),
                    )
                ),
            ),
            Prefetch("delegations", queryset=delegations()),
            Prefetch("conclusions", queryset=policy.records(Conclusion.objects.all(), "meeting")),
            Prefetch("action_points", queryset=policy.records(action_point_rows(), "meeting")),
            Prefetch("documents", queryset=documents(policy)),
        )

    @extend_schema(
        summary="The meetings as an iCalendar feed",
        description="RFC 5545; takes the same filters as the list. Each meeting is an "
        "all-day event keyed on its uid; SEQUENCE rises when its date, place or status "
        "changes; cancelled meetings stay in the feed with STATUS:CANCELLED.",
        responses={(200, "text/calendar"): OpenApiResponse(response=str)},
    )
    def calendar(self, request):
        # Served at /api/v1/meetings.ics (see bpdialogue/api/urls.py).
        meetings = self.filter_queryset(self.get_queryset()).order_by("start_date", "id")
        body = meetings_ical(
            meetings,
            calendar_name="Meetings",
            url_for=lambda meeting: request.build_absolute_uri(meeting.get_absolute_url()),
        )
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")


class AgendaItemViewSet(MeetingVisibleMixin, ApiWriteViewSet):
    """Agenda items. Their `record` is null until the meeting's record is published."""

    queryset = AgendaItem.objects.all()
    serializer_class = serializers.AgendaItemSerializer
    filterset_class = filters.AgendaItemFilter

    def base_queryset(self):
        return agenda_items()


class StatementViewSet(ApiWriteViewSet):
    """What was said, by whom (joint statements name every speaker). Published records only."""

    queryset = Statement.objects.all()
    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilter
    record_meeting_path = "agenda_item__meeting"

    def base_queryset(self):
        return statement_rows()


class DelegationViewSet(MeetingVisibleMixin, ApiWriteViewSet):
    """Who came to a meeting, how many, in which role."""

    queryset = Delegation.objects.all()
    serializer_class = serializers.DelegationSerializer
    filterset_class = filters.DelegationFilter

    def base_queryset(self):
        return delegations()


class ConclusionViewSet(ApiWriteViewSet):
    queryset = Conclusion.objects.select_related("meeting")
    serializer_class = serializers.ConclusionSerializer
    filterset_class = filters.ConclusionFilter
    record_meeting_path = "meeting"


class ActionPointViewSet(ApiWriteViewSet):
    queryset = ActionPoint.objects.all()
    serializer_class = serializers.ActionPointSerializer
    filterset_class = filters.ActionPointFilter
    record_meeting_path = "meeting"

    def base_queryset(self):
        return action_point_rows()


class DocumentViewSet(ApiViewSet):
    """Documents' metadata; `download_url` serves the file through the access policy."""

    queryset = Document.objects.select_related("meeting", "project")
    serializer_class = serializers.DocumentSerializer
    filterset_class = filters.DocumentFilter

    def visible(self, queryset, policy):
        return policy.documents(queryset)

    @extend_schema(
        summary="The document's file",
        description="Streams the file to whoever may see the document (API key or session); "
        "the portal's download link does the same for signed-in browsers.",
        responses={(200, "*/*"): OpenApiResponse(response=OpenApiTypes.BINARY)},
    )
    @action(detail=True, url_path="file", url_name="file", renderer_classes=[AnyMediaRenderer])
    def file(self, request, uid=None):
        document = self.get_object()
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as missing:
            raise NotFound("The document's file is missing.") from missing
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=Path(document.file.name).name,
            content_type=document.content_type,
        )
        response["ETag"] = quote_etag(document.sha256 or f"{document.uid}-{document.version}")
        response["Last-Modified"] = http_date(document.updated_at.timestamp())
        response["Cache-Control"] = "private, no-cache"
        return response
