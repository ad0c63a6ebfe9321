"""The workspace's action-point tracker: every action point across meetings, as the portal's
tracker lists them, each with a form to set its status in place (versioned: a status saved
by someone else meanwhile is a 409 with what differs)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from meetings import services as meeting_services
from meetings.models import ActionPoint
from meetings.tracker import TrackerFilterForm, action_points_tracked, tracker_rows

from ..access import secretariat_only
from ..editing import save_versioned
from ..tracker_forms import ActionPointStatusForm

ACTION_POINTS_PER_PAGE = 25


def _status_form(point, data=None) -> ActionPointStatusForm:
    return ActionPointStatusForm(data, instance=point, prefix=f"p{point.pk}")


def _tracker_page(request, query: QueryDict, *, refused=None, conflict=None, status=200):
    """The tracker for `query` (the filters and page); `refused` is a status form that came
    back with errors or a conflict, shown in its row."""
    form = TrackerFilterForm(query or None, viewer=request.user)
    today = timezone.localdate()
    points = action_points_tracked(viewer=request.user, filters=form.filters(), today=today)
    page = Paginator(points, ACTION_POINTS_PER_PAGE).get_page(query.get("page"))
    rows = tracker_rows(page.object_list, viewer=request.user, today=today)
    for point in rows:
        if refused is not None and refused.instance.pk == point.pk:
            point.status_form = refused
        else:
            point.status_form = _status_form(point)
    without_page = query.copy()
    without_page.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "action_points": rows,
        "query": without_page.urlencode(),
        "page_query": query.urlencode(),
        "conflict": conflict,
        "refused": refused,
    }
    return render(request, "secretariat/action_points.html", context, status=status)


@secretariat_only
def action_point_tracker(request):
    return _tracker_page(request, request.GET)


def _update_status(form: ActionPointStatusForm):
    def update(point, version, changes, by):
        return meeting_services.record_part_update(
            part=point,
            expected_version=version,
            changes=changes,
            by=by,
            note=form.cleaned_data["note"],
        )

    return update


@secretariat_only
@require_POST
def action_point_status(request, pk):
    """Set one action point's status from the tracker, back to the same filtered page."""
    point = get_object_or_404(ActionPoint.objects.select_related("meeting"), pk=pk)
    # The tracker's filters and page, as the form was shown under (never a URL of elsewhere).
    query = QueryDict(request.POST.get("query", ""))
    form = _status_form(point, request.POST)
    conflict = None
    if form.is_valid():
        refused, conflict = save_versioned(form, update=_update_status(form), by=request.user)
        if refused is None:
            point.refresh_from_db()
            messages.success(
                request,
                gettext("Action point %(position)s of %(title)s: %(status)s.")
                % {
                    "position": point.position,
                    "title": point.meeting.title,
                    "status": point.get_status_display().lower(),
                },
            )
            url = reverse("secretariat:action-points")
            return redirect(f"{url}?{query.urlencode()}#action-point-{point.uid}")
        form = refused
    return _tracker_page(
        request, query, refused=form, conflict=conflict, status=409 if conflict else 400
    )
