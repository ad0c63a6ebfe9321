from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bpdialogue.api.fields import ClockTimeField, UidRelatedField, uid_link
from bpdialogue.api.viewsets import STAMPS, ApiModelSerializer, WriteSerializer
from participants.models import Dialogue, Participant, Person

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
    chosen_participants,
)
from ..selectors import meeting_attendance

# A slug no meeting has (slugs are lowercase), standing for each row's in the page URL template.
PAGE_URL_SLUG = "PAGE-URL-SLUG"
RECORD_HIDDEN = "Null unless the meeting's record is published (or you are the secretariat)."
POSITION_ASSIGNED = (
    "Positions are assigned: a new part goes at the end of its list, and deleting one "
    "renumbers the rest."
)
PART_STAYS = "A part stays where it was created; delete it and create it anew elsewhere."


class ChosenParticipantsField(serializers.ManyRelatedField):
    """Presenters, speakers or responsible participants, in the order they were chosen (and
    are stored in when written)."""

    def get_attribute(self, instance):
        return chosen_participants(instance, self.source)


def participants_field(**kwargs):
    return ChosenParticipantsField(
        child_relation=UidRelatedField(queryset=Participant.objects.all()),
        required=False,
        **kwargs,
    )


class WorkingGroupSerializer(ApiModelSerializer):
    dialogue = uid_link()
    region = uid_link()

    class Meta:
        model = WorkingGroup
        fields = ["id", "dialogue", "name", "acronym", "region", *STAMPS]


class ThematicFocusSerializer(ApiModelSerializer):
    dialogue = uid_link()
    thematic_chair = uid_link()
    proposed_at = uid_link()
    accepted_at = uid_link()

    class Meta:
        model = ThematicFocus
        fields = [
            "id",
            "dialogue",
            "year",
            "title",
            "status",
            "thematic_chair",
            "proposed_at",
            "accepted_at",
            "description",
            *STAMPS,
        ]


def position_field():
    return serializers.IntegerField(
        read_only=True, help_text=f"Its place in its list, from 1. {POSITION_ASSIGNED}"
    )


class RecordPartSerializer(WriteSerializer):
    """A part of a meeting's record, numbered within its list by the record's services."""

    position = position_field()
    unchangeable = {"position": POSITION_ASSIGNED, "meeting": PART_STAYS}


class StatementSerializer(RecordPartSerializer):
    agenda_item = UidRelatedField(
        meeting_path="meeting",
        queryset=AgendaItem.objects.all(),
        help_text="The agenda item it was made under.",
    )
    meeting = serializers.SerializerMethodField()
    speakers = participants_field(help_text="Everyone who made it (joint statements).")
    unchangeable = {"position": POSITION_ASSIGNED, "agenda_item": PART_STAYS}

    class Meta:
        model = Statement
        fields = ["id", "agenda_item", "meeting", "position", "speakers", "text", *STAMPS]

    @extend_schema_field(OpenApiTypes.UUID)
    def get_meeting(self, statement):
        return statement.agenda_item.meeting.uid


class AgendaItemSerializer(RecordPartSerializer):
    meeting = UidRelatedField(meeting_path="", queryset=Meeting.objects.all())
    parent = UidRelatedField(
        meeting_path="meeting", queryset=AgendaItem.objects.all(), required=False, allow_null=True
    )
    presenters = participants_field()
    record = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=RECORD_HIDDEN
    )
    start_time = ClockTimeField(required=False, allow_null=True)
    end_time = ClockTimeField(required=False, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "parent",
            "position",
            "title",
            "session_label",
            "day",
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
        # An item of a published revision (read while its record is corrected) is published.
        published = getattr(item.meeting, "published_record", None) is not None
        if not published and (policy is None or not policy.can_see_record(item.meeting)):
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


class DelegationSerializer(WriteSerializer):
    meeting = UidRelatedField(meeting_path="", queryset=Meeting.objects.all())
    participant = UidRelatedField(queryset=Participant.objects.all())
    unchangeable = {"meeting": PART_STAYS, "participant": PART_STAYS}

    class Meta:
        model = Delegation
        fields = [
            "id",
            "meeting",
            "participant",
            "headcount",
            "headcount_is_illustrative",
            "headcount_note",
            "role",
            *STAMPS,
        ]


NOMINATED_AS_IS = "A nomination stays as made: withdraw it (DELETE) and nominate again."


class RegistrationSerializer(WriteSerializer):
    """A person nominated to a participant's delegation. Created as nominated; the
    secretariat confirms or declines it (`status`, with a `note` when declining)."""

    meeting = UidRelatedField(meeting_path="", queryset=Meeting.objects.all())
    participant = UidRelatedField(queryset=Participant.objects.all())
    person = UidRelatedField(queryset=Person.objects.all())
    unchangeable = {
        "meeting": NOMINATED_AS_IS,
        "participant": NOMINATED_AS_IS,
        "person": NOMINATED_AS_IS,
        "role": NOMINATED_AS_IS,
        "position": NOMINATED_AS_IS,
    }

    class Meta:
        model = Registration
        fields = [
            "id",
            "meeting",
            "participant",
            "person",
            "role",
            "position",
            "status",
            "note",
            "decided_at",
            *STAMPS,
        ]
        read_only_fields = ["decided_at"]
        extra_kwargs = {
            "status": {
                "help_text": "nominated when created; confirmed or declined by the secretariat."
            },
            "note": {"help_text": "Why a nomination was declined."},
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and attrs.get("status", Registration.Status.NOMINATED) != (
            Registration.Status.NOMINATED
        ):
            raise serializers.ValidationError(
                {"status": "A registration starts as nominated; the secretariat decides it."}
            )
        return attrs


class ConclusionReferenceSerializer(serializers.Serializer):
    relation = serializers.ChoiceField(choices=ConclusionReference.Relation.choices)
    conclusion = serializers.UUIDField(source="earlier.uid", help_text="The earlier conclusion.")
    meeting = serializers.UUIDField(source="earlier.meeting.uid", help_text="Its meeting.")


class ConclusionSerializer(RecordPartSerializer):
    meeting = UidRelatedField(meeting_path="", queryset=Meeting.objects.all())
    references = serializers.SerializerMethodField(
        help_text="The earlier conclusions this one confirms, amends or supersedes, as far as "
        "you may read their records. Read-only: set in the workspace."
    )

    class Meta:
        model = Conclusion
        fields = ["id", "meeting", "position", "kind", "text", "references", *STAMPS]

    @extend_schema_field(ConclusionReferenceSerializer(many=True))
    def get_references(self, conclusion):
        policy = self.context.get("policy")
        references = [
            reference
            for reference in conclusion.references.all()
            if policy is not None and policy.can_see_record(reference.earlier.meeting)
        ]
        return ConclusionReferenceSerializer(references, many=True).data


class ActionPointSerializer(RecordPartSerializer):
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


class DocumentSerializer(ApiModelSerializer):
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


class MeetingSerializer(WriteSerializer):
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
    record_status = serializers.ChoiceField(
        choices=Meeting.RecordStatus.choices,
        read_only=True,
        help_text="Changes through POST /api/v1/meetings/{id}/record-status/, not an edit.",
    )
    page_url = serializers.SerializerMethodField()
    unchangeable = {
        "record_status": "The record's status changes through its workflow: "
        'POST /api/v1/meetings/{id}/record-status/ with {"status": ..., "reason": ...}.'
    }

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
        """The meeting's page on the portal (in the response's language). Formatted from one
        reverse() per serializer: one per row cost more than the rest of the row."""
        template = self.__dict__.get("_page_url_template")
        if template is None:
            request = self.context.get("request")
            path = Meeting(slug=PAGE_URL_SLUG).get_absolute_url()
            template = self._page_url_template = (
                request.build_absolute_uri(path) if request else path
            )
        return template.replace(PAGE_URL_SLUG, meeting.slug)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "Must not be before start_date."})
        return attrs


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with everything in it. The record (agenda records, statements, conclusions,
    action points) is empty until it is published, unless you are the secretariat."""

    agenda_items = AgendaItemWithStatementsSerializer(many=True, read_only=True)
    delegations = DelegationSerializer(
        many=True, read_only=True, help_text="Empty unless the record is published."
    )
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
            "nullable": True,
            "description": "The attendance paragraph, written from the delegations. "
            + RECORD_HIDDEN,
        }
    )
    def get_attendance(self, meeting):
        # A published revision (read while the record is corrected) has its own delegations.
        published = getattr(meeting, "published_record", None)
        if published is not None:
            return meeting_attendance(
                meeting=meeting, delegations=published.delegations
            ).paragraph()
        policy = self.context.get("policy")
        if not meeting.pk or policy is None or not policy.can_see_record(meeting):
            return None
        return meeting_attendance(meeting=meeting).paragraph()


class RecordStatusChangeSerializer(serializers.Serializer):
    """One step of the record's workflow: draft → in review → adopted → published, one step
    back, or published → reopened for correction."""

    status = serializers.ChoiceField(
        choices=Meeting.RecordStatus.choices, help_text="The status the record moves to."
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why: needed to reopen a published record, and as the change note when a "
        "corrected record is published again.",
    )
