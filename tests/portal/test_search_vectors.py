"""The stored search vectors (PostgreSQL) and the one matching both the search page and the
API's `q` use: every declared field in every language is found, the index is used, and the
API's `q` matches as the page does, within the same access rules."""

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from bpdialogue import search as engine
from bpdialogue.translations import column, languages, translated_fields
from tests.api.conftest import _generous_throttling  # noqa: F401
from tests.api.test_access import RECORD_LEVEL, labels_of, viewers, world  # noqa: F401
from tests.factories import (
    ActionPointFactory,
    ActivityFactory,
    AgendaItemFactory,
    ConclusionFactory,
    DocumentFactory,
    MeetingFactory,
    ProjectFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient(HTTP_HOST="localhost")


FACTORIES = {
    "meetings.meeting": MeetingFactory,
    "meetings.agendaitem": AgendaItemFactory,
    "meetings.statement": StatementFactory,
    "meetings.conclusion": ConclusionFactory,
    "meetings.actionpoint": ActionPointFactory,
    "meetings.document": DocumentFactory,
    "projects.project": ProjectFactory,
    "workplans.activity": ActivityFactory,
}
# Words no factory writes, one per field and language; Russian ones in a form the query
# does not use, so only stemming finds them.
ENGLISH = ["quokkas", "wombats", "koalas", "numbats"]
RUSSIAN = ["выдрами", "барсуками", "куницами", "соболями"]


def columns_of(table: str) -> dict:
    with connection.cursor() as cursor:
        return {
            "columns": {
                c.name for c in connection.introspection.get_table_description(cursor, table)
            },
            "indexes": set(connection.introspection.get_constraints(cursor, table)),
        }


@pytest.mark.parametrize("label", sorted(engine.VECTORS))
def test_each_searched_table_has_its_vector_and_index_on_postgresql_only(label):
    model = FACTORIES[label]._meta.model
    found = columns_of(model._meta.db_table)
    on_postgresql = connection.vendor == "postgresql"
    assert (engine.VECTOR_COLUMN in found["columns"]) is on_postgresql
    assert (f"{model._meta.db_table}_search_vector" in found["indexes"]) is on_postgresql


@pytest.mark.parametrize("label", sorted(engine.VECTORS))
def test_every_field_of_a_vector_is_found_in_every_language(label):
    factory = FACTORIES[label]
    model = factory._meta.model
    fields = [name for name, _weight in engine.VECTORS[label]]
    values, expected = {}, []
    for n, name in enumerate(fields):
        if name in translated_fields(model):
            for lang in languages():
                word = (ENGLISH if lang == "en" else RUSSIAN)[n]
                # The active language's through the field's own name, as a service writes it.
                key = name if lang == settings.LANGUAGE_CODE else column(name, lang)
                values[key] = f"Text with {word} in it"
                expected.append(word)
        else:
            values[name] = f"{ENGLISH[n][:-1]}x"
            expected.append(values[name])
    row = factory(**values)
    factory()  # one that matches nothing
    for word in expected:
        # Another form of the word than the stored one: "quokka", "выдра".
        query = word[:-1] if word.endswith("s") else word
        if word in RUSSIAN:
            query = engine.stem(word) + "а"
        parsed = engine.parse_query(query)
        assert list(engine.matching(model.objects.all(), parsed, fields)) == [row], (label, word)


def test_a_rare_word_is_found_through_the_index_on_postgresql():
    StatementFactory(text="Sustainable return and reintegration.")
    parsed = engine.parse_query("reintegration")
    query = engine.matching(StatementFactory._meta.model.objects.all(), parsed, ("text",))
    if connection.vendor != "postgresql":
        assert "icontains" not in str(query.query) and "LIKE" in str(query.query)
        return
    with connection.cursor() as cursor:
        # With a handful of rows the planner prefers a sequential scan; forbid it to see that
        # the stored vector's index answers the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.order_by().explain()
    assert "meetings_statement_search_vector" in plan


def test_the_apis_q_matches_as_the_search_page_does(api):
    item = AgendaItemFactory(title="Labour mobility", record="Returned migrants were heard.")
    StatementFactory(agenda_item=item, text="The countries returned the questionnaire.")
    StatementFactory(agenda_item=item, text="", text_ru="Трудовая миграция обсуждалась.")
    StatementFactory(agenda_item=item, text="Nothing of the kind.")

    def texts(path, q):
        return [row.get("text") or row.get("title") for row in listed_q(api, path, q)]

    # Other forms of the word, in either language.
    assert texts("/api/v1/statements/", "returns") == ["The countries returned the questionnaire."]
    assert len(texts("/api/v1/statements/", "миграции")) == 1
    # An agenda item's title is searched, its record is not (it is published later).
    assert texts("/api/v1/agenda-items/", "mobility") == ["Labour mobility"]
    assert texts("/api/v1/agenda-items/", "migrants") == []
    # Punctuation alone matches nothing rather than everything.
    assert texts("/api/v1/statements/", "!!!") == []


def test_a_name_in_the_apis_q_stands_for_every_name_of_its_participant(api, demo):
    StatementFactory(agenda_item=AgendaItemFactory(), text="Turkey hosted the consultation.")
    found = [row["text"] for row in listed_q(api, "/api/v1/statements/", "Türkiye")]
    assert "Turkey hosted the consultation." in found


@pytest.mark.parametrize("viewer", list(RECORD_LEVEL))
def test_the_apis_q_finds_only_what_each_caller_may_see(world, viewer):  # noqa: F811
    client = viewers(world)[viewer]
    rows = listed_q(client, "/api/v1/statements/", "statements")
    assert labels_of(world, "statement", [row["id"] for row in rows]) == RECORD_LEVEL[viewer]


def listed_q(client, path, q):
    response = client.get(path, {"limit": 200, "q": q})
    assert response.status_code == 200, response.content
    return response.json()["data"]
