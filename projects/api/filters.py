import django_filters

from bpdialogue.api.filters import SyncFilterSet, YearFilter, uid_filter

from ..models import Project, Site


class ProjectFilter(SyncFilterSet):
    search_fields = ("title", "acronym", "description")

    dialogue = uid_filter("dialogue", "Projects of this dialogue.")
    parent = uid_filter("parent", "The direct parts of this project.")
    kind = django_filters.ChoiceFilter(choices=Project.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)
    region = uid_filter("regions", "Projects in this region.")
    participant = uid_filter("partners__participant", "Projects this participant funds or runs.")
    beneficiary = uid_filter("beneficiary_countries", "Projects benefiting this country.")
    year = YearFilter("start_date", "Projects that started in this year.")
    date_from = django_filters.DateFilter(
        field_name="end_date", lookup_expr="gte", label="Projects running on or after this day."
    )
    date_to = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label="Projects started on or before this day."
    )

    class Meta:
        model = Project
        fields = []

    def filter_queryset(self, queryset):
        # A participant may hold several roles in one project.
        return super().filter_queryset(queryset).distinct()


class SiteFilter(SyncFilterSet):
    search_fields = ("name", "city")

    project = uid_filter("project", "Sites of this project.")
    participant = uid_filter("country", "Sites in this country.")
    status = django_filters.ChoiceFilter(choices=Site.Status.choices)

    class Meta:
        model = Site
        fields = []
