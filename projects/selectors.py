"""Reads about projects: the tree, partners and their contributions, sites, documents."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from bpdialogue.access import policy_for
from meetings.models import Document
from participants.models import Participant

from .models import Project, ProjectPartner, Site


@dataclass
class ProjectNode:
    project: Project
    children: list[ProjectNode] = field(default_factory=list)


def projects_tree() -> list[ProjectNode]:
    """Every project under its parent, in one query."""
    projects = list(Project.objects.select_related("dialogue").order_by("title"))
    nodes = {p.id: ProjectNode(p) for p in projects}
    roots = []
    for project in projects:
        parent = nodes.get(project.parent_id)
        (parent.children if parent else roots).append(nodes[project.id])
    return roots


def project_detail(*, viewer, slug: str) -> Project:
    """The project with its parent, children, partners, sites, beneficiaries, activities and
    the documents the viewer may read. Raises Project.DoesNotExist."""
    return (
        Project.objects.select_related("dialogue", "parent")
        .prefetch_related(
            "children",
            "regions",
            Prefetch("beneficiary_countries", queryset=Participant.objects.order_by("sort_name")),
            Prefetch("partners", queryset=ProjectPartner.objects.select_related("participant")),
            Prefetch("sites", queryset=Site.objects.select_related("country")),
            Prefetch(
                "documents",
                queryset=policy_for(viewer).documents(Document.objects.all()),
                to_attr="visible_documents",
            ),
            "activities__workplan",
        )
        .get(slug=slug)
    )


def projects_for_iati():
    """Every project with what its IATI activity says (`projects.iati`): dialogue and
    secretariat, partners, beneficiary countries, and the IATI identifiers among them, in a
    fixed number of queries whatever the number of projects."""
    return (
        Project.objects.select_related("dialogue__secretariat", "parent")
        .prefetch_related(
            "dialogue__secretariat__identifiers",
            Prefetch(
                "partners",
                queryset=ProjectPartner.objects.select_related("participant").prefetch_related(
                    "participant__identifiers"
                ),
            ),
            Prefetch("beneficiary_countries", queryset=Participant.objects.order_by("sort_name")),
        )
        .order_by("title", "id")
    )
