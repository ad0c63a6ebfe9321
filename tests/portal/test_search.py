"""Search across the record: full-text on PostgreSQL, a word match on SQLite; both rank,
filter by year, speaker and kind, mark the words in a snippet, and respect the access policy."""

import datetime

import pytest
from django.urls import reverse

from portal.search import search
from tests.factories import (
    ActivityFactory,
    AgendaItemFactory,
    ConclusionFactory,
    MeetingFactory,
    ProjectFactory,
    StateFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def test_everything_iran_said_about_return_is_one_query_away(client, demo):
    response = client.get(reverse("search"), {"q": "return", "participant": "iran"})
    assert response.status_code == 200
    assert "said or done by Islamic Republic of Iran" in response.text
    hits = response.context["hits"]
    assert [hit.kind for hit in hits] == ["statement"]
    assert "sustainable <mark>return</mark>" in str(hits[0].snippet)
    assert hits[0].speakers == ["Islamic Republic of Iran"]
    assert hits[0].url.startswith(demo.get_absolute_url() + "#statement-")


def test_the_speaker_filter_takes_joint_statements_into_account(demo):
    iraq = demo.delegations.get(participant__iso_code="IQ").participant
    texts = [
        hit.snippet for hit in search(viewer=None, query="", participant=iraq, kind="statement")
    ]
    # Iraq spoke alone and jointly with Afghanistan and Pakistan.
    assert any("Iraq, Afghanistan and Pakistan appreciated" in text for text in texts)
    assert any("Iraq expressed that returns" in text for text in texts)


def test_hits_are_ranked_by_how_much_they_are_about_the_words():
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, record="")
    StatementFactory(agenda_item=item, text="Reintegration was mentioned once in passing.")
    StatementFactory(
        agenda_item=item,
        text="Reintegration, reintegration and again reintegration: the reintegration of returnees.",
    )
    hits = search(viewer=None, query="reintegration", kind="statement")
    assert [hit.snippet.count("<mark>") for hit in hits][0] >= 2
    assert hits[0].rank > hits[1].rank
    assert "again" in hits[0].snippet


def test_filters_by_year_and_kind():
    old = MeetingFactory(start_date=datetime.date(2015, 5, 1), title="Labour migration 2015")
    new = MeetingFactory(start_date=datetime.date(2017, 5, 1), title="Labour migration 2017")
    ConclusionFactory(meeting=new, text="Labour migration deserves a working group.")
    by_year = search(viewer=None, query="labour migration", year=2015)
    assert [hit.title for hit in by_year] == [old.title]
    by_kind = search(viewer=None, query="labour migration", kind="conclusion")
    assert [hit.kind for hit in by_kind] == ["conclusion"]


def test_projects_and_activities_are_found_too():
    project = ProjectFactory(title="Migrant Resource Centres", description="Centres in Islamabad.")
    ActivityFactory(title="Open a Migrant Resource Centre in Kabul", project=project)
    kinds = {hit.kind for hit in search(viewer=None, query="resource centre")}
    assert {"project", "activity"} <= kinds


def test_snippets_escape_the_record_and_mark_only_the_words():
    item = AgendaItemFactory(record="")
    StatementFactory(agenda_item=item, text="Voluntary <img src=x onerror=alert(1)> return matters")
    [hit] = search(viewer=None, query="voluntary", kind="statement")
    assert "<img" not in hit.snippet
    assert "&lt;img" in hit.snippet
    assert "<mark>Voluntary</mark>" in hit.snippet


def test_unpublished_and_closed_records_are_not_found_by_the_public():
    for visibility, status in (("participants", "published"), ("public", "adopted")):
        item = AgendaItemFactory(
            meeting=MeetingFactory(visibility=visibility, record_status=status)
        )
        StatementFactory(agenda_item=item, text="Confidential smuggling assessment")
    assert search(viewer=None, query="smuggling") == []


def test_an_unknown_participant_is_a_form_error_not_a_crash(client):
    response = client.get(reverse("search"), {"q": "return", "participant": "atlantis"})
    assert response.status_code == 200
    assert "No state or organisation matches" in response.text


def test_the_search_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    speaker = StateFactory(name="Iran")

    def make(n):
        for _ in range(n):
            item = AgendaItemFactory()
            StatementFactory(agenda_item=item, text="Return policy", speakers=[speaker])

    make(2)
    url = reverse("search") + "?q=return&participant=iran"
    # participant lookup, the participants' names (for names in the query), then per kind
    # searched (6 with a participant: conclusions have no speaker) one query, plus speakers and
    # their names for statements, plus one for the records being corrected (none here).
    with django_assert_num_queries(11):
        client.get(url)
    make(10)
    with django_assert_num_queries(11):
        client.get(url)


def test_a_current_name_finds_the_records_that_use_an_earlier_one(demo):
    item = AgendaItemFactory(record="")  # the demo gives the participants and their names
    StatementFactory(agenda_item=item, text="Turkey hosted the consultation on return.")
    StatementFactory(
        agenda_item=item,
        text="The former Yugoslav Republic of Macedonia reported on the Western Balkans route.",
    )
    turkey = search(viewer=None, query="Türkiye return", kind="statement")
    assert any("<mark>Turkey</mark> hosted" in hit.snippet for hit in turkey)
    # Without the diaeresis too, as people type it.
    assert search(viewer=None, query="turkiye", kind="statement")
    macedonia = search(viewer=None, query="North Macedonia", kind="statement")
    assert any("Western Balkans route" in hit.snippet for hit in macedonia)
    # The name stands for the participant's names, not for its words one by one.
    assert search(viewer=None, query="North Korea", kind="statement") == []


def test_a_word_finds_its_other_forms():
    item = AgendaItemFactory(record="")
    StatementFactory(agenda_item=item, text="Sustainable return and reintegration of migrants.")
    StatementFactory(agenda_item=item, text="The countries returned the questionnaire.")
    assert len(search(viewer=None, query="returns", kind="statement")) == 2
    [migrants] = search(viewer=None, query="migrant", kind="statement")
    assert "<mark>migrants</mark>" in migrants.snippet
    assert search(viewer=None, query="country", kind="statement")
