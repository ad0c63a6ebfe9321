"""What the secretariat's workspace reads: its lists and each tab of a meeting, with the joins
the page needs, so a page runs a fixed number of queries whatever the record's size."""

from __future__ import annotations

import datetime
import uuid

from django.db.models import Count, F, Max, Prefetch, Q

from bpdialogue.access import SECRETARIAT
from bpdialogue.models import ApiKey, WebhookDelivery, WebhookEndpoint
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Delegation,
    Document,
    Meeting,
    RenderJob,
    Statement,
    ThematicFocus,
    WorkingGroup,
    in_chosen_order,
)
from meetings.tracker import conclusions_with_chain
from participants.models import Dialogue, Membership, Participant, Region
from projects.models import Project
from workplans.models import CooperationFramework, Workplan


def dashboard_lists(*, today: datetime.date) -> dict:
    """Upcoming meetings, records still to be finished, open action points, running renders."""
    pending = [Meeting.RecordStatus.DRAFT, Meeting.RecordStatus.IN_REVIEW]
    open_points = (
        ActionPoint.objects.filter(
            status__in=[ActionPoint.Status.OPEN, ActionPoint.Status.IN_PROGRESS]
        )
        .select_related("meeting")
        .prefetch_related(in_chosen_order("responsible"))
        .order_by("due_date", "meeting__start_date", "position")
    )
    return {
        "upcoming": Meeting.objects.filter(start_date__gte=today)
        .select_related("host_country")
        .order_by("start_date")[:10],
        "records_pending": Meeting.objects.filter(
            record_status__in=pending, start_date__lte=today
        ).order_by("-start_date")[:20],
        "open_points": open_points[:50],
        "jobs": RenderJob.objects.filter(status__in=RenderJob.IN_PROGRESS).select_related(
            "meeting"
        ),
    }


def meetings_newest_first():
    return Meeting.objects.select_related("host_country").order_by("-start_date")


def workspace_meetings():
    """Meetings as a tab of the workspace shows them: with their relations and who last moved
    the record."""
    return Meeting.objects.with_relations().select_related("record_status_changed_by")


def meeting_contents_counts(*, meeting: Meeting) -> dict[str, int]:
    """What deleting the meeting takes with it."""
    return {
        "agenda items": meeting.agenda_items.count(),
        "statements": Statement.objects.filter(agenda_item__meeting=meeting).count(),
        "delegations": meeting.delegations.count(),
        "conclusions": meeting.conclusions.count(),
        "action points": meeting.action_points.count(),
        "documents": meeting.documents.count(),
    }


def agenda_items(*, meeting: Meeting, with_statements: bool = False):
    """Top-level items in order, each with its sub-items (and, for the record, statements
    with their speakers) prefetched: a fixed number of queries whatever the agenda's size."""

    def related():
        lookups = [in_chosen_order("presenters")]
        if with_statements:
            statements = Statement.objects.prefetch_related(in_chosen_order("speakers"))
            statements = statements.order_by("position")
            lookups.append(Prefetch("statements", queryset=statements))
        return lookups

    sub_items = AgendaItem.objects.prefetch_related(*related()).order_by("position")
    return (
        AgendaItem.objects.filter(meeting=meeting, parent=None)
        .prefetch_related(*related(), Prefetch("sub_items", queryset=sub_items))
        .order_by("position")
    )


def attendance_candidates(*, meeting: Meeting) -> tuple[list, dict]:
    """Every member of the dialogue on the meeting's date and anyone else who came, states
    first, then organisations, and their delegations by participant id."""
    delegations = {d.participant_id: d for d in Delegation.objects.filter(meeting=meeting)}
    member_ids = Membership.objects.current(on=meeting.start_date).filter(
        dialogue_id=meeting.dialogue_id
    )
    # Named and sorted as on the meeting's date, as the record names them ("Turkey" in 2016).
    participants = sorted(
        Participant.objects.filter(
            Q(id__in=member_ids.values("participant_id"))
            | Q(id__in=list(delegations))
            # A guest the secretariat nominated shows with its nomination.
            | Q(id__in=meeting.registrations.values("participant_id"))
        ).prefetch_related("names"),
        key=lambda p: (
            p.kind != Participant.Kind.STATE,
            p.name_on(meeting.start_date).sort_name.casefold(),
        ),
    )
    return participants, delegations


def delegation_removed(*, meeting: Meeting, participant: Participant) -> Delegation:
    """A delegation unticked since: as its history last knew it, which says who removed it."""
    last = Delegation.history.filter(meeting_id=meeting.pk, participant_id=participant.pk).first()
    return last.instance if last else Delegation(meeting=meeting, participant=participant)


def meeting_conclusions_lists(*, meeting: Meeting) -> dict:
    return {
        # With what each confirms, amends or supersedes, and what later did so to it.
        "conclusions": conclusions_with_chain(
            meeting.conclusions.order_by("position"), viewer=SECRETARIAT
        ),
        "action_points": meeting.action_points.select_related("fulfilled_by")
        .prefetch_related(in_chosen_order("responsible"))
        .order_by("position"),
    }


def meeting_documents_lists(*, meeting: Meeting) -> dict:
    """The meeting's documents, every revision, and its last five render jobs."""
    return {
        "documents": meeting.documents.select_related("uploaded_by").order_by("kind", "-revision"),
        "jobs": meeting.render_jobs.select_related("document").order_by("-created_at")[:5],
    }


def document_uploaded(*, meeting: Meeting, uid: str) -> Document | None:
    """The uploaded (not generated) document of the meeting with this uid, if any."""
    try:
        uid = uuid.UUID(uid)
    except ValueError:
        return None
    return Document.objects.filter(meeting=meeting, uid=uid, generated=False).first()


def meeting_workflow_trail(*, meeting: Meeting) -> dict:
    return {
        "transitions": meeting.transitions.select_related("by"),
        "revisions": meeting.revisions.select_related("document", "issued_by"),
    }


def project_tree() -> list[tuple[Project, int]]:
    """Every project, each after its parent, with its depth in the tree."""
    projects = list(Project.objects.select_related("parent").order_by("title"))
    children: dict[int | None, list] = {}
    for project in projects:
        children.setdefault(project.parent_id, []).append(project)
    tree = []

    def walk(parent_id, depth):
        for project in children.get(parent_id, []):
            tree.append((project, depth))
            walk(project.pk, depth + 1)

    walk(None, 0)
    return tree


def project_parts(*, project: Project) -> dict:
    return {
        "partners": project.partners.select_related("participant"),
        "sites": project.sites.select_related("country"),
    }


def workplans_index() -> dict:
    return {
        "frameworks": CooperationFramework.objects.prefetch_related("cadence"),
        "focuses": ThematicFocus.objects.select_related("thematic_chair"),
        "workplans": Workplan.objects.select_related("framework", "thematic_focus"),
    }


def workplan_activities(*, workplan: Workplan):
    return (
        workplan.activities.select_related("project", "realised_by")
        .prefetch_related("countries", "responsible")
        .order_by("position")
    )


def participants_overview(*, kind: str | None = None):
    """States and organisations in sort-name order, each with its memberships and earlier
    names."""
    participants = Participant.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("dialogue").order_by("valid_from"),
        ),
        "names",
    ).order_by("kind", "sort_name")
    return participants.filter(kind=kind) if kind else participants


def participant_parts(*, participant: Participant) -> dict:
    """A participant's names over time, identifiers, memberships and roles."""
    return {
        "names": participant.names.order_by(F("valid_from").asc(nulls_first=True)),
        "identifiers": participant.identifiers.order_by("scheme"),
        "memberships": participant.memberships.select_related("dialogue").order_by(
            "dialogue__name", "valid_from"
        ),
        "roles": participant.roles.select_related("dialogue").order_by("valid_from", "role"),
    }


def dialogues_groups_and_regions() -> dict:
    return {
        "dialogues": Dialogue.objects.select_related("secretariat").order_by("name"),
        "working_groups": WorkingGroup.objects.select_related("dialogue", "region").order_by(
            "dialogue__name", "name"
        ),
        "regions": Region.objects.select_related("dialogue")
        .prefetch_related(Prefetch("states", queryset=Participant.objects.order_by("sort_name")))
        .order_by("dialogue__name", "name"),
    }


def api_keys():
    """Every key, those still in use first."""
    return ApiKey.objects.select_related("dialogue", "created_by").order_by(
        F("revoked_at").desc(nulls_first=True), "name"
    )


def webhook_endpoints():
    """Every webhook endpoint, with what waits for it and when it was last sent anything."""
    return WebhookEndpoint.objects.select_related("dialogue").annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.PENDING)),
        last_attempt_at=Max("deliveries__log__attempted_at"),
    )


# The delivery log shows this many, newest first.
WEBHOOK_LOG_LENGTH = 100


def webhook_deliveries(*, endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, each with its attempts (newest first)."""
    return list(endpoint.deliveries.prefetch_related("log").order_by("-id")[:WEBHOOK_LOG_LENGTH])
