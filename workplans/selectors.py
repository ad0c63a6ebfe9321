"""Reads about workplans: thematic focus, activities planned against done, and the
cooperation framework's cadence of meetings planned against held."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch

from bpdialogue.access import policy_for
from meetings.models import Meeting, ThematicFocus
from participants.models import Participant

from .models import Activity, FrameworkCadence, Workplan


def workplan_current(*, today: datetime.date) -> dict:
    """The thematic focus and workplan in force: this year's, or the latest before it."""
    focus = (
        ThematicFocus.objects.filter(year__lte=today.year)
        .select_related("thematic_chair", "dialogue")
        .order_by("-year")
        .first()
    )
    workplan = (
        Workplan.objects.filter(year__lte=today.year)
        .select_related("thematic_focus", "dialogue")
        .order_by("-year")
        .first()
    )
    return {"thematic_focus": focus, "workplan": workplan}


def workplans_list():
    return Workplan.objects.select_related("dialogue", "thematic_focus", "framework").order_by(
        "-year", "dialogue__name"
    )


@dataclass(frozen=True)
class CadenceRow:
    kind_label: str
    planned: int
    held: int


@dataclass(frozen=True)
class WorkplanProgress:
    activities: list
    by_status: list[tuple[str, int]]
    done: int
    total: int
    cadence: list[CadenceRow]


def workplan_progress(*, viewer, workplan: Workplan) -> WorkplanProgress:
    """Activities with what realised them, counted by status; the framework's meetings a year
    against the meetings of each kind held that year (as far as the viewer may see them)."""
    activities = list(
        Activity.objects.filter(workplan=workplan)
        .select_related("project", "realised_by")
        .prefetch_related(
            Prefetch("responsible", queryset=Participant.objects.all()),
            Prefetch("countries", queryset=Participant.objects.all()),
        )
    )
    policy = policy_for(viewer)
    for activity in activities:
        # A meeting the viewer may not know of is not named, only counted as done.
        activity.visible_meeting = policy.meeting_if_visible(activity.realised_by)
    counts = Counter(a.status for a in activities)
    by_status = [
        (label, counts[value]) for value, label in Activity.Status.choices if counts[value]
    ]
    cadence = []
    if workplan.framework_id:
        held = Counter(
            Meeting.objects.filter(
                policy.meeting_q(),
                dialogue_id=workplan.dialogue_id,
                start_date__year=workplan.year,
                status=Meeting.Status.HELD,
            ).values_list("kind", flat=True)
        )
        for row in FrameworkCadence.objects.filter(framework_id=workplan.framework_id):
            cadence.append(
                CadenceRow(
                    Meeting.Kind(row.meeting_kind).label, row.per_year, held[row.meeting_kind]
                )
            )
    return WorkplanProgress(
        activities=activities,
        by_status=by_status,
        done=counts[Activity.Status.DONE],
        total=len(activities),
        cadence=cadence,
    )
