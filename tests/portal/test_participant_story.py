"""A participant's page tells its story: attendance per year, roles over time (its terms in a
dialogue, the meetings it chaired, co-chaired, hosted), statements by topic and year, action
points; each figure equals a direct count at two sizes, its lists are paged, its queries
fixed."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import ActionPoint, Delegation, Meeting, Statement
from participants.models import RoleAssignment
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    DelegationFactory,
    DialogueFactory,
    MeetingFactory,
    StateFactory,
    StatementFactory,
    ThematicFocusFactory,
    delegate_user,
)
from tests.portal.test_analytics import topic_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2019, 6, 1)


@pytest.fixture
def turkiye():
    return StateFactory(name="Türkiye", slug="turkiye")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def grow(participant, dialogue, round_: int):
    """Meetings it attended, spoke and was given action points at, over 2015-2018, public and
    for participants, published and not."""
    for n, year in enumerate(range(2015, 2019)):
        for visibility, record in (("public", "published"), ("participants", "published")):
            meeting = MeetingFactory(
                dialogue=dialogue,
                start_date=datetime.date(year, 2 + round_, 1 + n),
                visibility=visibility,
                record_status=record if (n + round_) % 3 else "draft",
                thematic_focus=ThematicFocusFactory(dialogue=dialogue) if n % 3 == 1 else None,
                topic="Integration" if n % 3 == 2 else "",
            )
            DelegationFactory(meeting=meeting, participant=participant)
            item = AgendaItemFactory(meeting=meeting, title=f"Topic {round_}")
            StatementFactory(agenda_item=item, speakers=[participant])
            StatementFactory(agenda_item=item, speakers=[participant, StateFactory()])
            point = ActionPointFactory(
                meeting=meeting,
                status=ActionPoint.Status.DONE if n % 2 else ActionPoint.Status.OPEN,
                due_date=meeting.start_date + datetime.timedelta(days=30 + 400 * round_),
            )
            point.responsible.set([participant])


def story(client, participant):
    response = client.get(reverse("participant-detail", args=[participant.slug]))
    assert response.status_code == 200
    return {figure.slug: figure for figure in response.context["figures"]}, response


def expected(participant, delegate: bool):
    seen = Meeting.objects.filter(
        visibility__in=["public", "participants"] if delegate else ["public"]
    )
    published = seen.filter(record_status="published")
    years = range(2015, 2019)
    statements = Statement.objects.filter(agenda_item__meeting__in=published, speakers=participant)
    topics = sorted({topic_of(s) for s in statements})

    def said(topic, year):
        return sum(
            1
            for s in statements.filter(agenda_item__meeting__start_date__year=year)
            if topic_of(s) == topic
        )

    points = ActionPoint.objects.filter(meeting__in=published, responsible=participant)
    return {
        "attendance": [
            [
                y,
                Delegation.objects.filter(
                    participant=participant,
                    meeting__in=seen.filter(status="held", start_date__year=y),
                ).count(),
            ]
            for y in years
        ],
        "statements": [[t, *(said(t, y) for y in years)] for t in topics],
        "action-points": [
            [
                y,
                points.filter(meeting__start_date__year=y).count(),
                points.filter(meeting__start_date__year=y, status="done").count(),
                points.filter(
                    meeting__start_date__year=y, due_date__lt=TODAY, status="open"
                ).count(),
            ]
            for y in years
        ],
    }


@pytest.mark.parametrize("delegate", [False, True])
def test_its_figures_equal_a_direct_count_at_two_sizes(client, turkiye, delegate):
    dialogue = DialogueFactory()
    if delegate:
        client.force_login(delegate_user(dialogue))
    for round_ in (1, 2):
        grow(turkiye, dialogue, round_)
        figures, page = story(client, turkiye)
        for slug, rows in expected(turkiye, delegate).items():
            assert figures[slug].rows == rows, slug
            assert f'aria-labelledby="{figures[slug].caption_id}"' in page.text


def test_roles_over_time_from_its_terms_and_the_meetings_it_chaired_and_hosted(client, turkiye):
    """As the demo has it: Turkey chaired the dialogue in 2016 and the 24th meeting it hosted
    in Antalya; it is to chair and host the consultation in Istanbul in 2017, a meeting for
    participants only."""
    dialogue = DialogueFactory(name="Budapest Process")
    RoleAssignment.objects.create(
        dialogue=dialogue,
        participant=turkiye,
        role="chair",
        valid_from=datetime.date(2016, 1, 1),
        valid_to=datetime.date(2016, 12, 31),
    )
    hungary = StateFactory(name="Hungary")
    MeetingFactory(dialogue=dialogue, chair=turkiye, co_chair=hungary, host_country=turkiye)
    MeetingFactory(
        dialogue=dialogue,
        start_date=datetime.date(2017, 3, 1),
        status="planned",
        visibility="participants",
        chair=turkiye,
        host_country=turkiye,
    )
    MeetingFactory(
        dialogue=dialogue, start_date=datetime.date(2018, 3, 1), status="cancelled", chair=turkiye
    )
    figures, page = story(client, turkiye)
    assert figures["roles"].columns == ["Role", "2016"]
    assert figures["roles"].rows == [
        ["Chair of Budapest Process", 1],
        ["Meetings chaired", 1],
        ["Meetings hosted", 1],
    ]
    assert '<h2 id="figure-roles-caption">Roles over time</h2>' in page.text
    client.force_login(delegate_user(dialogue))
    figures, _ = story(client, turkiye)
    assert figures["roles"].rows == [
        ["Chair of Budapest Process", 1, 0],
        ["Meetings chaired", 1, 1],
        ["Meetings hosted", 1, 1],
    ]
    assert story(client, hungary)[0]["roles"].rows == [["Meetings co-chaired", 1]]


def test_a_figure_downloads_as_csv(client, turkiye):
    grow(turkiye, DialogueFactory(), 1)
    url = reverse("participant-detail", args=[turkiye.slug])
    response = client.get(url, {"figure": "attendance", "format": "csv"})
    assert response.status_code == 200
    assert 'filename="turkiye-attendance.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Year", "Meetings attended"],
        ["2015", "1"],
        ["2016", "1"],
        ["2017", "1"],
        ["2018", "1"],
    ]
    assert client.get(url, {"figure": "nothing", "format": "csv"}).status_code == 404
    assert (
        client.get(
            reverse("participant-detail", args=["nobody"]), {"figure": "roles", "format": "csv"}
        ).status_code
        == 404
    )


def test_its_lists_are_paged(client, turkiye):
    dialogue = DialogueFactory()
    for day in range(1, 26):
        meeting = MeetingFactory(dialogue=dialogue, start_date=datetime.date(2016, 1, day))
        DelegationFactory(meeting=meeting, participant=turkiye)
    url = reverse("participant-detail", args=[turkiye.slug])
    first = client.get(url)
    assert len(first.context["delegations"]) == 20
    assert "?meetings=2#meetings" in first.text
    second = client.get(url, {"meetings": 2})
    assert [d.meeting.start_date.day for d in second.context["delegations"]] == [5, 4, 3, 2, 1]
    # Out of range or not a number: the nearest page, never an error.
    assert client.get(url, {"meetings": "x", "statements": 99}).status_code == 200
    assert first.context["figures"][0].rows == [[2016, 25]]


def test_the_page_runs_a_fixed_number_of_queries(
    client, turkiye, django_assert_num_queries, settings
):
    # The story counted each time (its figures are kept until a write otherwise).
    settings.API_REPRESENTATION_CACHE_SECONDS = 0
    dialogue = DialogueFactory()
    RoleAssignment.objects.create(
        dialogue=dialogue, participant=turkiye, role="chair", valid_from=datetime.date(2016, 1, 1)
    )
    client.force_login(delegate_user(dialogue))
    url = reverse("participant-detail", args=[turkiye.slug])
    grow(turkiye, dialogue, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    queries = len(small)  # now: the connection keeps only its last 9,000 queries
    grow(turkiye, dialogue, 2)
    MeetingFactory(dialogue=dialogue, chair=turkiye, host_country=turkiye)
    with django_assert_num_queries(queries):
        client.get(url)


def test_the_story_is_kept_until_written_for_each_audience_apart(client, turkiye):
    dialogue = DialogueFactory()
    grow(turkiye, dialogue, 1)
    delegate = Client()
    delegate.force_login(delegate_user(dialogue))

    def attended(reader):
        figures, _response = story(reader, turkiye)
        return sum(row[1] for row in figures["attendance"].rows)

    # Each audience first, then again from the kept story: never the other's counts.
    public, for_delegates = attended(client), attended(delegate)
    assert for_delegates > public
    assert (attended(client), attended(delegate)) == (public, for_delegates)
    Delegation.objects.filter(participant=turkiye, meeting__visibility="public").delete()
    assert attended(client) == 0
    assert attended(delegate) == for_delegates - public
