from bpdialogue.api.fields import uid_link
from bpdialogue.api.viewsets import STAMPS, ApiModelSerializer

from ..models import Activity, CooperationFramework, FrameworkCadence, Workplan


class FrameworkCadenceSerializer(ApiModelSerializer):
    with_url = False

    class Meta:
        model = FrameworkCadence
        fields = ["id", "meeting_kind", "per_year"]


class CooperationFrameworkSerializer(ApiModelSerializer):
    dialogue = uid_link()
    presented_at = uid_link()
    adopted_at = uid_link()
    cadence = FrameworkCadenceSerializer(
        many=True, read_only=True, help_text="Meetings of each kind expected per year."
    )

    class Meta:
        model = CooperationFramework
        fields = [
            "id",
            "dialogue",
            "title",
            "first_year",
            "last_year",
            "status",
            "presented_at",
            "adopted_at",
            "description",
            "cadence",
            *STAMPS,
        ]


class WorkplanSerializer(ApiModelSerializer):
    dialogue = uid_link()
    framework = uid_link()
    thematic_focus = uid_link()
    presented_at = uid_link()
    adopted_at = uid_link()

    class Meta:
        model = Workplan
        fields = [
            "id",
            "dialogue",
            "year",
            "title",
            "framework",
            "thematic_focus",
            "status",
            "presented_at",
            "adopted_at",
            *STAMPS,
        ]


class ActivitySerializer(ApiModelSerializer):
    workplan = uid_link()
    project = uid_link()
    countries = uid_link(many=True)
    responsible = uid_link(many=True)
    realised_by = uid_link(help_text="The meeting that realised it.")

    class Meta:
        model = Activity
        fields = [
            "id",
            "workplan",
            "position",
            "title",
            "kind",
            "project",
            "countries",
            "planned_start",
            "planned_end",
            "status",
            "responsible",
            "realised_by",
            "outcome",
            *STAMPS,
        ]
