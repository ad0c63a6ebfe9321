"""The portal: what delegates and the public read. Each view asks the owning app's selectors,
which apply the access policy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpdialogue.access import policy_for
from bpdialogue.models import VersionConflict
from meetings import selectors as meeting_selectors
from meetings.access import access_meeting
from meetings.calendar import meetings_ical_response
from meetings.models import Registration
from meetings.registrations import nominations_open, registration_nominate, registration_withdraw
from meetings.tracker import conclusions_with_chain, with_fulfilling_meetings
from participants import services as participant_services
from participants.access import focal_point_participants
from participants.models import CalendarFeed, Participant, Person
from participants.selectors import participants_list
from projects import selectors as project_selectors
from projects.models import Project
from workplans import selectors as workplan_selectors

from . import analytics as analytics_module
from . import search as search_module
from .forms import MeetingFilterForm, NominationForm, PasswordConfirmForm, SearchForm
from .selectors import participant_profile

MEETINGS_PER_PAGE = 25


def home(request):
    today = timezone.localdate()
    context = meeting_selectors.meetings_home(viewer=request.user, today=today)
    context.update(workplan_selectors.workplan_current(today=today))
    return render(request, "meetings/home.html", context)


def meeting_list(request):
    form = MeetingFilterForm(
        request.GET or None, years=meeting_selectors.meeting_years(viewer=request.user)
    )
    meetings = meeting_selectors.meetings_filtered(viewer=request.user, filters=form.filters())
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
    years = meeting_selectors.meeting_years(viewer=request.user)
    year = meeting_selectors.calendar_year_nearest(years, timezone.localdate())
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
            "months": []
            if error
            else meeting_selectors.meetings_calendar(viewer=request.user, year=year),
            "years": years,
        },
        status=400 if error else 200,
    )


def meeting_detail(request, slug):
    meeting = access_meeting(viewer=request.user, slug=slug)
    readable = meeting_selectors.record_for_viewer(viewer=request.user, meeting=meeting)
    if readable and readable.record.conclusions:
        # What each conclusion confirms, amends or supersedes, and what later did so to it.
        conclusions_with_chain(readable.record.conclusions, viewer=request.user)
    if readable:
        with_fulfilling_meetings(readable.record.action_points, viewer=request.user)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "record_visible": readable is not None,
            "attendance": readable.attendance if readable else None,
            "record": readable.record if readable else None,
            "published_revision": readable.revision if readable else None,
            "documents": meeting_selectors.meeting_documents(viewer=request.user, meeting=meeting),
            # Its focal points nominate a participant's delegation while nominations are open.
            "nominates": nominations_open(meeting=meeting)
            and focal_point_participants(request.user, dialogue_id=meeting.dialogue_id).exists(),
        },
    )


@login_required
def meeting_registration(request, slug):
    """A focal point nominates its participant's delegation to a meeting and follows what
    the secretariat decides. Anyone who is not a focal point of a member: 403."""
    meeting = access_meeting(viewer=request.user, slug=slug)
    participants = list(
        focal_point_participants(request.user, dialogue_id=meeting.dialogue_id).order_by(
            "sort_name"
        )
    )
    if not participants:
        raise PermissionDenied(_("Only a focal point of a participant nominates its delegation."))
    chosen = request.POST.get("participant") or request.GET.get("participant")
    participant = next((p for p in participants if p.slug == chosen), participants[0])
    people = (
        Person.objects.active()
        .filter(affiliation=participant)
        .exclude(registrations__meeting=meeting)
    )
    form = NominationForm(
        request.POST if request.POST.get("action") == "nominate" else None,
        people=people,
        roles=Registration.Role.choices,
    )
    refused = []  # why a withdrawal was refused (a nomination's errors are the form's)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        registration = get_object_or_404(
            Registration,
            uid=request.POST.get("registration"),
            meeting=meeting,
            participant=participant,
        )
        # A version that is no number is none the page showed: a stale withdrawal.
        version = request.POST.get("version", "")
        try:
            registration_withdraw(
                registration=registration,
                expected_version=int(version) if version.isdigit() else 0,
                by=request.user,
            )
        except ValidationError as error:
            refused = error.messages
        except VersionConflict:
            refused = [_("Someone changed this nomination meanwhile; see it below.")]
        else:
            messages.success(
                request, _("The nomination of %s was withdrawn.") % registration.person
            )
            return redirect(_registration_url(meeting, participant))
    elif request.method == "POST" and form.is_valid():
        try:
            registration = registration_nominate(
                meeting=meeting,
                participant=participant,
                person=form.cleaned_data["person"],
                new_person=form.new_person(),
                role=form.cleaned_data["role"],
                position=form.cleaned_data["position"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("%s is nominated.") % registration.person)
            return redirect(_registration_url(meeting, participant))
    return render(
        request,
        "meetings/meeting_registration.html",
        {
            "meeting": meeting,
            "participant": participant,
            "participants": participants,
            "registrations": meeting_selectors.delegation_registrations(
                meeting=meeting, participant=participant
            ),
            "open": nominations_open(meeting=meeting),
            "form": form,
            "refused": refused,
        },
        status=400 if refused or form.errors else 200,
    )


def _registration_url(meeting, participant) -> str:
    url = reverse("meeting-registration", args=[meeting.slug])
    return f"{url}?participant={participant.slug}"


def participant_list(request):
    participants = list(participants_list())
    return render(
        request,
        "participants/participant_list.html",
        {
            "states": [p for p in participants if p.kind == Participant.Kind.STATE],
            "organisations": [p for p in participants if p.kind == Participant.Kind.ORGANISATION],
        },
    )


def participant_detail(request, slug):
    """A participant's page; `?format=csv&figure=<slug>` downloads one of its figures."""
    if request.GET.get("format") == "csv":
        figure = request.GET.get("figure")
        participant = (
            Participant.objects.prefetch_related("roles__dialogue").filter(slug=slug).first()
        )
        if participant is None or figure not in analytics_module.STORY:
            raise Http404("No such figure.")
        (table,) = analytics_module.participant_story(
            viewer=request.user, participant=participant, today=timezone.localdate(), only=figure
        )
        return _figure_csv_response(table, f"{participant.slug}-{figure}.csv")
    try:
        context = participant_profile(
            viewer=request.user,
            slug=slug,
            today=timezone.localdate(),
            pages={
                name: request.GET.get(name) for name in ("meetings", "statements", "action_points")
            },
        )
    except Participant.DoesNotExist:
        raise Http404("No such participant.") from None
    return render(request, "participants/participant_detail.html", context)


def _figure_csv_response(figure, filename: str) -> HttpResponse:
    return HttpResponse(
        analytics_module.figure_csv(figure),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def analytics(request):
    """The dialogue in numbers; `?format=csv&figure=<slug>` downloads one figure's table."""
    dialogues = analytics_module.dialogues_for(viewer=request.user)
    chosen = request.GET.get("dialogue")
    dialogue = next((d for d in dialogues if d.slug == chosen), dialogues[0] if dialogues else None)
    figure = request.GET.get("figure")
    if request.GET.get("format") == "csv":
        if dialogue is None or figure not in analytics_module.FIGURES:
            raise Http404("No such figure.")
        (table,) = analytics_module.dialogue_in_numbers(
            viewer=request.user, dialogue=dialogue, today=timezone.localdate(), only=figure
        )
        return _figure_csv_response(table, f"{dialogue.slug}-{figure}.csv")
    return render(
        request,
        "analytics.html",
        {
            "dialogues": dialogues,
            "dialogue": dialogue,
            "csv_query": f"dialogue={dialogue.slug}&" if dialogue else None,
            "figures": analytics_module.dialogue_in_numbers(
                viewer=request.user, dialogue=dialogue, today=timezone.localdate()
            )
            if dialogue
            else [],
        },
    )


@login_required
def account(request):
    """The delegate's own page: what they may read, their calendar feed, their password."""
    feed = participant_services.calendar_feed_for(user=request.user)
    person = Person.objects.filter(user=request.user).select_related("affiliation").first()
    return render(
        request,
        "participants/account.html",
        {
            "person": person,
            "policy": policy_for(request.user),
            "sign_out_form": PasswordConfirmForm(request=request),
            "invitations": meeting_selectors.focal_point_invitations(
                user=request.user, today=timezone.localdate()
            ),
            "feed_url": request.build_absolute_uri(
                reverse("personal-calendar", kwargs={"token": feed.token})
            ),
        },
    )


@login_required
@require_POST
def calendar_regenerate(request):
    participant_services.calendar_feed_regenerate(user=request.user)
    messages.success(request, _("Your calendar address was replaced; the old one no longer works."))
    return redirect(reverse("account") + "#calendar")


def personal_calendar(request, token):
    """The meetings the feed's owner may see, for a calendar client (which cannot sign in:
    the token is the credential)."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404("No such calendar.")
    meetings = meeting_selectors.meetings_visible_to(feed.user).order_by("start_date", "id")
    return meetings_ical_response(
        request,
        meetings,
        calendar_name=_("Budapest Process meetings"),
        headers={
            "Content-Disposition": 'inline; filename="bpdialogue.ics"',
            # The URL is a secret: keep it out of shared caches and referrers.
            "Cache-Control": "private, no-store",
        },
    )


def project_list(request):
    return render(
        request, "projects/project_list.html", {"tree": project_selectors.projects_tree()}
    )


def project_detail(request, slug):
    try:
        project = project_selectors.project_detail(viewer=request.user, slug=slug)
    except Project.DoesNotExist:
        raise Http404("No such project.") from None
    return render(request, "projects/project_detail.html", {"project": project})


def workplan_list(request):
    return render(
        request, "workplans/workplan_list.html", {"workplans": workplan_selectors.workplans_list()}
    )


def workplan_detail(request, uid):
    workplan = get_object_or_404(workplan_selectors.workplans_list(), uid=uid)
    return render(
        request,
        "workplans/workplan_detail.html",
        {
            "workplan": workplan,
            "progress": workplan_selectors.workplan_progress(
                viewer=request.user, workplan=workplan
            ),
        },
    )


def search(request):
    form = SearchForm(request.GET or None)
    results, searched = [], False
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["participant"]):
        searched = True
        results = search_module.search(
            viewer=request.user,
            query=form.cleaned_data["q"],
            year=form.cleaned_data["year"],
            participant=form.cleaned_data["participant"],
            kind=form.cleaned_data["kind"],
            pages=search_module.requested_pages(request.GET),
        )
    return render(
        request,
        "search.html",
        {
            "form": form,
            "results": search_module.with_page_links(results, request.GET),
            "searched": searched,
            "search_query": request.GET.get("q", ""),
        },
    )
