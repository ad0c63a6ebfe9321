"""Reads the portal composes from several apps: a state's or an organisation's profile across
the dialogue (meetings, statements, projects)."""

from __future__ import annotations

import datetime
from operator import itemgetter

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from bpdialogue.access import policy_for
from meetings.models import ActionPoint, Delegation, Statement
from participants.models import Membership, Participant, RoleAssignment
from projects.models import ProjectPartner

from .analytics import participant_story

# A busy state attended hundreds of meetings and spoke thousands of times: its page lists them
# a page at a time (`?meetings=2`, `?statements=3`, `?action_points=2`).
PROFILE_PER_PAGE = 20


def participant_profile(
    *, viewer, slug: str, today: datetime.date, pages: dict | None = None
) -> dict:
    """Names over time, memberships and roles, the meetings it attended, what it said there
    and what it was to do (as far as the viewer may see, each list a page of `pages`), its
    projects, and its story in figures (`participant_story`). Raises
    Participant.DoesNotExist. A fixed number of queries."""
    pages = pages or {}
    participant = Participant.objects.prefetch_related(
        "names",
        "identifiers",
        Prefetch("memberships", queryset=Membership.objects.select_related("dialogue")),
        Prefetch("roles", queryset=RoleAssignment.objects.select_related("dialogue")),
    ).get(slug=slug)
    policy = policy_for(viewer)
    delegations = _page(
        Delegation.objects.filter(policy.meeting_q("meeting__"), participant=participant)
        .select_related("meeting")
        .order_by("-meeting__start_date", "-meeting_id"),
        pages.get("meetings"),
    )
    statements = _page(
        Statement.objects.filter(policy.record_q("agenda_item__meeting__"), speakers=participant)
        .select_related("agenda_item__meeting")
        .order_by(
            "-agenda_item__meeting__start_date",
            "-agenda_item__meeting_id",
            "agenda_item__position",
            "position",
        ),
        pages.get("statements"),
    )
    action_points = _page(
        policy.records(ActionPoint.objects.filter(responsible=participant), "meeting")
        .select_related("meeting")
        .order_by("-meeting__start_date", "-meeting_id", "position"),
        pages.get("action_points"),
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
        "action_points": action_points,
        "partner_roles": partner_roles,
        "benefiting_projects": benefiting,
        "figures": participant_story(viewer=viewer, participant=participant, today=today),
    }


def _page(queryset, number) -> Page:
    """A page of `queryset` in its order, as `Paginator.get_page` gives it, in two queries
    whatever the list's length: the keys of every row (the id and the order's fields, no
    ORDER BY), sorted here, then the page's rows by id. Sorting a busy state's 1,500 keys
    costs less than PostgreSQL's plan for ORDER BY the meeting's date with a LIMIT, which
    walks every meeting in date order (`meeting_list_order`) looking for the participant's
    rows (35-700 ms at full scale); the keys give the count as well."""
    order = queryset.query.order_by
    keys = list(queryset.order_by().values_list("pk", *(field.lstrip("-") for field in order)))
    # Stable sorts from the last field to the first: each field ascending or descending.
    for position in range(len(order), 0, -1):
        keys.sort(key=itemgetter(position), reverse=order[position - 1].startswith("-"))
    page = Paginator([key[0] for key in keys], PROFILE_PER_PAGE).get_page(number)
    rows = queryset.in_bulk(page.object_list)
    page.object_list = [rows[pk] for pk in page.object_list]
    return page
