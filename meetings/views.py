from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from workplans import selectors as workplan_selectors

from . import selectors
from .access import access_meeting
from .forms import MeetingFilterForm

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


# The years a calendar page can show: the dialogue's past and a planning horizon, with room.
CALENDAR_YEARS = range(1900, 2201)


def meeting_calendar(request):
    year = timezone.localdate().year
    error = ""
    if "year" in request.GET:
        try:
            asked = int(request.GET["year"])
        except ValueError:
            asked = None
        if asked in CALENDAR_YEARS:
            year = asked
        else:
            error = _(
                "There is no calendar for “%(year)s”: give a year from %(first)s to %(last)s."
            ) % {
                "year": request.GET["year"][:20],
                "first": CALENDAR_YEARS[0],
                "last": CALENDAR_YEARS[-1],
            }
    return render(
        request,
        "meetings/meeting_calendar.html",
        {
            "year": year,
            "error": error,
            "months": [] if error else selectors.meetings_calendar(viewer=request.user, year=year),
            "years": selectors.meeting_years(viewer=request.user),
        },
        status=400 if error else 200,
    )


def meeting_detail(request, slug):
    meeting = access_meeting(viewer=request.user, slug=slug)
    readable = selectors.record_for_viewer(viewer=request.user, meeting=meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "record_visible": readable is not None,
            "attendance": readable.attendance if readable else None,
            "record": readable.record if readable else None,
            "published_revision": readable.revision if readable else None,
            "documents": selectors.meeting_documents(viewer=request.user, meeting=meeting),
        },
    )
