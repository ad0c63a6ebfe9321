"""Search across the record: full-text on PostgreSQL, a word match on SQLite; both rank,
filter by year, speaker and kind, mark the words in a snippet, and respect the access policy."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from meetings.models import Statement
from portal import search as search_module
from portal.forms import SearchForm
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


def hits_of(results):
    """Every kind's hits on the page, best first within each kind."""
    return [hit for result in results for hit in result.hits]


def test_everything_iran_said_about_return_is_one_query_away(client, demo):
    response = client.get(reverse("search"), {"q": "return", "participant": "iran"})
    assert response.status_code == 200
    assert "said or done by Islamic Republic of Iran" in response.text
    hits = hits_of(response.context["results"])
    assert [hit.kind for hit in hits] == ["statement"]
    assert "sustainable <mark>return</mark>" in str(hits[0].snippet)
    assert hits[0].speakers == ["Islamic Republic of Iran"]
    assert hits[0].url.startswith(demo.get_absolute_url() + "#statement-")


def test_the_speaker_filter_takes_joint_statements_into_account(demo):
    iraq = demo.delegations.get(participant__iso_code="IQ").participant
    texts = [
        hit.snippet
        for hit in hits_of(search(viewer=None, query="", participant=iraq, kind="statement"))
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
    hits = hits_of(search(viewer=None, query="reintegration", kind="statement"))
    assert [hit.snippet.count("<mark>") for hit in hits][0] >= 2
    assert hits[0].rank > hits[1].rank
    assert "again" in hits[0].snippet


def test_filters_by_year_and_kind():
    old = MeetingFactory(start_date=datetime.date(2015, 5, 1), title="Labour migration 2015")
    new = MeetingFactory(start_date=datetime.date(2017, 5, 1), title="Labour migration 2017")
    ConclusionFactory(meeting=new, text="Labour migration deserves a working group.")
    by_year = hits_of(search(viewer=None, query="labour migration", year=2015))
    assert [hit.title for hit in by_year] == [old.title]
    by_kind = hits_of(search(viewer=None, query="labour migration", kind="conclusion"))
    assert [hit.kind for hit in by_kind] == ["conclusion"]


def test_projects_and_activities_are_found_too():
    project = ProjectFactory(title="Migrant Resource Centres", description="Centres in Islamabad.")
    ActivityFactory(title="Open a Migrant Resource Centre in Kabul", project=project)
    kinds = {hit.kind for hit in hits_of(search(viewer=None, query="resource centre"))}
    assert {"project", "activity"} <= kinds


def test_snippets_escape_the_record_and_mark_only_the_words():
    item = AgendaItemFactory(record="")
    StatementFactory(agenda_item=item, text="Voluntary <img src=x onerror=alert(1)> return matters")
    [hit] = hits_of(search(viewer=None, query="voluntary", kind="statement"))
    assert "<img" not in hit.snippet
    assert "&lt;img" in hit.snippet
    assert "<mark>Voluntary</mark>" in hit.snippet


def test_unpublished_and_closed_records_are_not_found_by_the_public():
    for visibility, status in (("participants", "published"), ("public", "adopted")):
        item = AgendaItemFactory(
            meeting=MeetingFactory(visibility=visibility, record_status=status)
        )
        StatementFactory(agenda_item=item, text="Confidential smuggling assessment")
    assert hits_of(search(viewer=None, query="smuggling")) == []


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
    # The participant, the participants' names (for names in the query), the records being
    # corrected (none here), then per kind searched (6 with a participant: conclusions have no
    # speaker) the page ranked and read, and for the statements found their speakers and
    # names. PostgreSQL ranks and reads a page in one statement; the word match elsewhere
    # reads the page's rows after ranking them (here only statements have any).
    expected = 11 if connection.vendor == "postgresql" else 12
    with django_assert_num_queries(expected):
        client.get(url)
    make(30)
    with django_assert_num_queries(expected):
        client.get(url)
    with django_assert_num_queries(expected):
        client.get(url + "&statement_page=3")


def test_names_are_read_again_after_a_write():
    item = AgendaItemFactory(record="")
    StatementFactory(agenda_item=item, text="Atlantis Republic hosted the meeting.")
    StatementFactory(agenda_item=item, text="Legends of Atlantis were told.")
    assert len(hits_of(search(viewer=None, query="atlantis", kind="statement"))) == 2
    StateFactory(name="Atlantis Republic", sort_name="Atlantis")
    # Now a participant's name: it stands for the participant's names, not the word.
    [hit] = hits_of(search(viewer=None, query="atlantis", kind="statement"))
    assert "hosted the meeting" in hit.snippet


def test_a_current_name_finds_the_records_that_use_an_earlier_one(demo):
    item = AgendaItemFactory(record="")  # the demo gives the participants and their names
    StatementFactory(agenda_item=item, text="Turkey hosted the consultation on return.")
    StatementFactory(
        agenda_item=item,
        text="The former Yugoslav Republic of Macedonia reported on the Western Balkans route.",
    )
    turkey = hits_of(search(viewer=None, query="Türkiye return", kind="statement"))
    assert any("<mark>Turkey</mark> hosted" in hit.snippet for hit in turkey)
    # Without the diaeresis too, as people type it.
    assert hits_of(search(viewer=None, query="turkiye", kind="statement"))
    macedonia = hits_of(search(viewer=None, query="North Macedonia", kind="statement"))
    assert any("Western Balkans route" in hit.snippet for hit in macedonia)
    # The name stands for the participant's names, not for its words one by one.
    assert hits_of(search(viewer=None, query="North Korea", kind="statement")) == []


def test_a_word_finds_its_other_forms():
    item = AgendaItemFactory(record="")
    StatementFactory(agenda_item=item, text="Sustainable return and reintegration of migrants.")
    StatementFactory(agenda_item=item, text="The countries returned the questionnaire.")
    assert len(hits_of(search(viewer=None, query="returns", kind="statement"))) == 2
    [migrants] = hits_of(search(viewer=None, query="migrant", kind="statement"))
    assert "<mark>migrants</mark>" in migrants.snippet
    assert hits_of(search(viewer=None, query="country", kind="statement"))


def test_each_kind_is_paged_on_its_own_and_the_links_keep_the_search(client):
    item = AgendaItemFactory(record="")
    for n in range(23):
        StatementFactory(agenda_item=item, text=f"Readmission case number {n}.")
    ConclusionFactory(meeting=item.meeting, text="Readmission agreements were welcomed.")
    response = client.get(reverse("search"), {"q": "readmission"})
    statements, conclusions = [
        next(r for r in response.context["results"] if r.kind == kind)
        for kind in ("statement", "conclusion")
    ]
    # Every kind at once: the best five of each, paged by five, and a link to the kind alone.
    assert (statements.count, len(statements.hits), statements.pages) == (23, 5, 5)
    assert (conclusions.count, conclusions.has_next, conclusions.all_url) == (1, False, "")
    assert "24 results" in response.text
    assert 'href="?q=readmission&amp;statement_page=2#results-statement"' in response.text
    assert 'href="?q=readmission&amp;kind=statement">All statements →' in response.text
    alone = client.get(reverse("search"), {"q": "readmission", "kind": "statement"})
    [statements] = alone.context["results"]
    assert (len(statements.hits), statements.pages, statements.all_url) == (10, 3, "")
    assert 'href="?q=readmission&amp;kind=statement&amp;statement_page=2#results-statement"' in (
        alone.text
    )

    seen = []
    for number in (1, 2, 3):
        [page] = search(
            viewer=None, query="readmission", kind="statement", pages={"statement": number}
        )
        assert page.number == number and page.has_previous == (number > 1)
        seen += [hit.url for hit in page.hits]
    assert len(seen) == len(set(seen)) == 23
    assert not page.has_next
    # The other kind stays on its page while one is turned.
    second = client.get(reverse("search"), {"q": "readmission", "statement_page": 2})
    assert 'href="?q=readmission&amp;statement_page=3#results-statement"' in second.text
    assert "agreements were welcomed" in second.text


@pytest.mark.parametrize("page", ["0", "-1", "x", "²", "99999999999999999999"])
def test_a_page_number_that_is_none_is_the_first_page(client, page):
    StatementFactory(agenda_item=AgendaItemFactory(record=""), text="Readmission.")
    response = client.get(reverse("search"), {"q": "readmission", "statement_page": page})
    assert response.status_code == 200
    [statements] = [r for r in response.context["results"] if r.kind == "statement"]
    assert statements.number == 1 and len(statements.hits) == 1


def test_past_the_bound_the_count_is_about_and_the_pages_stop(client, monkeypatch):
    monkeypatch.setattr(search_module, "RANKED", 12)
    item = AgendaItemFactory(record="")
    for n in range(15):
        StatementFactory(agenda_item=item, text=f"Readmission case number {n}.")
    [page] = search(viewer=None, query="readmission", kind="statement")
    # Ranked: the newest 12; counted (on PostgreSQL estimated): all of them.
    assert page.estimated and page.count >= 13
    assert (page.pages, page.has_next) == (2, True)
    [last] = search(viewer=None, query="readmission", kind="statement", pages={"statement": 2})
    assert (len(last.hits), last.has_next) == (2, False)
    newest = {hit.url for hit in page.hits + last.hits}
    oldest = Statement.objects.order_by("pk")[:3]
    assert not any(str(statement.uid) in " ".join(newest) for statement in oldest)
    response = client.get(reverse("search"), {"q": "readmission", "kind": "statement"})
    assert "about" in response.text


def test_a_russian_query_finds_a_russian_statement_in_its_other_forms(client):
    item = AgendaItemFactory(record="")
    StatementFactory(
        agenda_item=item,
        text="Labour mobility was discussed.",
        text_ru="Обсуждалась трудовая миграция в регионе.",
    )
    StatementFactory(agenda_item=item, text="Nothing of the kind.")
    [hit] = hits_of(search(viewer=None, query="миграции", kind="statement"))
    # The English page shows the English text; the Russian page the Russian, marked.
    assert "Labour mobility" in hit.snippet
    response = client.get("/ru" + reverse("search"), {"q": "миграции", "kind": "statement"})
    assert response.status_code == 200
    assert "<mark>миграция</mark>" in response.text
    # An English query finds the same record through its English text.
    assert hits_of(search(viewer=None, query="mobility", kind="statement"))


def test_a_hit_is_titled_in_the_readers_language_where_it_is_translated(client):
    translated = MeetingFactory(title="Labour mobility meeting", title_ru="Встреча о мобильности")
    untranslated = AgendaItemFactory(
        title="Mobility of workers", meeting=MeetingFactory(title="Untranslated meeting")
    )
    StatementFactory(agenda_item=untranslated, text="Mobility was discussed.")
    response = client.get("/ru" + reverse("search"), {"q": "mobility"})
    assert response.status_code == 200
    hits = {hit.kind: hit for hit in hits_of(response.context["results"])}
    assert hits["meeting"].title == "Встреча о мобильности"
    assert hits["meeting"].url == f"/ru/meetings/{translated.slug}/"
    # Where the reader's language has no text, the first language that has one.
    assert hits["statement"].title == "Mobility of workers — Untranslated meeting"
    assert hits["statement"].url.startswith(f"/ru/meetings/{untranslated.meeting.slug}/#statement-")
    with translation.override("en"):
        english = hits_of(search(viewer=None, query="mobility", kind="meeting"))
    assert [hit.title for hit in english] == ["Labour mobility meeting"]


def test_the_count_of_every_kind_together_is_written_as_a_number_is_read(rf):
    many = search_module.KindPage(
        kind="statement", label="Statements", hits=[], shown=200, count=64159,
        estimated=True, number=1, has_next=True,
    )  # fmt: skip
    context = {"form": SearchForm({"q": "return"}), "searched": True, "search_query": "return"}
    results = search_module.SearchResults([many])
    page = render_to_string("search.html", {**context, "results": results}, request=rf.get("/"))
    assert "about 64,159 results" in page
    with translation.override("ru"):
        page = render_to_string("search.html", {**context, "results": results}, request=rf.get("/"))
    assert "около 64 159 результатов" in page.replace("\xa0", " ")
