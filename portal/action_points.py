"""The action-point tracker (/action-points/) and its CSV and iCalendar exports: every action
point of the records the viewer reads, a delegate's own participant's first."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from meetings.calendar import action_points_ical
from meetings.tracker import (
    TrackerFilterForm,
    action_points_tracked,
    conclusion_chain,
    tracker_csv,
    tracker_rows,
)
from participants.access import delegate_participant_ids

ACTION_POINTS_PER_PAGE = 25
# The conclusions across meetings shown beside the tracker: the latest ones.
CHAIN_SHOWN = 50


def _tracked(request):
    form = TrackerFilterForm(request.GET or None, viewer=request.user)
    today = timezone.localdate()
    points = action_points_tracked(
        viewer=request.user,
        filters=form.filters(),
        today=today,
        first_for=delegate_participant_ids(request.user),
    )
    return form, points, today


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def action_point_list(request):
    form, points, today = _tracked(request)
    page = Paginator(points, ACTION_POINTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/action_point_list.html",
        {
            "form": form,
            "page": page,
            "action_points": tracker_rows(page.object_list, viewer=request.user, today=today),
            "query": _query_without_page(request),
            "chain": list(conclusion_chain(viewer=request.user)[:CHAIN_SHOWN]),
        },
    )


def action_points_csv(request):
    _, points, today = _tracked(request)
    body = tracker_csv(tracker_rows(points, viewer=request.user, today=today))
    return HttpResponse(
        body,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="action-points.csv"'},
    )


def action_points_ics(request):
    _, points, _ = _tracked(request)
    body = action_points_ical(
        points.prefetch_related(None),
        calendar_name="Budapest Process: action points",
        url_for=lambda point: request.build_absolute_uri(
            f"{point.meeting.get_absolute_url()}#action-point-{point.uid}"
        ),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
