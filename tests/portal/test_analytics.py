"""The dialogue in numbers (/analytics/): every figure's table equals a direct count of the
data, as far as the viewer may see it, at two sizes; the CSV is the table; the page costs a
fixed number of queries."""

import csv
import datetime
import io
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import ActionPoint, Delegation, Meeting, Registration, Statement
from participants.models import Participant
from projects.models import ProjectPartner
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    CooperationFrameworkFactory,
    DelegationFactory,
    DialogueFactory,
    MeetingFactory,
    OrganisationFactory,
    ProjectFactory,
    RegistrationFactory,
    StateFactory,
    StatementFactory,
    ThematicFocusFactory,
    UserFactory,
    delegate_user,
)
from workplans.models import FrameworkCadence

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2019, 6, 1)
# Every combination of what decides whether a meeting counts: where it is seen, whether its
# record is out, whether it was held.
KINDS_OF_MEETING = list(
    itertools.product(
        ["public", "participants", "secretariat"],
        [Meeting.RecordStatus.PUBLISHED, Meeting.RecordStatus.DRAFT],
        [Meeting.Status.HELD, Meeting.Status.PLANNED],
    )
)


def grow(dialogue, participants, round_: int):
    """A meeting of every kind in each of the years 2015-2018 (a round later, more), with
    delegations, registrations, statements, action points; and a funded project."""
    for n, (year, (visibility, record, status)) in enumerate(
        itertools.product(range(2015, 2019), KINDS_OF_MEETING)
    ):
        meeting = MeetingFactory(
            dialogue=dialogue,
            start_date=datetime.date(year, 1 + (n + round_) % 12, 10),
            visibility=visibility,
            record_status=record,
            status=status,
            thematic_focus=ThematicFocusFactory(dialogue=dialogue) if n % 3 == 0 else None,
            topic="Integration" if n % 3 == 1 else "",
        )
        attending = participants[(n + round_) % 3 :][: 2 + n % 3]
        for participant in attending:
            DelegationFactory(meeting=meeting, participant=participant)
            RegistrationFactory(
                meeting=meeting,
                participant=participant,
                status=Registration.Status.CONFIRMED if n % 4 else Registration.Status.NOMINATED,
            )
        item = AgendaItemFactory(meeting=meeting, title=f"Topic {n % 2}")
        StatementFactory(agenda_item=item, speakers=attending[:2])
        StatementFactory(agenda_item=item, speakers=attending[-1:])
        for position, ap_status in enumerate(ActionPoint.Status.values, start=1):
            ActionPointFactory(
                meeting=meeting,
                position=position,
                status=ap_status,
                due_date=meeting.start_date + datetime.timedelta(days=100 * position),
            )
    project = ProjectFactory(
        dialogue=dialogue, budget_amount=Decimal("1000.50") * round_, budget_currency="EUR"
    )
    project.beneficiary_countries.set(participants[: 1 + round_])
    ProjectPartner.objects.create(
        project=project,
        participant=participants[round_ % 2],
        role=ProjectPartner.Role.FUNDER,
        contribution_amount=Decimal("250") * round_,
        contribution_currency="EUR",
    )


@pytest.fixture
def dialogue():
    dialogue = DialogueFactory()
    framework = CooperationFrameworkFactory(dialogue=dialogue, first_year=2016, last_year=2017)
    FrameworkCadence.objects.create(
        framework=framework, meeting_kind="senior_officials", per_year=1
    )
    FrameworkCadence.objects.create(framework=framework, meeting_kind="working_group", per_year=3)
    return dialogue


@pytest.fixture
def participants():
    return [
        StateFactory(name="Hungary"),
        StateFactory(name="Türkiye"),
        OrganisationFactory(name="ICMPD"),
        StateFactory(name="Pakistan"),
    ]


VISIBLE = {
    "anonymous": ["public"],
    "delegate": ["public", "participants"],
    "secretariat": ["public", "participants", "secretariat"],
}


def viewer(client, role, dialogue):
    if role == "delegate":
        client.force_login(delegate_user(dialogue))
    elif role == "secretariat":
        client.force_login(UserFactory(secretariat=True))


def expected_figures(dialogue, role, participants):
    """Each figure's rows, counted one number at a time with plain ORM filters."""
    seen = Meeting.objects.filter(dialogue=dialogue, visibility__in=VISIBLE[role])
    held = seen.filter(status="held")
    records = seen if role == "secretariat" else seen.filter(record_status="published")
    years = range(2015, 2019)
    framework_years = {2016: 4, 2017: 4}
    figures = {
        "meetings": [
            [
                y,
                seen.filter(start_date__year=y, status="held").count(),
                seen.filter(start_date__year=y, status="planned").count(),
                framework_years.get(y, 0),
            ]
            for y in years
        ]
    }
    registrations = Registration.objects.filter(meeting__in=held, status="confirmed")
    if role != "secretariat":  # personal data: as the published lists of participants say
        registrations = registrations.filter(meeting__record_status="published")
    figures["participation"] = [
        [
            y,
            Participant.objects.filter(
                kind="state", delegations__meeting__in=held.filter(start_date__year=y)
            )
            .distinct()
            .count(),
            Participant.objects.filter(
                kind="organisation", delegations__meeting__in=held.filter(start_date__year=y)
            )
            .distinct()
            .count(),
            registrations.filter(meeting__start_date__year=y).values("person").distinct().count(),
        ]
        for y in years
    ]
    attending = sorted(
        {d.participant for d in Delegation.objects.filter(meeting__in=held)},
        key=lambda p: p.sort_name,
    )
    figures["attendance"] = [
        [
            p.name,
            *(
                Delegation.objects.filter(
                    meeting__in=held.filter(start_date__year=y), participant=p
                ).count()
                for y in years
            ),
        ]
        for p in attending
    ]
    statements = Statement.objects.filter(agenda_item__meeting__in=records)
    spoken = [s for s in statements if s.speakers.exists()]
    topics = sorted({topic_of(s) for s in spoken})

    def said(p, topic):
        return sum(1 for s in spoken if topic_of(s) == topic and p in s.speakers.all())

    speakers = sorted({p for s in statements for p in s.speakers.all()}, key=lambda p: p.sort_name)
    figures["statements"] = [[p.name, *(said(p, t) for t in topics)] for p in speakers]
    points = ActionPoint.objects.filter(meeting__in=records)
    figures["action-points"] = [
        [
            y,
            points.filter(meeting__start_date__year=y).count(),
            points.filter(meeting__start_date__year=y, status="done").count(),
            points.filter(meeting__start_date__year=y, due_date__lt=TODAY)
            .exclude(status__in=["done", "dropped"])
            .count(),
        ]
        for y in years
    ]
    funders = []
    for p in participants:
        contributions = ProjectPartner.objects.filter(
            participant=p, role="funder", project__dialogue=dialogue
        )
        if contributions:
            total = sum(c.contribution_amount for c in contributions)
            funders.append([p.name, "EUR", total, contributions.count()])
    figures["budgets-by-funder"] = sorted(funders, key=lambda r: (-r[2], r[0]))
    countries = []
    for p in participants:
        projects = p.benefiting_projects.filter(dialogue=dialogue)
        if projects:
            total = sum(project.budget_amount for project in projects)
            countries.append([p.name, "EUR", total, projects.count()])
    figures["budgets-by-country"] = sorted(countries, key=lambda r: (-r[2], r[0]))
    return figures


def topic_of(statement):
    meeting = statement.agenda_item.meeting
    if meeting.thematic_focus:
        return meeting.thematic_focus.title
    return meeting.topic or statement.agenda_item.title


def cells(row):
    """A row to compare: amounts as numbers (250 is 250.00), the rest as text."""
    return [cell if isinstance(cell, Decimal) else str(cell) for cell in row]


def csv_rows(client, dialogue, figure):
    response = client.get(
        reverse("analytics"), {"dialogue": dialogue.slug, "figure": figure, "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{dialogue.slug}-{figure}.csv"' in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("role", VISIBLE)
def test_every_figure_equals_a_direct_count_at_two_sizes(
    client, dialogue, participants, role, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    viewer(client, role, dialogue)
    for round_ in (1, 2):
        grow(dialogue, participants, round_)
        expected = expected_figures(dialogue, role, participants)
        page = client.get(reverse("analytics"), {"dialogue": dialogue.slug})
        assert page.status_code == 200
        figures = {figure.slug: figure for figure in page.context["figures"]}
        assert list(figures) == list(expected)
        for slug, rows in expected.items():
            figure = figures[slug]
            assert [cells(row) for row in figure.rows] == [cells(row) for row in rows], slug
            as_text = [[str(cell) for cell in row] for row in figure.rows]
            # The CSV is the same table under its header; the page draws its plot.
            assert csv_rows(client, dialogue, slug) == [figure.columns, *as_text]
            assert f'aria-labelledby="{figure.caption_id}"' in page.text


def test_a_participants_only_meeting_counts_for_a_delegate_of_its_dialogue_only(client):
    dialogue = DialogueFactory()
    state = StateFactory()
    MeetingFactory(dialogue=dialogue, start_date=datetime.date(2016, 5, 1))
    closed = MeetingFactory(
        dialogue=dialogue, start_date=datetime.date(2016, 9, 1), visibility="participants"
    )
    DelegationFactory(meeting=closed, participant=state)

    def held_in_2016():
        page = client.get(reverse("analytics"), {"dialogue": dialogue.slug})
        (meetings,) = [f for f in page.context["figures"] if f.slug == "meetings"]
        return meetings.rows[0][1]

    assert held_in_2016() == 1
    assert state.name not in client.get(reverse("analytics")).text
    client.force_login(delegate_user(DialogueFactory()))  # of another dialogue
    assert held_in_2016() == 1
    client.force_login(delegate_user(dialogue))
    assert held_in_2016() == 2
    assert state.name in client.get(reverse("analytics"), {"dialogue": dialogue.slug}).text


def test_the_page_draws_each_plot_labelled_by_its_caption_beside_its_table(
    client, dialogue, participants
):
    grow(dialogue, participants, 1)
    page = client.get(reverse("analytics"), {"dialogue": dialogue.slug}).text
    assert page.count('<svg class="plot"') >= 7
    assert 'role="img" aria-labelledby="figure-participation-caption"' in page
    assert '<h2 id="figure-participation-caption">Participation per year</h2>' in page
    assert "style=" not in page and "<script>" not in page  # the CSP refuses both
    assert f"?dialogue={dialogue.slug}&amp;figure=attendance&amp;format=csv" in page


def test_an_unknown_figure_is_not_found_and_no_dialogue_is_an_empty_page(client):
    assert "No dialogue to count yet." in client.get(reverse("analytics")).text
    dialogue = DialogueFactory()
    MeetingFactory(dialogue=dialogue)
    response = client.get(reverse("analytics"), {"figure": "nothing", "format": "csv"})
    assert response.status_code == 404
    # An unknown dialogue shows the busiest one the viewer sees.
    assert client.get(reverse("analytics"), {"dialogue": "nope"}).context["dialogue"] == dialogue


def test_the_page_runs_a_fixed_number_of_queries(
    client, dialogue, participants, django_assert_num_queries, settings
):
    # The figures counted each time (a reading not kept: test_figures_are_kept_until_written).
    settings.API_REPRESENTATION_CACHE_SECONDS = 0
    client.force_login(delegate_user(dialogue))
    url = reverse("analytics") + f"?dialogue={dialogue.slug}"
    grow(dialogue, participants, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    # Counted now: the connection keeps the last 9,000 queries only, and grow() runs many.
    queries = len(small)
    assert queries <= 14
    grow(dialogue, participants, 2)
    for _ in range(6):  # more participants, more projects
        state = StateFactory()
        DelegationFactory(
            meeting=Meeting.objects.filter(dialogue=dialogue).first(), participant=state
        )
        ProjectFactory(dialogue=dialogue).beneficiary_countries.set([state])
    with django_assert_num_queries(queries):
        client.get(url)
    csv_url = url + "&figure=attendance&format=csv"
    client.get(csv_url)
    with CaptureQueriesContext(connection) as one:
        client.get(csv_url)
    assert len(one) < queries


def test_figures_are_kept_until_written_for_each_audience_apart(client, dialogue, participants):
    grow(dialogue, participants, 1)
    url = reverse("analytics") + f"?dialogue={dialogue.slug}"
    delegate = Client()
    delegate.force_login(delegate_user(dialogue))  # a write (last_login): before any count

    def meetings_counted(reader):
        with CaptureQueriesContext(connection) as queries:
            figure = reader.get(url).context["figures"][0]
        # Whether the figures were counted: only they read statements and delegations.
        counted = any(
            table in query["sql"]
            for query in queries
            for table in ('"meetings_statement"', '"meetings_delegation"')
        )
        return sum(row[1] for row in figure.rows), counted

    # Either audience first: neither is ever shown what was counted for the other.
    public_first, counted = meetings_counted(client)
    assert counted
    delegate_first, counted = meetings_counted(delegate)
    assert counted and delegate_first > public_first
    assert meetings_counted(client) == (public_first, False)
    assert meetings_counted(delegate) == (delegate_first, False)

    # Any write recounts, through a service or not.
    Meeting.objects.filter(dialogue=dialogue, visibility="participants").update(visibility="public")
    assert meetings_counted(client)[0] == delegate_first
    MeetingFactory(dialogue=dialogue, start_date=datetime.date(2016, 3, 1), status="held")
    assert meetings_counted(delegate)[0] == delegate_first + 1
