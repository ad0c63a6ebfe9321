from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bpdialogue.api.fields import UidRelatedField, uid_link
from bpdialogue.api.viewsets import STAMPS, VersionCheckedSerializer
from participants.models import Dialogue, Participant, Person
from workplans.models import ThematicFocus

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
from ..selectors import meeting_attendance
from ..services import meeting_create

RECORD_HIDDEN = "Null unless the meeting's record is published (or you are the secretariat)."


def participants_field(**kwargs):
    return UidRelatedField(many=True, queryset=Participant.objects.all(), required=False, **kwargs)


class WorkingGroupSerializer(VersionCheckedSerializer):
    dialogue = uid_link()
    region = uid_link()

    class Meta:
        model = WorkingGroup
        fields = ["id", "dialogue", "name", "acronym", "region", *STAMPS]


class StatementSerializer(VersionCheckedSerializer):
    agenda_item = UidRelatedField(
        meeting_path="meeting",
        queryset=AgendaItem.objects.all(),
        help_text="The agenda item it was made under.",
    )
    meeting = serializers.SerializerMethodField()
    speakers = participants_field(help_text="Everyone who made it (joint statements).")

    class Meta:
        model = Statement
        fields = ["id", "agenda_item", "meeting", "position", "speakers", "text", *STAMPS]

    @extend_schema_field(OpenApiTypes.UUID)
    def get_meeting(self, statement):
        return statement.agenda_item.meeting.uid


class AgendaItemSerializer(VersionCheckedSerializer):
    meeting = UidRelatedField(meeting_path="", queryset=Meeting.objects.all())
    parent = UidRelatedField(
        meeting_path="meeting", queryset=AgendaItem.objects.all(), required=False, allow_null=True
    )
    presenters = participants_field()
    record = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=RECORD_HIDDEN
    )

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "parent",
            "position",
            "title",
            "session_label",
            "start_time",
            "end_time",
            "presenters",
            "record",
            "statement_layout",
            *STAMPS,
        ]

    def to_representation(self, item):
        data = super().to_representation(item)
        policy = self.context.get("policy")
        if policy is None or not policy.can_see_record(item.meeting):
            data["record"] = None
        return data

    def validate_record(self, value):
        return value or ""


class AgendaItemWithStatementsSerializer(AgendaItemSerializer):
    statements = StatementSerializer(
        many=True, read_only=True, help_text="Empty unless the record is published."
    )

    class Meta(AgendaItemSerializer.Meta):
        fields = [*AgendaItemSerializer.Meta.fields, "statements"]


class DelegationSerializer(VersionCheckedSerializer):
    meeting = UidRelatedField(meeting_path="", queryset=Meeting.objects.all())
    participant = UidRelatedField(queryset=Participant.objects.all())
    delegates = UidRelatedField(many=True, queryset=Person.objects.all(), required=False)

    class Meta:
        model = Delegation
        fields = [
            "id",
            "meeting",
            "participant",
            "headcount",
            "headcount_is_illustrative",
            "role",
            "delegates",
            *STAMPS,
        ]


class ConclusionSerializer(VersionCheckedSerializer):
    meeting = UidRelatedField(meeting_path="", queryset=Meeting.objects.all())

    class Meta:
        model = Conclusion
        fields = ["id", "meeting", "position", "kind", "text", *STAMPS]


class ActionPointSerializer(VersionCheckedSerializer):
    meeting = UidRelatedField(meeting_path="", queryset=Meeting.objects.all())
    responsible = participants_field()
    fulfilled_by = UidRelatedField(
        meeting_path="", queryset=Meeting.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = ActionPoint
        fields = [
            "id",
            "meeting",
            "position",
            "text",
            "responsible",
            "due_date",
            "due_text",
            "place",
            "status",
            "fulfilled_by",
            *STAMPS,
        ]


class DocumentSerializer(VersionCheckedSerializer):
    meeting = uid_link()
    project = uid_link()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "meeting",
            "project",
            "kind",
            "title",
            "language",
            "content_type",
            "visibility",
            "published_at",
            "size",
            "sha256",
            "revision",
            "generated",
            "is_archival",
            "download_url",
            *STAMPS,
        ]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_download_url(self, document):
        """The file, through the access policy; works with an API key (the portal's
        `document-download` link needs a browser session)."""
        path = reverse("api-document-file", kwargs={"uid": document.uid})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class MeetingSerializer(VersionCheckedSerializer):
    dialogue = UidRelatedField(queryset=Dialogue.objects.all())
    working_group = UidRelatedField(
        queryset=WorkingGroup.objects.all(), required=False, allow_null=True
    )
    host_country = UidRelatedField(
        queryset=Participant.objects.states(), required=False, allow_null=True
    )
    chair = UidRelatedField(queryset=Participant.objects.all(), required=False, allow_null=True)
    co_chair = UidRelatedField(queryset=Participant.objects.all(), required=False, allow_null=True)
    thematic_focus = UidRelatedField(
        queryset=ThematicFocus.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(
        max_length=300, required=False, help_text="Derived from kind and number when omitted."
    )
    slug = serializers.SlugField(max_length=120, required=False, help_text="Derived when omitted.")
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "dialogue",
            "kind",
            "working_group",
            "sequence_number",
            "title",
            "slug",
            "topic",
            "start_date",
            "end_date",
            "city",
            "venue",
            "host_country",
            "chair",
            "co_chair",
            "thematic_focus",
            "status",
            "visibility",
            "record_status",
            "data_note",
            "calendar_sequence",
            "page_url",
            *STAMPS,
        ]
        read_only_fields = ["calendar_sequence"]
        extra_kwargs = {"end_date": {"required": False, "help_text": "Defaults to start_date."}}

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_page_url(self, meeting):
        """The meeting's page on the portal."""
        request = self.context.get("request")
        path = meeting.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "Must not be before start_date."})
        return attrs

    def create(self, validated_data):
        return meeting_create(**validated_data)


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with everything in it. The record (agenda records, statements, conclusions,
    action points) is empty until it is published, unless you are the secretariat."""

    agenda_items = AgendaItemWithStatementsSerializer(many=True, read_only=True)
    delegations = DelegationSerializer(many=True, read_only=True)
    conclusions = ConclusionSerializer(many=True, read_only=True)
    action_points = ActionPointSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    attendance = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "conclusions_intro",
            "attendance",
            "agenda_items",
            "delegations",
            "conclusions",
            "action_points",
            "documents",
        ]

    @extend_schema_field(
        {
            "type": "string",
            "description": "The attendance paragraph, written from the delegations.",
        }
    )
    def get_attendance(self, meeting):
        if not meeting.pk:
            return ""
        return meeting_attendance(meeting=meeting).paragraph()
