"""The search page: meetings, agenda records, statements, conclusions, action points,
projects and activities, filtered through the access policy, ranked and paged per kind.

What a query matches is bpdialogue/search.py's (the API's `q` asks it too). On PostgreSQL the
rows match on their stored vector and are ranked by `ts_rank_cd` on it; snippets are
`ts_headline`, computed only for the rows shown. Elsewhere (SQLite) rows match word by word
and rank by how often the words occur, with a snippet cut around the first match. The same
pages either way.

The bound: per kind, only the newest RANKED matches (by id, the primary key's order, which
PostgreSQL walks backwards and stops early for a common word; a rare word comes from the GIN
index) are ranked. A common word ("migration": 76 000 public statements at full scale) would
otherwise be ranked row by row on every request; the reader is shown RANKED // PER_PAGE pages
of the best of the newest, told "about" how many there are in all (the planner's estimate),
and reaches older ones by narrowing (a year, a kind, a speaker), within which the bound
applies again. A word with fewer matches than the bound is ranked over all of them. Ranking
costs what it reads (the newest RANKED matches' vectors and their meetings, for each kind):
200 keeps a search of every kind under 100 ms at full scale, and twenty pages of one kind are
more than a reader turns before narrowing. (Not fewer: PostgreSQL walks the primary key
backwards for a LIMIT it expects to fill early, and a word it has no statistics for is
estimated at hundreds of matches, so for a word with none it would read the whole table; at
200 it takes the GIN index for such a word, at 150 it did not.)

Searching every kind, the page shows the best OVERVIEW_PER_PAGE of each, with a link to that
kind alone (PER_PAGE a page); each kind still pages on its own.

Queries: one for the names in the query, then per kind searched one statement that ranks the
newest matches, counts them and reads the page's rows with their snippets (elsewhere: one for
the matches, one for the page's rows when any matched), two more for statements' speakers, one
estimate for a kind past the bound, and one for the records being corrected (plus one per such
record). Never more with more matches. A hit is made from the values its statement read, not
from model instances; the SQL reading the page's rows holds none of the request's values
(the headlines take the reader's query from the statement's own `search_query`), so it is
compiled once per kind and reading order.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import attrgetter

from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db import connections
from django.db.models import (
    Case,
    F,
    FloatField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bpdialogue import search as engine
from bpdialogue.access import AccessPolicy, policy_for
from bpdialogue.translations import column, columns, languages, translated_fields
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Meeting,
    Statement,
    in_chosen_order,
)
from participants.models import Participant, ParticipantName, dated_names
from projects.models import Project
from workplans.models import Activity

PER_PAGE = 10
OVERVIEW_PER_PAGE = 5
# Matches ranked per kind (see the module's docstring): twenty pages of ten.
RANKED = 200
SNIPPET_CHARS = 220
# Markers PostgreSQL puts around matches (engine.HEADLINE_OPTIONS); the snippet is escaped
# first, then they become <mark>.
START, STOP = "\x02", "\x03"


@dataclass
class SearchHit:
    kind: str
    kind_label: str
    title: str
    url: str
    date: datetime.date | None
    snippet: SafeString
    rank: float
    speakers: list[str]


@dataclass
class KindPage:
    """One page of one kind's hits, with how many there are in all."""

    kind: str
    label: str
    hits: list[SearchHit]
    # How many hits can be paged through (at most RANKED, plus the published revisions').
    shown: int
    count: int
    # True when `count` is an estimate (more matches than are ranked).
    estimated: bool
    number: int
    has_next: bool
    per_page: int = PER_PAGE
    previous_url: str = ""
    next_url: str = ""
    # On the page of every kind: this kind's hits alone, when there are more than shown.
    all_url: str = ""

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def param(self) -> str:
        return page_param(self.kind)

    @property
    def pages(self) -> int:
        return max(1, -(-self.shown // self.per_page))

    @property
    def first(self) -> int:
        """The position of the page's first hit among all, from 1 (an <ol>'s start)."""
        return (self.number - 1) * self.per_page + 1


class SearchResults(list):
    """The kinds' pages, with how many hits they have together."""

    @property
    def count(self) -> int:
        return sum(result.count for result in self)

    @property
    def estimated(self) -> bool:
        return any(result.estimated for result in self)


def page_param(kind: str) -> str:
    """The query parameter holding a kind's page number: `statement_page=2`."""
    return f"{kind}_page"


# A row's shown values by path: {"agenda_item__meeting__slug": "24th-som", ...}.
Shown = Mapping[str, object]


@dataclass(frozen=True)
class Source:
    """One kind of thing to search and how to present a hit."""

    kind: str
    label: str
    plural: str
    model: type
    # The running text a snippet is cut from.
    snippet_field: str
    queryset: Callable[[AccessPolicy], QuerySet]
    year_path: str | None
    participant_q: Callable[[Participant], Q] | None
    # What a hit shows of its row and the rows it names: these paths' values (translated
    # fields in the reader's language, else the first that has a text), read in the query
    # that ranks the page, then made into the hit's title, link and date.
    shown: tuple[str, ...]
    title: Callable[[Shown], str]
    url: Callable[[Shown], str]
    date: Callable[[Shown], datetime.date | None]
    # For the record's kinds: its rows in a published revision, read while the record is
    # reopened for correction (the live rows are then the secretariat's only), and the
    # participants a row names, for the participant filter.
    published_rows: Callable[[object], list] | None = None
    participants_of: Callable[[object], list] | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for name, _weight in engine.VECTORS[self.model._meta.label_lower])


def _meeting_url(slug: str, anchor: str = "") -> str:
    url = reverse("meeting-detail", kwargs={"slug": slug})
    return f"{url}#{anchor}" if anchor else url


SOURCES = (
    Source(
        kind="meeting",
        label=_("Meeting"),
        plural=_("Meetings"),
        model=Meeting,
        snippet_field="title",
        queryset=lambda policy: policy.meetings(Meeting.objects.all()),
        year_path="start_date__year",
        participant_q=lambda p: Q(host_country=p) | Q(delegations__participant=p),
        shown=("title", "slug", "start_date"),
        title=lambda v: v["title"],
        url=lambda v: _meeting_url(v["slug"]),
        date=lambda v: v["start_date"],
    ),
    Source(
        kind="agenda",
        label=_("Agenda item"),
        plural=_("Agenda items"),
        model=AgendaItem,
        snippet_field="record",
        queryset=lambda policy: policy.records(AgendaItem.objects.all(), "meeting"),
        year_path="meeting__start_date__year",
        participant_q=lambda p: Q(presenters=p),
        shown=("uid", "title", "meeting__title", "meeting__slug", "meeting__start_date"),
        title=lambda v: f"{v['title']} — {v['meeting__title']}",
        url=lambda v: _meeting_url(v["meeting__slug"], f"agenda-{v['uid']}"),
        date=lambda v: v["meeting__start_date"],
        published_rows=lambda record: record.agenda_items,
        participants_of=lambda a: list(a.presenters.all()),
    ),
    Source(
        kind="statement",
        label=_("Statement"),
        plural=_("Statements"),
        model=Statement,
        snippet_field="text",
        queryset=lambda policy: policy.records(Statement.objects.all(), "agenda_item__meeting"),
        year_path="agenda_item__meeting__start_date__year",
        participant_q=lambda p: Q(speakers=p),
        shown=(
            "uid",
            "agenda_item__title",
            "agenda_item__meeting__title",
            "agenda_item__meeting__slug",
            "agenda_item__meeting__start_date",
        ),
        title=lambda v: f"{v['agenda_item__title']} — {v['agenda_item__meeting__title']}",
        url=lambda v: _meeting_url(v["agenda_item__meeting__slug"], f"statement-{v['uid']}"),
        date=lambda v: v["agenda_item__meeting__start_date"],
        published_rows=lambda record: [
            statement for item in record.agenda_items for statement in item.statements.all()
        ],
        participants_of=lambda s: list(s.speakers.all()),
    ),
    Source(
        kind="conclusion",
        label=_("Conclusion"),
        plural=_("Conclusions"),
        model=Conclusion,
        snippet_field="text",
        queryset=lambda policy: policy.records(Conclusion.objects.all(), "meeting"),
        year_path="meeting__start_date__year",
        participant_q=None,
        shown=("uid", "meeting__title", "meeting__slug", "meeting__start_date"),
        title=lambda v: v["meeting__title"],
        url=lambda v: _meeting_url(v["meeting__slug"], f"conclusion-{v['uid']}"),
        date=lambda v: v["meeting__start_date"],
        published_rows=lambda record: record.conclusions,
    ),
    Source(
        kind="action_point",
        label=_("Action point"),
        plural=_("Action points"),
        model=ActionPoint,
        snippet_field="text",
        queryset=lambda policy: policy.records(ActionPoint.objects.all(), "meeting"),
        year_path="meeting__start_date__year",
        participant_q=lambda p: Q(responsible=p),
        shown=("uid", "meeting__title", "meeting__slug", "meeting__start_date"),
        title=lambda v: v["meeting__title"],
        url=lambda v: _meeting_url(v["meeting__slug"], f"action-point-{v['uid']}"),
        date=lambda v: v["meeting__start_date"],
        published_rows=lambda record: record.action_points,
        participants_of=lambda a: list(a.responsible.all()),
    ),
    Source(
        kind="project",
        label=_("Project"),
        plural=_("Projects"),
        model=Project,
        snippet_field="description",
        queryset=lambda policy: Project.objects.all(),
        year_path="start_date__year",
        participant_q=lambda p: Q(partners__participant=p) | Q(beneficiary_countries=p),
        shown=("title", "slug", "start_date"),
        title=lambda v: v["title"],
        url=lambda v: reverse("project-detail", kwargs={"slug": v["slug"]}),
        date=lambda v: v["start_date"],
    ),
    Source(
        kind="activity",
        label=_("Activity"),
        plural=_("Activities"),
        model=Activity,
        snippet_field="title",
        queryset=lambda policy: Activity.objects.all(),
        year_path="workplan__year",
        participant_q=lambda p: Q(responsible=p) | Q(countries=p),
        shown=("uid", "title", "planned_start", "workplan__uid", "workplan__title"),
        title=lambda v: f"{v['title']} — {v['workplan__title']}",
        url=lambda v: (
            reverse("workplan-detail", kwargs={"uid": v["workplan__uid"]}) + f"#activity-{v['uid']}"
        ),
        date=lambda v: v["planned_start"],
    ),
)
KINDS = [(source.kind, source.label) for source in SOURCES]


def search_participant(term: str) -> Participant | None:
    """`participant=iran` finds the Islamic Republic of Iran: a slug, an ISO code, an acronym
    or part of a name (in any language)."""
    term = term.strip()
    if not term:
        return None
    named = Q()
    for name in (
        *columns(Participant, ["name"]),
        *(f"names__{name}" for name in columns(ParticipantName, ["name"])),
    ):
        named |= Q(**{f"{name}__icontains": term})
    return (
        Participant.objects.filter(
            Q(slug=term) | Q(iso_code__iexact=term) | Q(acronym__iexact=term) | named
        )
        .order_by("kind", "sort_name")
        .first()
    )


def _marked(headline: str) -> SafeString:
    # Escaped first; only our own <mark> tags are added.
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))  # nosec B308 B703


def _fallback_snippet(texts: list[str], words: list[str]) -> SafeString:
    """The text around the first match, escaped, with the words marked; without words, the
    beginning of the running text."""
    if not words:
        return _marked(Truncator(texts[-1] or texts[0]).chars(SNIPPET_CHARS))
    text = next((t for t in reversed(texts) if any(w in t.casefold() for w in words)), texts[0])
    first = min((text.casefold().find(w) for w in words if w in text.casefold()), default=0)
    start = max(0, first - SNIPPET_CHARS // 3)
    if start:
        # Begin at a word, not inside one.
        start = text.find(" ", start, first) + 1 or start
    excerpt = Truncator(text[start:]).chars(SNIPPET_CHARS)
    if start:
        excerpt = "…" + excerpt
    # A stem marks the whole word it begins ("return" marks "returned").
    pattern = re.compile(
        "|".join(re.escape(w) + r"\w*" for w in sorted(words, key=len, reverse=True)), re.I
    )
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", excerpt)
    return _marked(marked)


def _texts(source: Source, row) -> list[str]:
    """The row's searched fields as the reader reads them (their language, else another)."""
    return [getattr(row, name, "") or "" for name in source.fields]


def _haystack(source: Source, row) -> str:
    """Every language's text of the row's searched fields, casefolded."""
    every = columns(source.model, source.fields)
    return " ".join(getattr(row, name, "") or "" for name in every).casefold()


def _reading_order() -> tuple[str, ...]:
    """The reader's language first, then the others: which text a snippet is cut from."""
    active = (get_language() or "").split("-")[0]
    if active not in languages():
        return languages()
    return (active, *(lang for lang in languages() if lang != active))


def _headline(source: Source, query, order: tuple[str, ...]) -> Case | engine.Headline:
    """ts_headline over the snippet field in the first language of `order` where it is
    written, in that language's configuration."""

    def headline(name: str, language: str) -> engine.Headline:
        return engine.Headline(name, query, language=language)

    name = source.snippet_field
    if name not in translated_fields(source.model):
        return headline(name, settings.LANGUAGE_CODE)
    *first, last = order
    written = [
        When(~Q(**{column(name, lang): ""}) & Q(**{f"{column(name, lang)}__isnull": False}),
             then=headline(column(name, lang), lang))
        for lang in first
    ]  # fmt: skip
    return Case(*written, default=headline(column(name, last), last), output_field=TextField())


def _estimate(sql: str, params, using: str) -> int:
    """How many rows the query `sql` has, as the planner estimates it (no rows are read)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)  # nosec B608: the ORM's compiled query, values in params
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _rounded(count: int) -> int:
    """Two significant figures: an estimate is not more precise than that."""
    digits = len(str(count)) - 2
    return round(count, -digits) if digits > 0 else count


def _read(model, path: str, order: tuple[str, ...]):
    """`path`'s value as the reader reads it: a translated field in the first language of
    `order` that has a text, as django-modeltranslation falls back on an instance."""
    every = engine.columns_of(model, path)
    if len(every) == 1:
        return F(path)
    in_language = dict(zip(languages(), every, strict=True))
    written = [NullIf(F(in_language[lang]), Value("")) for lang in order]
    return Coalesce(*written, Value(""), output_field=TextField())


def _page_values(source: Source, rows: QuerySet, order: tuple[str, ...], headline=None):
    """The page's rows as values: their id (`_id`), what a hit shows (`_0`, `_1`, ...: the
    paths of `source.shown`) in the reading `order`, and the `headline` (`_headline`), or
    without one the searched texts a snippet is cut from (`_t0`, ...)."""
    values = {f"_{i}": _read(source.model, path, order) for i, path in enumerate(source.shown)}
    if headline is None:
        values |= {
            f"_t{i}": _read(source.model, name, order) for i, name in enumerate(source.fields)
        }
    else:
        values["_headline"] = headline
    return rows.order_by().values(_id=F("pk"), **values)


# The statement's own copy of the reader's query, for the headlines: the SQL that reads a
# page's rows then holds none of the request's values and is compiled once (_shown_sql).
SEARCH_QUERY = engine.CompiledQuery("(SELECT query FROM search_query)", ())


@functools.cache
def _shown_sql(kind: str, order: tuple[str, ...], headline: bool, using: str):
    """The SQL reading the rows of the statement's `page` as _page_values, for a kind, a
    reading order and a snippet (a headline, or the texts when there is no query to mark):
    compiling it cost a third of a search's time."""
    source = next(source for source in SOURCES if source.kind == kind)
    # The page's ids came through the access policy; their rows need neither it nor an order.
    on_page = source.model.objects.filter(pk__in=RawSQL("SELECT id FROM page", ()))
    snippet = _headline(source, SEARCH_QUERY, order) if headline else None
    shown = _page_values(source, on_page, order, snippet)
    sql, params = shown.query.get_compiler(using=using).as_sql()
    return sql, tuple(params)


def _page_postgres(source: Source, matched: QuerySet, parsed, offset: int, limit: int):
    """(the page's rows, best first, as _page_values with their `_rank`; how many of the
    newest RANKED + 1 matched; how many match in all, estimated, when more than RANKED do).
    One statement ranks the newest matches and reads the page's rows with their headlines."""
    prefix, prefix_params = "WITH ", []
    if parsed is None:
        rank = Value(0.0, output_field=FloatField())
    else:
        query = engine.tsquery(parsed)
        rank = SearchRank(engine.StoredVector(), query, cover_density=True)
        prefix, prefix_params = (
            f"WITH search_query AS (SELECT {query.sql} AS query), ",
            query.params,
        )
    newest = matched.order_by("-pk").annotate(_rank=rank).values_list("pk", "_rank")
    sql, params = newest.query.get_compiler(using=matched.db).as_sql()
    shown_sql, shown_params = _shown_sql(
        source.kind, _reading_order(), parsed is not None, matched.db
    )
    # `sql`, `query.sql` and `shown_sql` are the ORM's own compiled SQL, their values kept
    # apart in the params: nothing a reader typed is written into the statement (bandit
    # B608 reviewed, both statements).
    with connections[matched.db].cursor() as cursor:
        cursor.execute(
            # By the columns' names: Django may put the annotation first.
            f"{prefix}page AS (SELECT id, rank, total FROM (SELECT "  # nosec B608
            '"pk" AS id, "_rank" AS rank, count(*) OVER () AS total, '
            'row_number() OVER (ORDER BY "pk" DESC) AS age '
            # One more than is ranked, to know whether there are more.
            f"FROM ({sql} LIMIT %s) AS newest) AS bounded WHERE age <= %s "
            "ORDER BY rank DESC, id DESC LIMIT %s OFFSET %s) "
            'SELECT page.rank AS "_rank", page.total AS "_total", shown.* '
            f'FROM page JOIN ({shown_sql}) AS shown ON shown."_id" = page.id '
            "ORDER BY page.rank DESC, page.id DESC",
            [*prefix_params, *params, RANKED + 1, RANKED, limit, offset, *shown_params],
        )
        names = [description.name for description in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if not rows and offset:
        # Past the last page: the count still tells how many there are.
        with connections[matched.db].cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM ({sql} LIMIT %s) AS newest",  # nosec B608
                [*params, RANKED + 1],
            )
            matches = cursor.fetchone()[0]
    else:
        matches = rows[0]["_total"] if rows else 0
    # The same compiled statement, explained: the planner's estimate of all the matches.
    estimate = _estimate(sql, params, matched.db) if matches > RANKED else matches
    return rows, matches, estimate


def _page_words(source: Source, matched: QuerySet, parsed, offset: int, limit: int):
    """The same as _page_postgres, ranked in Python by how often the words occur."""
    every = columns(source.model, source.fields)
    newest = list(matched.order_by("-pk").values_list("pk", *every)[: RANKED + 1])
    scored = []
    for pk, *texts in newest[:RANKED]:
        haystack = " ".join(text or "" for text in texts).casefold()
        scored.append((float(parsed.rank(haystack)) if parsed else 0.0, pk))
    scored.sort(key=lambda score: (-score[0], -score[1]))
    ranks = {pk: rank for rank, pk in scored[offset : offset + limit]}
    rows = []
    if ranks:
        # The ids came through the access policy; their rows need neither it nor an order.
        on_page = source.model.objects.filter(pk__in=ranks)
        page = _page_values(source, on_page, _reading_order())
        by_pk = {row["_id"]: row for row in page}
        rows = [{**by_pk[pk], "_rank": rank} for pk, rank in ranks.items() if pk in by_pk]
    # The small databases elsewhere count.
    total = matched.count() if len(newest) > RANKED else len(newest)
    return rows, len(newest), total


def _published_hits(source: Source, records: list, parsed, participant) -> list:
    """Rows of published revisions (records being corrected), matched word by word as on
    SQLite: there are few such records, and their rows live in the revision, not a table."""
    found = []
    for record in records:
        for row in source.published_rows(record):
            if participant is not None and participant not in source.participants_of(row):
                continue
            haystack = _haystack(source, row)
            if parsed is None:
                found.append((row, 0.0, _fallback_snippet(_texts(source, row), [])))
            elif parsed.matches(haystack):
                snippet = _fallback_snippet(_texts(source, row), parsed.marked)
                found.append((row, float(parsed.rank(haystack)), snippet))
    found.sort(key=lambda hit: -hit[1])
    statements = source.kind == "statement"
    return [
        _hit(
            source, _shown_of(source, row), rank, snippet, row.speakers.all() if statements else []
        )
        for row, rank, snippet in found
    ]


def _published_records(policy: AccessPolicy, year: int | None) -> list:
    """The published revisions this viewer reads instead of records being corrected."""
    from meetings.revisions import published_record

    if policy.is_secretariat:
        return []
    reopened = policy.meetings(Meeting.objects.filter(record_status="reopened"))
    if year:
        reopened = reopened.filter(start_date__year=year)
    records = (published_record(meeting=meeting) for meeting in reopened)
    return [record for record in records if record is not None]


def _shown_of(source: Source, row) -> dict:
    """What a hit shows of a row that is an object (a published revision's)."""
    return {path: attrgetter(path.replace("__", "."))(row) for path in source.shown}


def _speakers(source: Source, ids: list[int]) -> dict[int, list[Participant]]:
    """The speakers of the statements `ids` with their dated names, in the chosen order (two
    queries); nothing for the other kinds."""
    if source.kind != "statement" or not ids:
        return {}
    statements = [Statement(pk=pk) for pk in ids]
    speakers = Participant.objects.prefetch_related(dated_names())
    prefetch_related_objects(statements, in_chosen_order("speakers", speakers))
    return {statement.pk: list(statement.speakers.all()) for statement in statements}


def _hit(source: Source, shown: Shown, rank: float, snippet: SafeString, speakers) -> SearchHit:
    date = source.date(shown)
    return SearchHit(
        kind=source.kind,
        kind_label=source.label,
        title=source.title(shown),
        url=source.url(shown),
        date=date,
        snippet=snippet,
        rank=rank,
        speakers=[participant.name_on(date).name for participant in speakers],
    )


def _kind_page(
    source, policy, parsed, *, year, participant, number, per_page, published
) -> KindPage:
    queryset = source.queryset(policy)
    if year and source.year_path:
        queryset = queryset.filter(**{source.year_path: year})
    if participant is not None:
        # A subquery, not a join: a row naming the participant twice is one hit.
        named = source.queryset(policy).filter(source.participant_q(participant))
        queryset = queryset.filter(pk__in=named.values("pk"))
    matched = engine.matching(queryset, parsed, source.fields) if parsed else queryset

    # The published revisions' hits come first, then the table's: page `number` is a window
    # over the two.
    first = (number - 1) * per_page
    hits = published[first : first + per_page]
    offset, limit = max(0, first - len(published)), per_page - len(hits)
    page = _page_postgres if engine.uses_vectors(queryset) else _page_words
    rows, matches, total = page(source, matched, parsed, offset, limit)
    estimated = matches > RANKED
    if estimated:
        matches = _rounded(max(total, matches))
    speakers = _speakers(source, [row["_id"] for row in rows])
    for row in rows:
        if "_headline" in row:
            snippet = _marked(row["_headline"])
        else:
            texts = [row[f"_t{i}"] for i in range(len(source.fields))]
            snippet = _fallback_snippet(texts, parsed.marked if parsed else [])
        values = {path: row[f"_{i}"] for i, path in enumerate(source.shown)}
        hits.append(_hit(source, values, row["_rank"], snippet, speakers.get(row["_id"], [])))
    shown = len(published) + min(matches, RANKED)
    return KindPage(
        kind=source.kind,
        label=source.plural,
        hits=hits,
        shown=shown,
        count=len(published) + matches,
        estimated=estimated,
        number=number,
        has_next=first + per_page < shown,
        per_page=per_page,
    )


def search(
    *,
    viewer,
    query: str,
    year: int | None = None,
    participant: Participant | None = None,
    kind: str = "",
    pages: Mapping[str, int] | None = None,
) -> SearchResults:
    """A page of hits per kind the viewer may see, best first (`pages`: the page number of
    each kind, 1 when not given). An empty query with a participant lists what the
    participant said (its statements) and did, newest first."""
    policy = policy_for(viewer)
    query = query.strip()
    parsed = engine.parse_query(query) if query else None
    results = SearchResults()
    if parsed is None and participant is None or parsed is not None and parsed.empty:
        return results
    pages = pages or {}
    records = None
    for source in SOURCES:
        if kind and source.kind != kind:
            continue
        if participant is not None and source.participant_q is None:
            continue
        published = []
        if source.published_rows is not None:
            if records is None:
                records = _published_records(policy, year)
            published = _published_hits(source, records, parsed, participant)
        per_page = PER_PAGE if kind else OVERVIEW_PER_PAGE
        number = max(1, min(int(pages.get(source.kind) or 1), RANKED // per_page + 1))
        results.append(
            _kind_page(
                source,
                policy,
                parsed,
                year=year,
                participant=participant,
                number=number,
                per_page=per_page,
                published=published,
            )
        )
    return results


def requested_pages(params) -> dict[str, int]:
    """The page number of each kind in the request's query (`statement_page=2`); anything
    but a positive whole number is the first page."""
    pages = {}
    for kind, _label in KINDS:
        value = params.get(page_param(kind), "")
        if value.isascii() and value.isdigit() and 0 < int(value) <= RANKED:
            pages[kind] = int(value)
    return pages


def with_page_links(results: SearchResults, params) -> SearchResults:
    """Each kind's previous and next page as links that keep the search and the other kinds'
    pages (`params`: the request's query, a QueryDict); on the page of every kind, a link to
    each kind alone that has more hits than it shows."""
    for result in results:
        if not params.get("kind") and result.has_next:
            alone = params.copy()
            for kind, _label in KINDS:
                alone.pop(page_param(kind), None)
            alone["kind"] = result.kind
            result.all_url = f"?{alone.urlencode()}"
        for attribute, number, wanted in (
            ("previous_url", result.number - 1, result.has_previous),
            ("next_url", result.number + 1, result.has_next),
        ):
            if wanted:
                query = params.copy()
                query[result.param] = number
                setattr(result, attribute, f"?{query.urlencode()}#results-{result.kind}")
    return results
