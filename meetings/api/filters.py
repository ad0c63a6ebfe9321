import django_filters

from bpdialogue.api.filters import SyncFilterSet, WholeNumberFilter, YearFilter, uid_filter

from ..models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    Document,
    Meeting,
    Registration,
    Statement,
    ThematicFocus,
    WorkingGroup,
)


class WorkingGroupFilter(SyncFilterSet):
    search_fields = ("name", "acronym")

    dialogue = uid_filter("dialogue", "Working groups of this dialogue.")
    region = uid_filter("region", "Working groups of this region.")

    class Meta:
        model = WorkingGroup
        fields = []


class ThematicFocusFilter(SyncFilterSet):
    search_fields = ("title", "description")

    dialogue = uid_filter("dialogue", "Thematic focuses of this dialogue.")
    year = WholeNumberFilter(label="Calendar year.")
    status = django_filters.ChoiceFilter(choices=ThematicFocus.Status.choices)
    participant = uid_filter("thematic_chair", "Focuses this participant chairs.")

    class Meta:
        model = ThematicFocus
        fields = []


class MeetingFilter(SyncFilterSet):
    search_fields = ("title", "topic", "city", "venue")

    date_from = django_filters.DateFilter(
        field_name="end_date", lookup_expr="gte", label="Meetings ending on or after this day."
    )
    date_to = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label="Meetings starting on or before this day."
    )
    year = YearFilter("start_date")
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices)
    record_status = django_filters.ChoiceFilter(choices=Meeting.RecordStatus.choices)
    dialogue = uid_filter("dialogue", "Meetings of this dialogue.")
    working_group = uid_filter("working_group", "Meetings of this working group.")
    region = uid_filter("working_group__region", "Meetings of this region's working group.")
    thematic_focus = uid_filter("thematic_focus", "Meetings under this thematic focus.")
    participant = uid_filter("delegations__participant", "Meetings this participant attended.")
    host_country = uid_filter("host_country", "Meetings hosted by this state.")

    class Meta:
        model = Meeting
        fields = []


def meeting_part_filterset(model, path: str, search_fields: tuple[str, ...], **extra):
    """A filter set for rows that belong to a meeting (`path` leads to it): by meeting,
    dialogue, year, working group, thematic focus, dates, plus `extra`."""
    declared = {
        "search_fields": search_fields,
        "meeting": uid_filter(path, "Rows of this meeting."),
        "dialogue": uid_filter(f"{path}__dialogue", "Rows of this dialogue's meetings."),
        "year": YearFilter(f"{path}__start_date", "Rows of meetings that began in this year."),
        "date_from": django_filters.DateFilter(
            field_name=f"{path}__end_date",
            lookup_expr="gte",
            label="Rows of meetings ending on or after this day.",
        ),
        "date_to": django_filters.DateFilter(
            field_name=f"{path}__start_date",
            lookup_expr="lte",
            label="Rows of meetings starting on or before this day.",
        ),
        "working_group": uid_filter(
            f"{path}__working_group", "Rows of this working group's meetings."
        ),
        "region": uid_filter(
            f"{path}__working_group__region", "Rows of this region's working-group meetings."
        ),
        "thematic_focus": uid_filter(
            f"{path}__thematic_focus", "Rows of meetings under this thematic focus."
        ),
        **extra,
        "Meta": type("Meta", (), {"model": model, "fields": []}),
    }
    return type(f"{model.__name__}Filter", (SyncFilterSet,), declared)


AgendaItemFilter = meeting_part_filterset(
    AgendaItem,
    "meeting",
    # Not the record: searching it would reveal unpublished text.
    ("title",),
    participant=uid_filter("presenters", "Items this participant presented."),
)
StatementFilter = meeting_part_filterset(
    Statement,
    "agenda_item__meeting",
    ("text",),
    agenda_item=uid_filter("agenda_item", "Statements under this agenda item."),
    participant=uid_filter("speakers", "Statements this participant made or joined."),
)
DelegationFilter = meeting_part_filterset(
    Delegation,
    "meeting",
    ("participant__name", "participant__acronym"),
    participant=uid_filter("participant", "Delegations of this participant."),
    role=django_filters.ChoiceFilter(choices=Delegation.Role.choices),
)
RegistrationFilter = meeting_part_filterset(
    Registration,
    "meeting",
    ("participant__name", "participant__acronym"),
    participant=uid_filter("participant", "Registrations to this participant's delegation."),
    person=uid_filter("person", "Registrations of this person."),
    role=django_filters.ChoiceFilter(choices=Registration.Role.choices),
    status=django_filters.ChoiceFilter(choices=Registration.Status.choices),
)
ConclusionFilter = meeting_part_filterset(
    Conclusion,
    "meeting",
    ("text",),
    kind=django_filters.ChoiceFilter(choices=Conclusion.Kind.choices),
)
ActionPointFilter = meeting_part_filterset(
    ActionPoint,
    "meeting",
    ("text", "due_text", "place"),
    status=django_filters.ChoiceFilter(choices=ActionPoint.Status.choices),
    participant=uid_filter("responsible", "Action points this participant is responsible for."),
    due_from=django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Due on or after this day."
    ),
    due_to=django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due on or before this day."
    ),
)


class DocumentFilter(SyncFilterSet):
    search_fields = ("title",)

    meeting = uid_filter("meeting", "Documents of this meeting.")
    project = uid_filter("project", "Documents of this project.")
    kind = django_filters.ChoiceFilter(choices=Document.Kind.choices)
    language = django_filters.CharFilter(label="Language code, e.g. en or ru.")
    year = YearFilter("meeting__start_date", "Documents of meetings that began in this year.")

    class Meta:
        model = Document
        fields = []
