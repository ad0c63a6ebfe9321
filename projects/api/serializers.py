from bpdialogue.api.fields import uid_link
from bpdialogue.api.viewsets import STAMPS, ApiModelSerializer

from ..models import Project, ProjectPartner, Site


class ProjectPartnerSerializer(ApiModelSerializer):
    with_url = False
    participant = uid_link()

    class Meta:
        model = ProjectPartner
        fields = ["id", "participant", "role", "contribution_amount", "contribution_currency"]


class SiteSerializer(ApiModelSerializer):
    project = uid_link()
    country = uid_link()

    class Meta:
        model = Site
        fields = [
            "id",
            "project",
            "name",
            "city",
            "country",
            "opened_on",
            "supervising_authority",
            "status",
            *STAMPS,
        ]


class ProjectSerializer(ApiModelSerializer):
    dialogue = uid_link()
    parent = uid_link(help_text="The project this one is part of (the tree).")
    children = uid_link(many=True, help_text="Its components and initiatives.")
    regions = uid_link(many=True)
    beneficiary_countries = uid_link(many=True)
    partners = ProjectPartnerSerializer(
        many=True, read_only=True, help_text="Funders and implementers."
    )
    sites = SiteSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "dialogue",
            "parent",
            "children",
            "kind",
            "title",
            "acronym",
            "slug",
            "status",
            "start_date",
            "end_date",
            "budget_amount",
            "budget_currency",
            "regions",
            "beneficiary_countries",
            "partners",
            "sites",
            "description",
            "outcome",
            *STAMPS,
        ]
