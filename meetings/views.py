import datetime

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from bpdialogue.access import policy_for
from workplans import selectors as workplan_selectors

from . import selectors
from .forms import MeetingFilterForm
from .models import Meeting

MEETINGS_PER_PAGE = 25


def home(request):
    today = timezone.localdate()
    context = selectors.meetings_home(viewer=request.user, today=today)
    context.update(workplan_selectors.workplan_current(today=today))
    return render(request, "meetings/home.html", context)


def meeting_list(request):
    form = MeetingFilterForm(
        request.GET or None, years=selectors.meeting_years(viewer=request.user)
    )
    meetings = selectors.meetings_filtered(viewer=request.user, filters=form.filters())
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/meeting_list.html",
        {"form": form, "page": page, "meetings": page.object_list, "query": query.urlencode()},
    )


def meeting_calendar(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        datetime.date(year, 1, 1)
    except (TypeError, ValueError):
        year = today.year
    return render(
        request,
        "meetings/meeting_calendar.html",
        {
            "year": year,
            "months": selectors.meetings_calendar(viewer=request.user, year=year),
            "years": selectors.meeting_years(viewer=request.user),
        },
    )


def meeting_detail(request, slug):
    try:
        meeting = selectors.meeting_for_viewer(viewer=request.user, slug=slug)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None
    record_visible = policy_for(request.user).can_see_record(meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "record_visible": record_visible,
            "attendance": selectors.meeting_attendance(meeting=meeting) if record_visible else None,
            "record": selectors.meeting_record(viewer=request.user, meeting=meeting)
            if record_visible
            else None,
            "documents": selectors.meeting_documents(viewer=request.user, meeting=meeting),
        },
    )
