import django_filters

from bpdialogue.api.filters import SyncFilterSet, WholeNumberFilter, uid_filter

from ..models import Activity, CooperationFramework, Workplan


class CooperationFrameworkFilter(SyncFilterSet):
    search_fields = ("title", "description")

    dialogue = uid_filter("dialogue", "Frameworks of this dialogue.")
    status = django_filters.ChoiceFilter(choices=CooperationFramework.Status.choices)
    year = WholeNumberFilter(method="in_force", label="Frameworks covering this year.")

    class Meta:
        model = CooperationFramework
        fields = []

    def in_force(self, queryset, name, value):
        return queryset.filter(first_year__lte=value, last_year__gte=value)


class WorkplanFilter(SyncFilterSet):
    search_fields = ("title",)

    dialogue = uid_filter("dialogue", "Workplans of this dialogue.")
    year = WholeNumberFilter(label="Calendar year.")
    status = django_filters.ChoiceFilter(choices=Workplan.Status.choices)
    thematic_focus = uid_filter("thematic_focus", "Workplans under this thematic focus.")
    framework = uid_filter("framework", "Workplans under this framework.")

    class Meta:
        model = Workplan
        fields = []


class ActivityFilter(SyncFilterSet):
    search_fields = ("title", "outcome")

    workplan = uid_filter("workplan", "Activities of this workplan.")
    dialogue = uid_filter("workplan__dialogue", "Activities of this dialogue's workplans.")
    year = WholeNumberFilter(field_name="workplan__year", label="The workplan's year.")
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices)
    thematic_focus = uid_filter("workplan__thematic_focus", "Activities under this focus.")
    participant = uid_filter("countries", "Activities in this country.")
    project = uid_filter("project", "Activities of this project.")
    date_from = django_filters.DateFilter(
        field_name="planned_end", lookup_expr="gte", label="Planned to end on or after this day."
    )
    date_to = django_filters.DateFilter(
        field_name="planned_start",
        lookup_expr="lte",
        label="Planned to start on or before this day.",
    )

    class Meta:
        model = Activity
        fields = []
