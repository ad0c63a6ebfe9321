from pathlib import Path

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from bpdialogue.api.fields import uid_annotations
from bpdialogue.api.openapi import documented
from bpdialogue.api.renderers import AnyMediaRenderer
from bpdialogue.api.viewsets import ApiViewSet, ApiWriteViewSet, representation_etag
from participants.models import Participant

from ..calendar import meetings_ical_response
from ..document_views import document_file_response
from ..models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    ConclusionReference,
    Delegation,
    Document,
    Meeting,
    Registration,
    Statement,
    ThematicFocus,
    WorkingGroup,
    in_chosen_order,
)
from ..registrations import (
    registration_confirm,
    registration_decline,
    registration_nominate,
    registration_withdraw,
)
from ..revisions import latest_revision, published_record
from ..selectors import record_for_viewer
from ..services import (
    action_point_create,
    agenda_item_create,
    conclusion_create,
    delegation_create,
    meeting_create,
    meeting_delete,
    meeting_set_record_status,
    meeting_update,
    record_part_delete,
    record_part_update,
    statement_create,
)
from . import filters, serializers

# The links of a meeting in the list.
LIST_LINKS = ("dialogue", "working_group", "host_country", "chair", "co_chair", "thematic_focus")

# Related participants and people appear by uid only; loading just that keeps rows small.
UIDS_ONLY = Participant.objects.only("id", "uid")


def statement_rows():
    return Statement.objects.select_related("agenda_item__meeting").prefetch_related(
        in_chosen_order("speakers", UIDS_ONLY)
    )


def action_point_rows():
    return ActionPoint.objects.select_related("meeting", "fulfilled_by").prefetch_related(
        in_chosen_order("responsible", UIDS_ONLY)
    )


CONCLUSION_REFERENCES = Prefetch(
    "references", queryset=ConclusionReference.objects.select_related("earlier__meeting")
)


def conclusion_rows():
    return Conclusion.objects.select_related("meeting").prefetch_related(CONCLUSION_REFERENCES)


def delegations():
    return Delegation.objects.select_related("meeting", "participant")


def agenda_items():
    return AgendaItem.objects.select_related("meeting", "parent").prefetch_related(
        in_chosen_order("presenters", UIDS_ONLY)
    )


def documents(policy):
    return policy.documents(Document.objects.select_related("meeting", "project"))


class MeetingVisibleMixin:
    """Rows seen with their meeting (agenda items): the meeting's visibility."""

    meeting_path = "meeting"

    def visible(self, queryset, policy):
        return queryset.filter(policy.meeting_q(f"{self.meeting_path}__"))


class RecordPartWrites:
    """Updates and deletes of a part of a meeting's record, through the record's services:
    a published record is locked, and a delete renumbers the rest of the list."""

    def update_record(self, instance, *, expected_version, changes, by):
        return record_part_update(
            part=instance, expected_version=expected_version, changes=changes, by=by
        )

    def delete_record(self, instance, *, expected_version, by):
        record_part_delete(part=instance, expected_version=expected_version, by=by)


class WorkingGroupViewSet(ApiViewSet):
    queryset = WorkingGroup.objects.select_related("dialogue", "region")
    serializer_class = serializers.WorkingGroupSerializer
    filterset_class = filters.WorkingGroupFilter


class ThematicFocusViewSet(ApiViewSet):
    queryset = ThematicFocus.objects.select_related(
        "dialogue", "thematic_chair", "proposed_at", "accepted_at"
    )
    serializer_class = serializers.ThematicFocusSerializer
    filterset_class = filters.ThematicFocusFilter


class MeetingViewSet(ApiWriteViewSet):
    """Meetings. The detail has everything in it: agenda with statements, delegations,
    conclusions, action points and documents, as far as you may see them."""

    queryset = Meeting.objects.with_relations()
    filterset_class = filters.MeetingFilter

    def visible(self, queryset, policy):
        return policy.meetings(queryset)

    def get_object(self):
        meeting = super().get_object()
        if self.action == "retrieve" and self.policy.reads_published_revision(meeting):
            # While the record is corrected, everyone but the secretariat reads it as published.
            meeting.published_record = published_record(meeting=meeting)
            if meeting.published_record is not None:
                meeting.published_record.apply_to(meeting)
                # The references as stored: a revision keeps the conclusions, not them.
                prefetch_related_objects(
                    meeting.published_record.conclusions, CONCLUSION_REFERENCES
                )
        return meeting

    def get_serializer_class(self):
        if self.action in ("list", "calendar"):
            return serializers.MeetingSerializer
        return serializers.MeetingDetailSerializer

    def create_record(self, data, *, by):
        return meeting_create(**data)

    def update_record(self, instance, *, expected_version, changes, by):
        return meeting_update(
            meeting=instance, expected_version=expected_version, changes=changes, by=by
        )

    def delete_record(self, instance, *, expected_version, by):
        meeting_delete(meeting=instance, expected_version=expected_version, by=by)

    def base_queryset(self):
        queryset = super().base_queryset()
        if self.action == "list":
            # The links as uids in the same query, not six related rows per meeting.
            return Meeting.objects.annotate(**uid_annotations(*LIST_LINKS))
        if self.action in ("calendar", "akn"):
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
            Prefetch("delegations", queryset=policy.records(delegations(), "meeting")),
            Prefetch("conclusions", queryset=policy.records(conclusion_rows(), "meeting")),
            Prefetch("action_points", queryset=policy.records(action_point_rows(), "meeting")),
            Prefetch("documents", queryset=documents(policy)),
        )

    @documented(
        summary="Move the record along its workflow",
        description="draft → in review → adopted → published, one step back, or published → "
        "reopened for correction (with a reason). Who and when are recorded. Publishing "
        "issues the final Summary/conclusions and publishes record and PDF together once it "
        "is rendered; until then the record keeps its status. Needs the `write` scope or a "
        "secretariat session, and If-Match with the meeting's ETag.",
        request=serializers.RecordStatusChangeSerializer,
        responses={200: serializers.MeetingDetailSerializer},
        parameters=[
            OpenApiParameter(
                "If-Match",
                location=OpenApiParameter.HEADER,
                required=True,
                description="The meeting's ETag, as you last read it.",
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="record-status", url_name="record-status")
    def record_status(self, request, uid=None):
        meeting = self.get_object()
        change = serializers.RecordStatusChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        meeting_set_record_status(
            meeting=meeting,
            by=self.writer,
            expected_version=self.check_if_match(meeting),
            **change.validated_data,
        )
        meeting = self.get_object()
        data = self.get_serializer(meeting).data
        return Response(data, headers={"ETag": representation_etag(data)})

    @documented(
        summary="The meetings as an iCalendar feed",
        description="RFC 5545; takes the same filters as the list. Each meeting is an "
        "all-day event keyed on its uid; SEQUENCE rises when its date, place or status "
        "changes; cancelled meetings stay in the feed with STATUS:CANCELLED.",
        responses={(200, "text/calendar"): OpenApiResponse(response=str)},
    )
    def calendar(self, request):
        # Served at /api/v1/meetings.ics (see api/urls.py).
        meetings = self.filter_queryset(self.get_queryset()).order_by("start_date", "id")
        return meetings_ical_response(request, meetings, calendar_name="Meetings")

    @documented(
        summary="The published record as Akoma Ntoso minutes",
        description="The record as published (while it is reopened for correction, its last "
        "published revision) as an Akoma Ntoso 3.0 `debate` document: FRBR metadata, the "
        "participants it names as references, one section per agenda item with a speech per "
        "statement, then the conclusions and the action points. 404 until the record is "
        "published, and for a meeting you may not see.",
        responses={(200, "application/akn+xml"): OpenApiResponse(response=str)},
    )
    def akn(self, request, uid=None):
        # Served at /api/v1/meetings/{id}/akn.xml (see api/urls.py).
        meeting = self.get_object()
        minutes = record_for_viewer(viewer=self.policy, meeting=meeting, as_published=True)
        if minutes is None:
            raise NotFound("The meeting's record is not published.")
        revision = minutes.revision or latest_revision(meeting=meeting)
        issued = revision.issued_at if revision else meeting.record_status_changed_at
        self._modified = [meeting.updated_at]
        # cobalt and lxml load with the first export, not into every web worker.
        from ..akn import minutes_akn

        body = minutes_akn(
            meeting=meeting,
            minutes=minutes,
            issued_on=timezone.localdate(issued) if issued else meeting.end_date,
            participant_href=lambda participant: reverse(
                "api-participant-detail", kwargs={"uid": participant.uid}, request=request
            ),
            secretariat_href=reverse(
                "api-dialogue-detail", kwargs={"uid": meeting.dialogue.uid}, request=request
            ),
        )
        return HttpResponse(body, content_type="application/akn+xml; charset=utf-8")


class AgendaItemViewSet(MeetingVisibleMixin, RecordPartWrites, ApiWriteViewSet):
    """Agenda items. Their `record` is null until the meeting's record is published."""

    queryset = AgendaItem.objects.all()
    serializer_class = serializers.AgendaItemSerializer
    filterset_class = filters.AgendaItemFilter

    def base_queryset(self):
        return agenda_items()

    def create_record(self, data, *, by):
        return agenda_item_create(**data)


class StatementViewSet(RecordPartWrites, ApiWriteViewSet):
    """What was said, by whom (joint statements name every speaker). Published records only."""

    queryset = Statement.objects.all()
    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilter
    record_meeting_path = "agenda_item__meeting"

    def base_queryset(self):
        return statement_rows()

    def create_record(self, data, *, by):
        return statement_create(**data)


class DelegationViewSet(RecordPartWrites, ApiWriteViewSet):
    """Who came to a meeting, how many, in which role. Part of the record: seen once the
    record is published, as on the portal."""

    queryset = Delegation.objects.all()
    serializer_class = serializers.DelegationSerializer
    filterset_class = filters.DelegationFilter
    record_meeting_path = "meeting"

    def base_queryset(self):
        return delegations()

    def create_record(self, data, *, by):
        return delegation_create(**data)


class RegistrationViewSet(ApiWriteViewSet):
    """Nominations to meetings' delegations and what the secretariat decided. A `write` key
    nominates (create: status nominated, before the registration deadline) and withdraws
    (DELETE); confirming or declining (`status`, with a `note` to decline) is the
    secretariat's. The public and keys without `read:personal` or `write` see only the
    confirmed registrations of published records, as the published list of participants
    names them."""

    queryset = Registration.objects.all()
    serializer_class = serializers.RegistrationSerializer
    filterset_class = filters.RegistrationFilter

    def base_queryset(self):
        return Registration.objects.select_related("meeting", "participant", "person")

    def visible(self, queryset, policy):
        return policy.registrations(queryset)

    def create_record(self, data, *, by):
        return registration_nominate(**data, by=by, by_secretariat=self.policy.is_secretariat)

    def update_record(self, instance, *, expected_version, changes, by):
        status = changes.get("status", instance.status)
        if not self.policy.is_secretariat:
            raise PermissionDenied("Confirming or declining a nomination is the secretariat's.")
        decide = {
            Registration.Status.CONFIRMED: registration_confirm,
            Registration.Status.DECLINED: registration_decline,
        }.get(status)
        if decide is None:
            raise ValidationError({"status": "A decided registration is confirmed or declined."})
        return decide(
            registration=instance,
            expected_version=expected_version,
            note=changes.get("note", ""),
            by=by,
        )

    def delete_record(self, instance, *, expected_version, by):
        registration_withdraw(
            registration=instance,
            expected_version=expected_version,
            by=by,
            by_secretariat=self.policy.is_secretariat,
        )


class ConclusionViewSet(RecordPartWrites, ApiWriteViewSet):
    """What the meeting concluded, in the record's order. Published records only; writes
    need the `write` scope and If-Match, and a published record is locked until reopened."""

    queryset = Conclusion.objects.all()
    serializer_class = serializers.ConclusionSerializer
    filterset_class = filters.ConclusionFilter
    record_meeting_path = "meeting"

    def base_queryset(self):
        return conclusion_rows()

    def create_record(self, data, *, by):
        return conclusion_create(**data)


class ActionPointViewSet(RecordPartWrites, ApiWriteViewSet):
    """What was agreed to be done, by whom and when. Published records only; after
    publication `status` and `fulfilled_by` still change (they are followed up across
    meetings), the rest only once the record is reopened."""

    queryset = ActionPoint.objects.all()
    serializer_class = serializers.ActionPointSerializer
    filterset_class = filters.ActionPointFilter
    record_meeting_path = "meeting"

    def base_queryset(self):
        return action_point_rows()

    def create_record(self, data, *, by):
        return action_point_create(**data)


class DocumentViewSet(ApiViewSet):
    """Documents' metadata; `download_url` serves the file through the access policy."""

    queryset = Document.objects.select_related("meeting", "project")
    serializer_class = serializers.DocumentSerializer
    filterset_class = filters.DocumentFilter

    def visible(self, queryset, policy):
        return policy.documents(queryset)

    @documented(
        summary="The document's file",
        description="Streams the file to whoever may see the document (API key or session); "
        "the portal's download link does the same for signed-in browsers.",
        responses={(200, "*/*"): OpenApiResponse(response=OpenApiTypes.BINARY)},
    )
    @action(detail=True, url_path="file", url_name="file", renderer_classes=[AnyMediaRenderer])
    def file(self, request, uid=None):
        document = self.get_object()
        return document_file_response(
            document,
            filename=Path(document.file.name).name,
            as_attachment=True,
            validators=True,
            missing=NotFound,
        )
