"""The portal's pages: what they show, what they cost in queries, the security headers, the
delegate's calendar feed and password reset."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bpdialogue.representations import bump
from meetings.models import Meeting
from participants.models import CalendarFeed, ExternalIdentifier
from tests.factories import (
    ActionPointFactory,
    ActivityFactory,
    AgendaItemFactory,
    ConclusionFactory,
    DelegationFactory,
    MeetingFactory,
    OrganisationFactory,
    ProjectFactory,
    SiteFactory,
    StateFactory,
    StatementFactory,
    UserFactory,
    WorkingGroupFactory,
    WorkplanFactory,
    delegate_user,
)

pytestmark = pytest.mark.django_db


def test_the_meeting_page_reads_like_the_published_record(client, demo):
    text = client.get(demo.get_absolute_url()).text
    assert "<strong>50 participants from 22 countries</strong>" in text
    # The record's statements and conclusions, in the words and names of 2016.
    assert "Iran underlined that there is need for a collective response" in text
    assert "The participating countries welcome the proposed dialogue" in text
    assert "In closing, the Secretariat shortly summarised the discussions" in text
    assert "15 December 2016" in text
    assert 'class="statements"' in text


def test_the_meetings_list_filters_by_year_kind_working_group_and_country(client):
    group = WorkingGroupFactory()
    country = StateFactory(slug="serbia")
    wanted = MeetingFactory(
        title="Wanted",
        kind="working_group",
        working_group=group,
        start_date=datetime.date(2016, 10, 12),
    )
    DelegationFactory(meeting=wanted, participant=country)
    MeetingFactory(
        title="Wrong year",
        kind="working_group",
        working_group=group,
        start_date=datetime.date(2015, 10, 12),
    )
    MeetingFactory(title="Wrong kind", start_date=datetime.date(2016, 3, 1))
    response = client.get(
        reverse("meeting-list"),
        {"year": 2016, "kind": "working_group", "working_group": group.uid, "country": "serbia"},
    )
    assert [m.title for m in response.context["meetings"]] == ["Wanted"]


def test_a_bad_filter_is_a_field_error_not_a_500(client):
    response = client.get(reverse("meeting-list"), {"year": "abc", "country": "atlantis"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"year", "country"}


def test_the_calendar_lists_the_year_month_by_month(client):
    MeetingFactory(title="Spring meeting", start_date=datetime.date(2016, 5, 24))
    response = client.get(reverse("meeting-calendar"), {"year": 2016})
    months = dict(response.context["months"])
    assert [m.title for m in months[datetime.date(2016, 5, 1)]] == ["Spring meeting"]
    assert len(months) == 12
    # Not a year: said so, instead of silently showing another one.
    assert client.get(reverse("meeting-calendar"), {"year": "x"}).status_code == 400


def test_the_calendar_opens_on_the_year_with_meetings_nearest_to_today(client):
    today = timezone.localdate()
    MeetingFactory(title="Long ago", start_date=datetime.date(today.year - 6, 3, 1))
    MeetingFactory(title="Lately", start_date=datetime.date(today.year - 2, 3, 1))
    MeetingFactory(title="Next", start_date=datetime.date(today.year + 2, 3, 1))
    response = client.get(reverse("meeting-calendar"))
    # Two years back and two ahead are as near: what comes next wins.
    assert response.context["year"] == today.year + 2
    page = response.text
    assert f"Previous year, {today.year + 1}" in page and f"Next year, {today.year + 3}" in page

    MeetingFactory(title="This year", start_date=datetime.date(today.year, 1, 2))
    assert client.get(reverse("meeting-calendar")).context["year"] == today.year


def test_every_response_carries_a_strict_content_security_policy(client, demo):
    for url in (reverse("home"), demo.get_absolute_url(), reverse("search") + "?q=return"):
        header = client.get(url)["Content-Security-Policy"]
        # Directives in any order: "name value value; name value".
        policy = dict(directive.strip().split(" ", 1) for directive in header.split(";"))
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'" and "unsafe-inline" not in header
        assert policy["style-src"] == "'self'"


def test_pages_have_no_inline_scripts_or_styles(client, demo):
    for url in (reverse("home"), demo.get_absolute_url(), reverse("login")):
        text = client.get(url).text
        assert "style=" not in text
        assert "<style" not in text
        assert "<script>" not in text and " onclick=" not in text


def test_the_personal_calendar_feed_shows_what_its_owner_may_see(client):
    delegate = delegate_user(MeetingFactory(visibility="participants", title="Closed").dialogue)
    MeetingFactory(visibility="participants", title="Elsewhere")
    client.force_login(delegate)
    client.get(reverse("account"))
    token = CalendarFeed.objects.get(user=delegate).token
    client.logout()

    feed = client.get(reverse("personal-calendar", kwargs={"token": token}))

    assert feed["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY:Closed" in feed.content and b"Elsewhere" not in feed.content
    # Its address is the credential: no shared cache keeps it.
    assert feed["Cache-Control"] == "private, no-store"
    assert feed["Content-Disposition"] == 'inline; filename="bpdialogue.ics"'
    assert client.get(reverse("personal-calendar", kwargs={"token": "guess"})).status_code == 404


def test_replacing_the_calendar_address_retires_the_old_one(client):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("account"))
    old = CalendarFeed.objects.get(user=user).token
    response = client.post(reverse("calendar-regenerate"), follow=True)
    new = CalendarFeed.objects.get(user=user).token
    assert new != old and new in response.text
    assert client.get(reverse("personal-calendar", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("personal-calendar", kwargs={"token": new})).status_code == 200


def test_a_delegate_can_reset_a_forgotten_password_by_e_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="amina", email="amina@example.org")
    # The e-mail goes out from a task once the request's work is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_reset"), {"email": "amina@example.org"}, follow=True
        )
    assert "Check your e-mail" in response.text
    [message] = mailoutbox
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    form = client.get(link.split("testserver", 1)[1], follow=True)
    assert "Choose a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"},
        follow=True,
    )
    assert "Password set" in done.text
    signed_in = client.post(
        reverse("login"), {"username": "amina", "password": "a new long passphrase 42"}
    )
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session


# -- fixed query counts ------------------------------------------------------------------------


def grow_meeting(meeting, n):
    for _ in range(n):
        item = AgendaItemFactory(meeting=meeting)
        StatementFactory(agenda_item=item, speakers=[StateFactory()])
        ConclusionFactory(meeting=meeting)
        ActionPointFactory(meeting=meeting)
        DelegationFactory(meeting=meeting)


def assert_fixed_queries(client, url, grow, django_assert_num_queries):
    """The page costs the same number of queries before and after `grow` adds rows."""
    grow()
    client.get(url)  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Measured as after a write: what is kept until one (a participant's story) is counted.
    bump()
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_num_queries(len(before)):
        assert client.get(url).status_code == 200
    return len(before)


def test_meeting_pages_and_lists_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    meeting = MeetingFactory()
    grow_one = lambda: grow_meeting(meeting, 3)  # noqa: E731
    grow_many = lambda: MeetingFactory.create_batch(5, dialogue=meeting.dialogue)  # noqa: E731
    assert (
        assert_fixed_queries(
            client, meeting.get_absolute_url(), grow_one, django_assert_num_queries
        )
        <= 14
    )
    assert_fixed_queries(client, reverse("meeting-list"), grow_many, django_assert_num_queries)
    assert_fixed_queries(
        client, reverse("meeting-calendar") + "?year=2016", grow_many, django_assert_num_queries
    )
    assert_fixed_queries(client, reverse("home"), grow_many, django_assert_num_queries)


def test_participant_project_and_workplan_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    state = StateFactory()
    project = ProjectFactory()
    workplan = WorkplanFactory(dialogue=project.dialogue)

    def grow():
        for _ in range(3):
            meeting = MeetingFactory()
            DelegationFactory(meeting=meeting, participant=state)
            StatementFactory(agenda_item=AgendaItemFactory(meeting=meeting), speakers=[state])
            child = ProjectFactory(parent=project, dialogue=project.dialogue)
            child.beneficiary_countries.add(state)
            SiteFactory(project=project)
            ActivityFactory(workplan=workplan, project=project, realised_by=meeting)

    for url in (
        reverse("participant-detail", args=[state.slug]),
        reverse("participant-list"),
        reverse("project-detail", args=[project.slug]),
        reverse("project-list"),
        reverse("workplan-detail", args=[workplan.uid]),
        reverse("workplan-list"),
    ):
        assert_fixed_queries(client, url, grow, django_assert_num_queries)


def test_a_signed_in_delegate_pays_a_fixed_number_of_queries_too(client, django_assert_num_queries):
    meeting = MeetingFactory(
        visibility="participants", record_status=Meeting.RecordStatus.PUBLISHED
    )
    client.force_login(delegate_user(meeting.dialogue))
    assert_fixed_queries(
        client,
        meeting.get_absolute_url(),
        lambda: grow_meeting(meeting, 2),
        django_assert_num_queries,
    )


def test_links_to_meetings_one_may_not_know_of_are_left_out(client):
    closed = MeetingFactory(visibility="participants", title="Closed workshop")
    workplan = WorkplanFactory(dialogue=closed.dialogue)
    ActivityFactory(workplan=workplan, realised_by=closed, status="done")
    open_meeting = MeetingFactory(dialogue=closed.dialogue, visibility="public")
    ActionPointFactory(meeting=open_meeting, fulfilled_by=closed, status="done")
    pages = (reverse("workplan-detail", args=[workplan.uid]), open_meeting.get_absolute_url())

    assert not any("Closed workshop" in client.get(url).text for url in pages)
    client.force_login(delegate_user(closed.dialogue))
    assert all("Closed workshop" in client.get(url).text for url in pages)


def test_only_the_secretariat_is_shown_the_way_to_its_workspace(client):
    client.force_login(delegate_user(MeetingFactory().dialogue))
    assert 'href="/secretariat/"' not in client.get(reverse("home")).text
    client.force_login(UserFactory(secretariat=True))
    assert 'href="/secretariat/"' in client.get(reverse("home")).text


def test_a_profile_names_each_identifier_once_and_an_acronym_only_when_it_differs(client):
    iran = StateFactory(name="Iran", iso_code="IR")
    ExternalIdentifier.objects.create(
        participant=iran, scheme=ExternalIdentifier.Scheme.ISO_3166_1_ALPHA_2, value="IR"
    )
    ExternalIdentifier.objects.create(
        participant=iran, scheme=ExternalIdentifier.Scheme.ISO_3166_1_ALPHA_3, value="IRN"
    )
    page = client.get(reverse("participant-detail", args=[iran.slug])).text
    assert page.count("<dt>ISO 3166-1 alpha-2</dt><dd>IR</dd>") == 1
    assert "<dt>ISO 3166-1 alpha-3</dt><dd>IRN</dd>" in page
    assert "ISO code" not in page

    frontex = OrganisationFactory(name="Frontex", acronym="Frontex")
    iom = OrganisationFactory(name="International Organization for Migration", acronym="IOM")
    assert "<h1>Frontex</h1>" in client.get(reverse("participant-detail", args=[frontex.slug])).text
    listing = client.get(reverse("participant-list")).text
    assert "Frontex (Frontex)" not in listing and ">Frontex</a>" in listing
    assert f"{iom.name} (IOM)" in listing
