"""Stored, generated `tsvector` columns with GIN indexes for full-text search on PostgreSQL
(bpdialogue/search.py reads them): each field's English column under the `english`
configuration and its Russian column under `russian`, weighted (A titles, B running text, C
the rest), so a search ranks on the stored vector instead of recomputing every matching row's.
The meetings' tables, and the projects' and activities' (one place for every vector; the
fields are bpdialogue.search.VECTORS as of this migration). The expression indexes of 0002
are dropped: nothing filters on them any more, and every write paid for them.

Other databases search word by word (bpdialogue/search.py) and get nothing here.
"""

from django.db import migrations

LANGUAGES = {"en": "english", "ru": "russian"}
# Untranslated fields (an action point's place, a project's acronym) are stemmed as English,
# the site's language.
UNTRANSLATED = "english"
# table: (field, weight, translated)
VECTORS = {
    "meetings_meeting": (
        ("title", "A", True),
        ("topic", "B", True),
        ("city", "C", True),
        ("venue", "C", True),
    ),
    "meetings_agendaitem": (("title", "A", True), ("record", "B", True)),
    "meetings_statement": (("text", "B", True),),
    "meetings_conclusion": (("text", "B", True),),
    "meetings_actionpoint": (("text", "B", True), ("due_text", "C", True), ("place", "C", False)),
    "meetings_document": (("title", "A", True),),
    "projects_project": (
        ("title", "A", True),
        ("acronym", "A", False),
        ("description", "B", True),
        ("outcome", "C", True),
    ),
    "workplans_activity": (("title", "A", True), ("outcome", "B", True)),
}
# The expression indexes 0002 created (table: fields), re-created on the way back.
OLD_INDEXES = {
    "meetings_meeting": ("title", "topic", "city"),
    "meetings_agendaitem": ("title", "record"),
    "meetings_statement": ("text",),
    "meetings_conclusion": ("text",),
    "meetings_actionpoint": ("text", "due_text", "place"),
}


def _part(column: str, config: str, weight: str) -> str:
    return f"setweight(to_tsvector('{config}'::regconfig, COALESCE(\"{column}\", '')), '{weight}')"


def vector_sql(fields) -> str:
    parts = []
    for field, weight, translated in fields:
        if translated:
            parts += [
                _part(f"{field}_{lang}", config, weight) for lang, config in LANGUAGES.items()
            ]
        else:
            parts.append(_part(field, UNTRANSLATED, weight))
    return " || ".join(parts)


def old_index_sql(table, fields) -> str:
    document = " || ' ' || ".join(f"COALESCE(\"{field}\", '')" for field in fields)
    return (
        f'CREATE INDEX IF NOT EXISTS "{table}_search" ON "{table}" '
        f"USING gin ((to_tsvector('english'::regconfig, {document})))"
    )


FORWARD = [
    *(f'DROP INDEX IF EXISTS "{table}_search"' for table in OLD_INDEXES),
    *(
        f'ALTER TABLE "{table}" ADD COLUMN "search_vector" tsvector '
        f"GENERATED ALWAYS AS ({vector_sql(fields)}) STORED"
        for table, fields in VECTORS.items()
    ),
    *(
        f'CREATE INDEX "{table}_search_vector" ON "{table}" USING gin ("search_vector")'
        for table in VECTORS
    ),
    # Statistics of the new column at once: the planner's choice between walking the newest
    # rows and the GIN index depends on how common a word is.
    *(f'ANALYZE "{table}"' for table in VECTORS),
]
BACKWARD = [
    *(f'ALTER TABLE "{table}" DROP COLUMN "search_vector"' for table in VECTORS),
    *(old_index_sql(table, fields) for table, fields in OLD_INDEXES.items()),
]


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """SQL for PostgreSQL; nothing on other databases."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0014_list_indexes"),
        ("projects", "0002_translations"),
        ("workplans", "0002_translations"),
    ]

    operations = [RunSQLOnPostgreSQL(FORWARD, BACKWARD)]
