"""Reads the portal composes from several apps: a state's or an organisation's profile across
the dialogue (meetings, statements, projects)."""

from __future__ import annotations

from django.db.models import Prefetch

from bpdialogue.access import policy_for
from meetings.models import Delegation, Statement
from participants.models import Membership, Participant, RoleAssignment
from projects.models import ProjectPartner


def participant_profile(*, viewer, slug: str) -> dict:
    """Names over time, memberships and roles, the meetings it attended and what it said
    there (as far as the viewer may see), and its projects. Raises Participant.DoesNotExist.
    A fixed number of queries."""
    participant = Participant.objects.prefetch_related(
        "names",
        "identifiers",
        Prefetch("memberships", queryset=Membership.objects.select_related("dialogue")),
        Prefetch("roles", queryset=RoleAssignment.objects.select_related("dialogue")),
    ).get(slug=slug)
    policy = policy_for(viewer)
    delegations = list(
        Delegation.objects.filter(policy.meeting_q("meeting__"), participant=participant)
        .select_related("meeting")
        .order_by("-meeting__start_date")
    )
    statements = list(
        Statement.objects.filter(policy.record_q("agenda_item__meeting__"), speakers=participant)
        .select_related("agenda_item__meeting")
        .order_by("-agenda_item__meeting__start_date", "agenda_item__position", "position")
    )
    partner_roles = list(
        ProjectPartner.objects.filter(participant=participant)
        .select_related("project")
        .order_by("project__title", "role")
    )
    benefiting = list(participant.benefiting_projects.order_by("title"))
    return {
        "participant": participant,
        "delegations": delegations,
        "statements": statements,
        "partner_roles": partner_roles,
        "benefiting_projects": benefiting,
    }
