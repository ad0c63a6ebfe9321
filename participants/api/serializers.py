from rest_framework import serializers

from bpdialogue.api.fields import UidRelatedField, uid_link
from bpdialogue.api.viewsets import STAMPS, ApiModelSerializer, WriteSerializer

from ..models import (
    Dialogue,
    ExternalIdentifier,
    Membership,
    Participant,
    ParticipantName,
    Person,
    Region,
    RoleAssignment,
)


class DialogueSerializer(ApiModelSerializer):
    secretariat = uid_link(help_text="The participant that runs the secretariat.")

    class Meta:
        model = Dialogue
        fields = ["id", "name", "acronym", "slug", "description", "secretariat", *STAMPS]


class ParticipantNameSerializer(ApiModelSerializer):
    with_url = False

    class Meta:
        model = ParticipantName
        fields = ["id", "name", "sort_name", "prose_name", "valid_from", "valid_to", "note"]


class ExternalIdentifierSerializer(ApiModelSerializer):
    with_url = False

    class Meta:
        model = ExternalIdentifier
        fields = ["id", "scheme", "value"]


class ParticipantSerializer(ApiModelSerializer):
    names = ParticipantNameSerializer(
        many=True, read_only=True, help_text="Every name it has had, with the dates."
    )
    identifiers = ExternalIdentifierSerializer(many=True, read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "kind",
            "name",
            "sort_name",
            "slug",
            "iso_code",
            "acronym",
            "organisation_type",
            "website",
            "names",
            "identifiers",
            *STAMPS,
        ]


class RegionSerializer(ApiModelSerializer):
    dialogue = uid_link()
    states = uid_link(many=True)

    class Meta:
        model = Region
        fields = ["id", "dialogue", "name", "slug", "states", *STAMPS]


class MembershipSerializer(ApiModelSerializer):
    dialogue = uid_link()
    participant = uid_link()

    class Meta:
        model = Membership
        fields = ["id", "dialogue", "participant", "status", "valid_from", "valid_to", *STAMPS]


class RoleAssignmentSerializer(ApiModelSerializer):
    dialogue = uid_link()
    participant = uid_link()

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "dialogue",
            "participant",
            "role",
            "valid_from",
            "valid_to",
            *STAMPS,
        ]


ONLY_WITH_PERSONAL = "Only with the read:personal scope or as secretariat."


class PersonSerializer(WriteSerializer):
    """People as a published list of participants shows them (name, position, affiliation)
    to everyone; the rest of what is kept about them is personal data, present only for
    `read:personal` keys and the secretariat, who alone may write (with `write`)."""

    # What a published list of participants says of a person: all that others read.
    LISTED_FIELDS = frozenset(
        {
            "id",
            "url",
            "name",
            "honorific",
            "given_name",
            "family_name",
            "position",
            "affiliation",
            *STAMPS,
        }
    )

    name = serializers.CharField(
        source="full_name",
        read_only=True,
        help_text='As lists name the person; "A representative of <affiliation>" once their '
        "data was erased on request.",
    )
    affiliation = UidRelatedField(
        queryset=Participant.objects.all(),
        required=False,
        help_text="The participant the person belongs to.",
    )
    email = serializers.EmailField(required=False, allow_blank=True, help_text=ONLY_WITH_PERSONAL)
    phone = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text=ONLY_WITH_PERSONAL
    )
    is_focal_point = serializers.BooleanField(
        read_only=True,
        help_text="Whether the person is a focal point today, in any dialogue. "
        + ONLY_WITH_PERSONAL,
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "honorific",
            "given_name",
            "family_name",
            "position",
            "affiliation",
            "is_focal_point",
            "email",
            "phone",
            "language",
            *STAMPS,
        ]
        extra_kwargs = {
            "language": {
                "help_text": "The language the dialogue's e-mails to this person are written "
                "in. " + ONLY_WITH_PERSONAL
            }
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        policy = self.context.get("policy")
        if policy is None or not policy.can_read_personal:
            data = {name: value for name, value in data.items() if name in self.LISTED_FIELDS}
        return data
