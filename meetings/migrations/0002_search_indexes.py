"""GIN indexes for full-text search on PostgreSQL.

Each index expression is exactly the one `portal.search` filters on
(`SearchVector(*fields, config="english")`), so the planner uses the index instead of
computing every row's tsvector. Other databases search with LIKE and get no index.
"""

from django.db import migrations

SEARCHED = {
    "meetings_meeting": ("title", "topic", "city"),
    "meetings_agendaitem": ("title", "record"),
    "meetings_statement": ("text",),
    "meetings_conclusion": ("text",),
    "meetings_actionpoint": ("text", "due_text", "place"),
}


def vector_sql(fields):
    document = " || ' ' || ".join(f"COALESCE(\"{field}\", '')" for field in fields)
    return f"to_tsvector('english'::regconfig, {document})"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, fields in SEARCHED.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_search" ON "{table}" '
            f"USING gin (({vector_sql(fields)}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search"')


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
