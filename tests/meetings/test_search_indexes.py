import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection

from meetings.models import Statement

pytestmark = pytest.mark.django_db

INDEXES = [
    "meetings_meeting_search",
    "meetings_agendaitem_search",
    "meetings_statement_search",
    "meetings_conclusion_search",
    "meetings_actionpoint_search",
]


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        tables = ["meetings_meeting", "meetings_agendaitem", "meetings_statement",
                  "meetings_conclusion", "meetings_actionpoint"]  # fmt: skip
        return {
            name
            for table in tables
            for name in connection.introspection.get_constraints(cursor, table)
        }


def test_full_text_indexes_exist_on_postgresql_only():
    present = set(INDEXES) & index_names()
    assert present == (set(INDEXES) if connection.vendor == "postgresql" else set())


def test_the_statement_search_uses_its_index_on_postgresql():
    if connection.vendor != "postgresql":
        # SQLite searches with LIKE; the migration created nothing there (checked above).
        assert "meetings_statement_search" not in index_names()
        return
    search = SearchVector("text", config="english")
    query = Statement.objects.annotate(search=search).filter(
        search=SearchQuery("return", config="english", search_type="websearch")
    )
    with connection.cursor() as cursor:
        # With a handful of rows the planner prefers a sequential scan; forbid it to see
        # whether the index expression matches the one the search filters on.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    assert "meetings_statement_search" in plan
