from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import Meeting


def home(request):
    meetings = selectors.meetings_visible_to(request.user)
    return render(request, "meetings/home.html", {"meetings": meetings})


def meeting_detail(request, slug):
    try:
        meeting = selectors.meeting_for_viewer(viewer=request.user, slug=slug)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "attendance": selectors.meeting_attendance(meeting=meeting),
            "record_visible": selectors.record_visible(viewer=request.user, meeting=meeting),
        },
    )
