from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpdialogue.access import policy_for
from meetings.calendar import meetings_ical
from meetings.selectors import meetings_visible_to

from . import selectors, services
from .models import CalendarFeed, Participant, Person


def participant_list(request):
    participants = list(selectors.participants_list())
    return render(
        request,
        "participants/participant_list.html",
        {
            "states": [p for p in participants if p.kind == Participant.Kind.STATE],
            "organisations": [p for p in participants if p.kind == Participant.Kind.ORGANISATION],
        },
    )


def participant_detail(request, slug):
    try:
        context = selectors.participant_profile(viewer=request.user, slug=slug)
    except Participant.DoesNotExist:
        raise Http404("No such participant.") from None
    return render(request, "participants/participant_detail.html", context)


@login_required
def account(request):
    """The delegate's own page: what they may read, their calendar feed, their password."""
    feed = services.calendar_feed_for(user=request.user)
    person = Person.objects.filter(user=request.user).select_related("affiliation").first()
    return render(
        request,
        "participants/account.html",
        {
            "person": person,
            "policy": policy_for(request.user),
            "feed_url": request.build_absolute_uri(
                reverse("personal-calendar", kwargs={"token": feed.token})
            ),
        },
    )


@login_required
@require_POST
def calendar_regenerate(request):
    services.calendar_feed_regenerate(user=request.user)
    messages.success(request, _("Your calendar address was replaced; the old one no longer works."))
    return redirect(reverse("account") + "#calendar")


def personal_calendar(request, token):
    """The meetings the feed's owner may see, for a calendar client (which cannot sign in:
    the token is the credential)."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404("No such calendar.")
    meetings = meetings_visible_to(feed.user).order_by("start_date", "id")
    body = meetings_ical(
        meetings,
        calendar_name=_("Budapest Process meetings"),
        url_for=lambda meeting: request.build_absolute_uri(meeting.get_absolute_url()),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="bpdialogue.ics"'
    # The URL is a secret: keep it out of shared caches and referrers.
    response["Cache-Control"] = "private, no-store"
    return response
