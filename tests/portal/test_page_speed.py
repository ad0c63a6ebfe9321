"""The portal's pages at full scale (#13): a fixed number of queries whatever the number of
rows (measured with 1 and 10 times as many), paged lists that keep their order, and indexes
PostgreSQL uses for the lists' order."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpdialogue.representations import bump
from meetings.models import Meeting
from portal.forms import MeetingFilterForm
from portal.selectors import PROFILE_PER_PAGE
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    ConclusionFactory,
    DelegationFactory,
    MeetingFactory,
    ParticipantNameFactory,
    StateFactory,
    StatementFactory,
    WorkingGroupFactory,
    delegate_user,
)

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def same_queries_at_1_and_10_times(client, url, grow) -> int:
    """`grow(n)` adds n units of rows; the page costs as many queries after 1 as after 10."""
    grow(1)
    client.get(url)  # warm what is cached per process (content types, sessions)
    # Measured as after a write: what is kept until one (a participant's story) is counted.
    bump()
    once = queries(client, url)
    grow(9)
    assert queries(client, url) == once
    return once


def day(n: int) -> datetime.date:
    return datetime.date(2000, 1, 1) + datetime.timedelta(days=n)


# -- a participant's page: its lists are paged, each with its own pager -----------------------


@pytest.fixture
def busy_state():
    state = StateFactory(name="Türkiye", slug="turkiye")
    ParticipantNameFactory(participant=state, name="Turkey", valid_to=datetime.date(2022, 5, 31))
    return state


def attend(state, n: int, start: int = 0):
    """`n` meetings, a day apart, each with a delegation, two statements and an action point
    of `state`."""
    for i in range(start, start + n):
        meeting = MeetingFactory(start_date=day(i), title=f"Meeting of day {i}")
        DelegationFactory(meeting=meeting, participant=state)
        item = AgendaItemFactory(meeting=meeting, position=1)
        StatementFactory(agenda_item=item, position=2, speakers=[state], text=f"Second {i}")
        StatementFactory(agenda_item=item, position=1, speakers=[state], text=f"First {i}")
        ActionPointFactory(meeting=meeting, position=1).responsible.add(state)


def test_a_participants_page_costs_the_same_queries_for_10_times_the_meetings(client, busy_state):
    def grow(n):
        attend(busy_state, n * 3, start=busy_state.delegations.count())

    same_queries_at_1_and_10_times(
        client, reverse("participant-detail", args=[busy_state.slug]), grow
    )


def test_a_participants_lists_are_paged_newest_first_each_with_its_own_pager(client, busy_state):
    attend(busy_state, PROFILE_PER_PAGE + 5)
    url = reverse("participant-detail", args=[busy_state.slug])
    first = client.get(url).context
    assert [d.meeting.start_date for d in first["delegations"]] == [
        day(i) for i in range(PROFILE_PER_PAGE + 4, 4, -1)
    ]
    assert first["delegations"].paginator.count == PROFILE_PER_PAGE + 5
    # Within a meeting its statements keep the record's order (position 1 before 2).
    statements = first["statements"]
    assert statements.paginator.count == 2 * (PROFILE_PER_PAGE + 5)
    assert [s.text for s in statements][:4] == ["First 24", "Second 24", "First 23", "Second 23"]
    assert first["action_points"].paginator.num_pages == 2

    second = client.get(url + "?meetings=2").context
    assert [d.meeting.start_date for d in second["delegations"]] == [
        day(i) for i in range(4, -1, -1)
    ]
    # The other lists stay on their first page.
    assert second["statements"].number == 1 and second["action_points"].number == 1
    # A page past the end is the last one; a page that is no number the first (as
    # Paginator.get_page has it).
    assert client.get(url + "?statements=99").context["statements"].number == 3
    assert client.get(url + "?statements=x").context["statements"].number == 1
    body = client.get(url).content.decode()
    assert "?meetings=2#meetings" in body and "?statements=2#statements" in body


def test_a_participants_page_lists_only_what_the_viewer_may_see(client, busy_state):
    attend(busy_state, 2)
    closed = MeetingFactory(visibility="participants", start_date=day(50), title="Closed one")
    DelegationFactory(meeting=closed, participant=busy_state)
    draft = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT, start_date=day(60))
    StatementFactory(agenda_item=AgendaItemFactory(meeting=draft), speakers=[busy_state])
    url = reverse("participant-detail", args=[busy_state.slug])

    public = client.get(url).context
    assert public["delegations"].paginator.count == 2
    assert public["statements"].paginator.count == 4
    assert "Closed one" not in client.get(url).content.decode()

    client.force_login(delegate_user(closed.dialogue))
    delegate = client.get(url).context
    assert delegate["delegations"].paginator.count == 3
    assert delegate["delegations"][0].meeting == closed
    # A draft record stays the secretariat's.
    assert delegate["statements"].paginator.count == 4


# -- the meeting page ---------------------------------------------------------------------------


def test_the_meeting_page_costs_the_same_queries_for_10_times_the_record(client):
    meeting = MeetingFactory()

    def grow(n):
        for _ in range(n):
            state = StateFactory()
            ParticipantNameFactory(participant=state, valid_to=datetime.date(2010, 1, 1))
            DelegationFactory(meeting=meeting, participant=state)
            item = AgendaItemFactory(meeting=meeting)
            item.presenters.add(state)
            StatementFactory(agenda_item=item, speakers=[state, StateFactory()])
            AgendaItemFactory(meeting=meeting, parent=item, position=1)
            ConclusionFactory(meeting=meeting)
            ActionPointFactory(meeting=meeting).responsible.add(state)

    # The meeting, its delegations, agenda, statements, speakers, presenters, conclusions,
    # action points, their responsible, everyone's names (one query for all the lists), the
    # conclusions' references and the documents.
    assert same_queries_at_1_and_10_times(client, meeting.get_absolute_url(), grow) <= 12


def test_the_meeting_page_names_everyone_by_the_name_in_force_on_its_date(client):
    meeting = MeetingFactory(start_date=datetime.date(2016, 12, 15))
    state = StateFactory(name="Türkiye")
    ParticipantNameFactory(participant=state, name="Turkey", valid_to=datetime.date(2022, 5, 31))
    DelegationFactory(meeting=meeting, participant=state)
    item = AgendaItemFactory(meeting=meeting)
    item.presenters.add(state)
    StatementFactory(agenda_item=item, speakers=[state])
    ActionPointFactory(meeting=meeting).responsible.add(state)
    context = client.get(meeting.get_absolute_url()).context
    entry = context["record"].agenda[0]
    assert entry.item.presenter_names == ["Turkey"]
    assert entry.statements[0].speaker_names == ["Turkey"]
    assert context["record"].action_points[0].responsible_names == ["Turkey"]
    assert "Turkey" in context["attendance"].paragraph()
    assert "Türkiye" not in context["attendance"].paragraph()


# -- home and the meetings list -----------------------------------------------------------------


def test_home_shows_the_conclusions_of_the_latest_meeting_that_has_readable_ones(client):
    agreed = MeetingFactory(start_date=day(10), title="Agreed meeting")
    ConclusionFactory(meeting=agreed, position=2, text="Second conclusion")
    ConclusionFactory(meeting=agreed, position=1, text="First conclusion")
    ConclusionFactory(meeting=MeetingFactory(start_date=day(5)), text="Older conclusion")
    # Later ones without conclusions, or whose record the public may not read yet.
    MeetingFactory(start_date=day(20))
    draft = MeetingFactory(start_date=day(30), record_status=Meeting.RecordStatus.DRAFT)
    ConclusionFactory(meeting=draft, text="Draft conclusion")
    closed = MeetingFactory(start_date=day(40), visibility="participants")
    ConclusionFactory(meeting=closed, text="Participants' conclusion")

    latest = client.get(reverse("home")).context["latest_conclusions"]
    assert [c.text for c in latest] == ["First conclusion", "Second conclusion"]

    client.force_login(delegate_user(closed.dialogue))
    assert [c.text for c in client.get(reverse("home")).context["latest_conclusions"]] == [
        "Participants' conclusion"
    ]


def test_home_and_every_filtered_list_cost_the_same_queries_for_10_times_the_meetings(client):
    state = StateFactory(slug="hungary")
    group = WorkingGroupFactory()

    def grow(n):
        for i in range(n * 3):
            # Dates repeat from one call to the next: some pages see only newer meetings.
            meeting = MeetingFactory(
                start_date=day(i), host_country=state if i % 2 else None, working_group=group
            )
            DelegationFactory(meeting=meeting, participant=state)
            ConclusionFactory(meeting=meeting)

    urls = [
        reverse("home"),
        reverse("meeting-list"),
        reverse("meeting-list") + "?year=2000&page=2",
        reverse("meeting-list") + "?kind=senior_officials",
        reverse("meeting-list") + f"?working_group={group.uid}",
        reverse("meeting-list") + "?country=hungary",
        reverse("meeting-calendar") + "?year=2000",
    ]
    grow(1)
    counts = {}
    for url in urls:
        client.get(url)
        counts[url] = queries(client, url)
    grow(9)
    assert {url: queries(client, url) for url in urls} == counts


def test_the_meetings_list_is_newest_first_a_page_at_a_time(client):
    for i in range(30):
        MeetingFactory(start_date=day(i // 2), title=f"Meeting {i:02}")
    page = client.get(reverse("meeting-list")).context["page"]
    assert page.paginator.count == 30
    # Newest first; of two on the same day, the later made first (-start_date, -id).
    assert [m.title for m in page][:3] == ["Meeting 29", "Meeting 28", "Meeting 27"]
    assert [m.title for m in client.get(reverse("meeting-list") + "?page=2").context["page"]] == [
        f"Meeting {i:02}" for i in range(4, -1, -1)
    ]


def test_the_filters_render_as_djangos_select_does():
    MeetingFactory()
    StateFactory(name="Côte d'Ivoire & <Co>", slug="cote-divoire")
    form = MeetingFilterForm({"country": "cote-divoire", "year": "2016"}, years=[2016, 2015])
    assert form.is_valid()
    html = str(form["country"])
    assert html.startswith('<select name="country" id="id_country">')
    assert '<option value="">Any</option>' in html
    assert (
        '<option value="cote-divoire" selected>Côte d&#x27;Ivoire &amp; &lt;Co&gt;</option>' in html
    )
    assert '<option value="2016" selected>2016</option>' in str(form["year"])
    assert html.endswith("</select>")


# -- the indexes serve the lists' order (PostgreSQL) --------------------------------------------


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # With a handful of rows a sequential scan and a sort are cheapest; forbid them to
        # see whether an index can give the order at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgresql
def test_postgresql_reads_the_lists_in_index_order_without_sorting_them():
    from django.contrib.auth.models import AnonymousUser

    from meetings.selectors import MeetingFilters, meetings_filtered

    MeetingFactory.create_batch(3)
    public = meetings_filtered(viewer=AnonymousUser(), filters=MeetingFilters())[:25]
    assert "meeting_public_list_order" in plan(public) and "Sort" not in plan(public)
    kind = meetings_filtered(viewer=AnonymousUser(), filters=MeetingFilters(kind="training"))
    assert "Sort" not in plan(kind[:25])
    upcoming = Meeting.objects.filter(start_date__gte=day(0)).order_by("start_date", "id")[:3]
    assert "meeting_list_order" in plan(upcoming) and "Sort" not in plan(upcoming)
