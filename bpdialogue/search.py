"""Text search: one implementation of what a query matches, for the portal's search page
(portal/search.py, which ranks, pages and cuts snippets) and every API list's `q`.

On PostgreSQL the searched tables carry a stored, generated `tsvector` column (`search_vector`,
created by the apps' `*_search_vectors` migrations, with a GIN index): each field's English
column under the `english` configuration, its Russian column under `russian` (so "returns"
finds "return" and "миграции" finds "миграция"), weighted A for titles, B for running text, C
for the rest (VECTORS below). A query is the words as a web search in every configuration of
LANGUAGES (any one of them may match), so a record is found in whichever language it is
written. Elsewhere (SQLite in development and tests) every word must occur (case-insensitive)
after a light stemming (ENDINGS), in any language's column; tables without a stored vector
(names, small reference lists) are matched that way on PostgreSQL too.

On both, a participant's name in the query stands for every name it has had
(SEARCH_NAME_GROUPS: participants/search.py): records keep the wording of their day, so
"Türkiye" finds "Turkey".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connections
from django.db.models import Expression, Func, Q, QuerySet, TextField
from django.utils.module_loading import import_string

from .translations import columns, languages

# The column every searched table has on PostgreSQL.
VECTOR_COLUMN = "search_vector"
# Which PostgreSQL configuration stems each language's columns (a language without one is
# matched without stemming, `simple`). A third language needs its entry here and a migration
# that re-creates the vectors with its columns.
CONFIGS = {"en": "english", "ru": "russian"}
# What each stored vector holds, (field, weight): the migrations build the generated columns
# from the same lists (tests/portal/test_search_vectors.py checks every field is found).
VECTORS: dict[str, tuple[tuple[str, str], ...]] = {
    "meetings.meeting": (("title", "A"), ("topic", "B"), ("city", "C"), ("venue", "C")),
    "meetings.agendaitem": (("title", "A"), ("record", "B")),
    "meetings.statement": (("text", "B"),),
    "meetings.conclusion": (("text", "B"),),
    "meetings.actionpoint": (("text", "B"), ("due_text", "C"), ("place", "C")),
    "meetings.document": (("title", "A"),),
    "projects.project": (("title", "A"), ("acronym", "A"), ("description", "B"), ("outcome", "C")),
    "workplans.activity": (("title", "A"), ("outcome", "B")),
}
# Search at most this many words of a query (a pasted paragraph is not a search).
MAX_WORDS = 10


def config(language: str) -> str:
    return CONFIGS.get(language, "simple")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())[:MAX_WORDS]


# Longest first; a stem keeps at least four letters ("uses" stays "uses", not "us"). English
# endings, then Russian case endings ("миграции" and "миграция" share "миграц").
ENDINGS = (
    *("ings", "ing", "ies", "ied", "es", "ed", "s", "y"),
    *("ами", "ями", "ией", "иям", "ов", "ев", "ей", "ия", "ии", "ие", "ий", "ой", "ая", "ое"),
    *("ые", "ых", "ом", "ем", "ам", "ям", "а", "я", "ы", "и", "е", "о", "у", "ю"),
)


def stem(word: str) -> str:
    """A light stemmer for the word match: the part every form of the word shares."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def folded(text: str) -> str:
    """Compared without case or accents, so "Turkiye" names Türkiye too."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class ParsedQuery:
    """The query as searched: its own words, and for each participant it names, every name
    that participant has had (any of them matches)."""

    text: str
    name_groups: tuple[tuple[str, ...], ...] = ()

    @property
    def words(self) -> list[str]:
        return words(self.text)

    @property
    def stems(self) -> list[str]:
        return [stem(word) for word in self.words]

    @property
    def names(self) -> list[str]:
        return [name.casefold() for group in self.name_groups for name in group]

    @property
    def empty(self) -> bool:
        return not self.words and not self.name_groups

    def matches(self, haystack: str) -> bool:
        """`haystack` casefolded: every stem and one name of every group occur in it."""
        return all(s in haystack for s in self.stems) and all(
            any(name.casefold() in haystack for name in group) for group in self.name_groups
        )

    def rank(self, haystack: str) -> int:
        return sum(haystack.count(term) for term in [*self.stems, *self.names])

    @property
    def marked(self) -> list[str]:
        """What a snippet marks: the stems (each marks the word it begins) and the names."""
        return [*self.stems, *self.names]


def parse_query(query: str) -> ParsedQuery:
    """`query` with the participants' names it contains found (SEARCH_NAME_GROUPS) and taken
    out of its words."""
    rest, groups = import_string(settings.SEARCH_NAME_GROUPS)(folded(query))
    if not groups:
        return ParsedQuery(text=query.strip())
    return ParsedQuery(text=rest, name_groups=tuple(groups))


# -- PostgreSQL ------------------------------------------------------------------------------
class StoredVector(Expression):
    """The queried table's stored `search_vector`, optionally only the lexemes of some weights
    (`ts_filter`: the API searches agenda items' titles, never their records)."""

    output_field = SearchVectorField()

    def __init__(self, weights: str = ""):
        super().__init__()
        self.weights = weights

    def as_sql(self, compiler, connection):
        column = (
            f"{compiler.quote_name_unless_alias(compiler.query.base_table)}."
            f"{connection.ops.quote_name(VECTOR_COLUMN)}"
        )
        if self.weights:
            # Weights are our own letters (VECTORS), never the caller's.
            array = ",".join(self.weights.lower())
            return f"ts_filter({column}, '{{{array}}}'::\"char\"[])", []
        return column, []


def _configs() -> list[str]:
    return list(dict.fromkeys(config(language) for language in languages()))


class CompiledQuery(SearchQuery):
    """A tsquery whose SQL is written once, not compiled from a tree of SearchQuery objects
    every time it is used: a search of every kind uses the query three times per kind, and
    compiling Django's nested, combined SearchQuery (one per language and name) cost more
    than the rest of the page's SQL compiling."""

    def __init__(self, sql: str, params):
        Func.__init__(self)
        self.sql, self.params = sql, tuple(params)

    def as_sql(self, compiler, connection, **extra):
        return self.sql, list(self.params)


def _in_any_language(text: str, function: str) -> tuple[list[str], list[str]]:
    sql = [f"{function}(%s::regconfig, %s)" for _name in _configs()]
    return sql, [value for name in _configs() for value in (name, text)]


def tsquery(parsed: ParsedQuery) -> CompiledQuery:
    """The words as a web search, and each group as one of its names' phrases, in every
    language's configuration: any language's reading matches (||), every part must (&&)."""
    parts, params = [], []
    if parsed.words:
        sql, values = _in_any_language(parsed.text, "websearch_to_tsquery")
        parts.append(f"({' || '.join(sql)})")
        params += values
    for group in parsed.name_groups:
        alternatives = []
        for name in group:
            sql, values = _in_any_language(name, "phraseto_tsquery")
            alternatives += sql
            params += values
        parts.append(f"({' || '.join(alternatives)})")
    return CompiledQuery(f"({' && '.join(parts)})", params)


# ts_headline's options for a snippet: matches between markers the page turns into <mark>
# (portal/search.py), fragments centred on the matches so a snippet shows their context.
HEADLINE_OPTIONS = (
    "StartSel='\x02', StopSel='\x03', MaxWords=30, MinWords=12, MaxFragments=2, "
    "FragmentDelimiter=' … '"
)


class Headline(Func):
    """ts_headline of a text column under a configuration, with HEADLINE_OPTIONS (Django's
    SearchHeadline quotes its options through a database cursor on every compile)."""

    output_field = TextField()

    def __init__(self, column: str, query: CompiledQuery, *, language: str):
        super().__init__(column, query)
        self.language = language

    def as_sql(self, compiler, connection, **extra):
        (text, text_params), (query, query_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return (
            f"ts_headline(%s::regconfig, {text}, {query}, %s)",
            [config(self.language), *text_params, *query_params, HEADLINE_OPTIONS],
        )


def stored_vector(model, fields) -> StoredVector | None:
    """The stored vector that holds exactly `fields` of `model` (all of it, or the lexemes of
    the weights only those fields have), or None: then the word match is used."""
    vector = VECTORS.get(model._meta.label_lower)
    if vector is None:
        return None
    weights = {weight for field, weight in vector if field in fields}
    covered = {field for field, weight in vector if weight in weights}
    if covered != set(fields):
        return None
    every = {weight for _field, weight in vector}
    return StoredVector("" if weights == every else "".join(sorted(weights)))


def uses_vectors(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


# -- everywhere ------------------------------------------------------------------------------
def columns_of(model, path: str) -> list[str]:
    """`path` ('text', 'participant__name') with its last field in every language's column,
    in the order of LANGUAGES; `[path]` when that field is not translated."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    prefix = "".join(f"{relation}__" for relation in relations)
    return [prefix + column for column in columns(model, [name])]


def word_match(model, fields, parsed: ParsedQuery) -> Q:
    """Every stem, and one name of every group, in one of `fields` (any language)."""
    every_column = [column for field in fields for column in columns_of(model, field)]

    def anywhere(term: str) -> Q:
        return reduce(or_, (Q(**{f"{column}__icontains": term}) for column in every_column))

    condition = Q()
    for term in parsed.stems:
        condition &= anywhere(term)
    for group in parsed.name_groups:
        condition &= reduce(or_, (anywhere(name) for name in group))
    return condition


def matching(queryset: QuerySet, parsed: ParsedQuery, fields) -> QuerySet:
    """The rows of `queryset` whose `fields` match the query: on the stored vector where there
    is one for exactly these fields, else word by word. No rows for an empty query. Joined
    fields (`names__name`) can repeat a row: the caller adds `distinct()` where it needs to."""
    if parsed.empty:
        return queryset.none()
    vector = stored_vector(queryset.model, fields) if uses_vectors(queryset) else None
    if vector is not None:
        return queryset.alias(_search=vector).filter(_search=tsquery(parsed))
    return queryset.filter(word_match(queryset.model, fields, parsed))
