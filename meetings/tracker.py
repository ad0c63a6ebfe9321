"""The action-point tracker: every action point of the dialogue across meetings, as far as the
viewer may read the record it was agreed in, with its status history and the later meeting
meant to fulfil it; and the conclusions that confirm, amend or supersede earlier ones. The
portal's /action-points/ and the workspace's tracker both read it here, as do their CSV and
iCalendar exports."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from bpdialogue.access import policy_for
from bpdialogue.api.renderers import spreadsheet_cell
from participants.models import Participant, dated_names

from .models import (
    ActionPoint,
    ActionPointStatusChange,
    ConclusionReference,
    Meeting,
    in_chosen_order,
)

# Not yet done nor dropped: what can still be overdue.
PENDING = (ActionPoint.Status.OPEN, ActionPoint.Status.IN_PROGRESS)


@dataclass(frozen=True)
class TrackerFilters:
    status: str = ""
    responsible: Participant | None = None
    meeting: Meeting | None = None
    year: int | None = None
    overdue: bool = False


class TrackerFilterForm(forms.Form):
    """The tracker's filters, a GET form so every filtered list (and its exports) has a URL.
    The choices are what the viewer's visible action points hold, one query each."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    responsible = forms.ModelChoiceField(
        label=_("Responsible"),
        queryset=Participant.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Anyone"),
    )
    meeting = forms.ModelChoiceField(
        label=_("Agreed at"),
        queryset=Meeting.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any meeting"),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        visible = visible_action_points(viewer=viewer)
        self.fields["status"].choices = [("", _("Any")), *ActionPoint.Status.choices]
        self.fields["responsible"].queryset = Participant.objects.filter(
            pk__in=visible.values("responsible")
        ).order_by("kind", "sort_name")
        meetings = Meeting.objects.filter(pk__in=visible.values("meeting")).order_by("-start_date")
        self.fields["meeting"].queryset = meetings
        years = meetings.dates("start_date", "year", order="DESC")
        self.fields["year"].choices = [("", _("Any"))] + [(d.year, d.year) for d in years]

    def filters(self) -> TrackerFilters:
        # The fields that are valid still filter: a wrong year does not show everything.
        self.is_valid()
        return TrackerFilters(**getattr(self, "cleaned_data", {}))


def visible_action_points(*, viewer) -> QuerySet:
    """The action points of the records the viewer reads: the secretariat all of them;
    anyone else those of published records of meetings they may see."""
    return policy_for(viewer).records(ActionPoint.objects.all(), "meeting")


def action_points_tracked(
    *, viewer, filters: TrackerFilters, today: datetime.date, first_for=frozenset()
) -> QuerySet:
    """The viewer's action points matching `filters`, those of the participants `first_for`
    (a delegate's own) first, then the latest meetings' first, in the record's order. The
    rows carry what the tracker shows (see `tracker_rows`) in a fixed number of queries."""
    points = visible_action_points(viewer=viewer)
    if filters.status:
        points = points.filter(status=filters.status)
    if filters.responsible is not None:
        points = points.filter(responsible=filters.responsible)
    if filters.meeting is not None:
        points = points.filter(meeting=filters.meeting)
    if filters.year is not None:
        points = points.annotate(meeting_year=ExtractYear("meeting__start_date")).filter(
            meeting_year=filters.year
        )
    if filters.overdue:
        points = points.filter(due_date__lt=today, status__in=PENDING)
    responsible = ActionPoint.objects.filter(pk=OuterRef("pk"), responsible__in=first_for)
    names = dated_names()
    return (
        points.annotate(is_mine=Exists(responsible))
        .select_related("meeting", "fulfilled_by")
        .prefetch_related(
            in_chosen_order("responsible", Participant.objects.prefetch_related(names)),
            Prefetch(
                "status_changes",
                queryset=ActionPointStatusChange.objects.select_related("by").order_by(
                    "created_at", "id"
                ),
            ),
        )
        .order_by("-is_mine", "-meeting__start_date", "meeting_id", "position")
    )


def tracker_rows(points, *, viewer, today: datetime.date) -> list[ActionPoint]:
    """The points with what the page prints: the responsible under their names at the time,
    the fulfilling meeting only to those who may know of it, and whether it is overdue."""
    policy = policy_for(viewer)
    rows = list(points)
    for point in rows:
        point.responsible_names = [
            p.name_on(point.meeting.start_date).name for p in point.responsible.all()
        ]
        point.visible_fulfilled_by = policy.meeting_if_visible(point.fulfilled_by)
        point.is_overdue = bool(
            point.due_date and point.due_date < today and point.status in PENDING
        )
    return rows


def conclusion_chain(*, viewer, conclusion_ids=None) -> QuerySet:
    """Conclusions referring to earlier ones where the viewer reads both records; with
    `conclusion_ids`, only the references from or to those conclusions."""
    policy = policy_for(viewer)
    references = ConclusionReference.objects.filter(
        policy.record_q("conclusion__meeting__"), policy.record_q("earlier__meeting__")
    )
    if conclusion_ids is not None:
        ids = list(conclusion_ids)
        references = references.filter(conclusion_id__in=ids) | references.filter(
            earlier_id__in=ids
        )
    return references.select_related("conclusion__meeting", "earlier__meeting").order_by(
        "-conclusion__meeting__start_date", "conclusion__position", "earlier__position"
    )


def with_fulfilling_meetings(points, *, viewer) -> None:
    """Each of `points` (of one meeting's record) with `visible_fulfilled_by`: the later
    meeting that carried it out, named only to those who may know of it. One query, none
    when no point names one; the record's documents print no such meeting and skip it."""
    points = list(points)
    meetings = Meeting.objects.in_bulk({p.fulfilled_by_id for p in points if p.fulfilled_by_id})
    policy = policy_for(viewer)
    for point in points:
        point.visible_fulfilled_by = policy.meeting_if_visible(meetings.get(point.fulfilled_by_id))


def conclusions_with_chain(conclusions, *, viewer) -> list:
    """`conclusions` (of one meeting's record), each with `refers_to` (what it confirms,
    amends or supersedes) and `referred_to_by` (what later confirmed, amended or superseded
    it), as far as the viewer reads those records: one query."""
    conclusions = list(conclusions)
    by_id = {c.pk: c for c in conclusions}
    for conclusion in conclusions:
        conclusion.refers_to, conclusion.referred_to_by = [], []
    for reference in conclusion_chain(viewer=viewer, conclusion_ids=by_id):
        if reference.conclusion_id in by_id:
            by_id[reference.conclusion_id].refers_to.append(reference)
        if reference.earlier_id in by_id:
            by_id[reference.earlier_id].referred_to_by.append(reference)
    return conclusions


CSV_COLUMNS = (
    "meeting",
    "meeting_date",
    "number",
    "action",
    "responsible",
    "due_date",
    "due",
    "place",
    "status",
    "fulfilled_by",
)


def tracker_csv(rows) -> bytes:
    """The rows as CSV, with a byte-order mark so spreadsheets read the accents right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for point in rows:
        fulfilled_by = point.visible_fulfilled_by
        writer.writerow(
            spreadsheet_cell(value)
            for value in (
                point.meeting.title,
                point.meeting.start_date.isoformat(),
                point.position,
                point.text,
                "; ".join(point.responsible_names),
                point.due_date.isoformat() if point.due_date else "",
                point.due_text,
                point.place,
                point.get_status_display(),
                fulfilled_by.title if fulfilled_by else "",
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
