import django_filters

from bpdialogue.api.filters import SyncFilterSet, uid_filter
from bpdialogue.api.policy import request_policy

from ..models import Dialogue, Membership, Participant, Person, Region, RoleAssignment


class DialogueFilter(SyncFilterSet):
    search_fields = ("name", "acronym")

    class Meta:
        model = Dialogue
        fields = []


class ParticipantFilter(SyncFilterSet):
    search_fields = ("name", "sort_name", "acronym", "names__name")

    kind = django_filters.ChoiceFilter(choices=Participant.Kind.choices)
    dialogue = uid_filter("memberships__dialogue", "Participants that are or were members.")
    region = uid_filter("regions", "States in this region.")
    iso_code = django_filters.CharFilter(lookup_expr="iexact", label="ISO 3166-1 alpha-2 code.")

    class Meta:
        model = Participant
        fields = []

    def filter_queryset(self, queryset):
        # Joins to memberships, regions or names can repeat a participant.
        return super().filter_queryset(queryset).distinct()


class RegionFilter(SyncFilterSet):
    search_fields = ("name",)

    dialogue = uid_filter("dialogue", "Regions of this dialogue.")
    participant = uid_filter("states", "Regions this state belongs to.")

    class Meta:
        model = Region
        fields = []


class MembershipFilter(SyncFilterSet):
    search_fields = ("participant__name", "participant__acronym")

    dialogue = uid_filter("dialogue", "Memberships in this dialogue.")
    participant = uid_filter("participant", "Memberships of this participant.")
    status = django_filters.ChoiceFilter(choices=Membership.Status.choices)

    class Meta:
        model = Membership
        fields = []


class RoleAssignmentFilter(SyncFilterSet):
    search_fields = ("participant__name", "participant__acronym")

    dialogue = uid_filter("dialogue", "Roles in this dialogue.")
    participant = uid_filter("participant", "Roles held by this participant.")
    role = django_filters.ChoiceFilter(choices=RoleAssignment.Role.choices)

    class Meta:
        model = RoleAssignment
        fields = []


class PersonFilter(SyncFilterSet):
    search_fields = ("given_name", "family_name", "position")

    participant = uid_filter("affiliation", "People of this participant.")
    is_focal_point = django_filters.BooleanFilter(
        method="focal_points_only",
        label="Only people who are a focal point today (true) or others. With read:personal "
        "only (ignored otherwise: a published list of participants does not say it).",
    )

    class Meta:
        model = Person
        fields = []

    def focal_points_only(self, queryset, name, value):
        if not request_policy(self.request).can_read_personal:
            return queryset
        return queryset.filter(is_focal_point=value)
