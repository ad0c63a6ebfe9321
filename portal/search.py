"""Search across the record: meetings, agenda records, statements, conclusions, action points,
projects and activities, filtered through the access policy.

On PostgreSQL: full-text search (English stemming, so "return" finds "returns"), ranked with
`SearchRank`, snippets from `SearchHeadline`. On other databases (SQLite in development and in
one CI run): every word must occur (case-insensitive) after a light English stemming that
strips the common endings (-s, -es, -ed, -ing, -y/-ies: "returns" looks for "return", which
finds "returned" too), ranked by how often the words occur, with a snippet cut around the first
match. On both, a participant's name in the query stands for every name it has had: records
keep the wording of their day, so "Türkiye" finds "Turkey" and "North Macedonia" finds "the
former Yugoslav Republic of Macedonia". One query for the names, then one per kind searched,
whatever the hits.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from bpdialogue.access import AccessPolicy, policy_for
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Meeting,
    Statement,
    in_chosen_order,
)
from participants.models import Participant, ParticipantName
from projects.models import Project
from workplans.models import Activity

PER_KIND_LIMIT = 50
SNIPPET_CHARS = 220
# Markers PostgreSQL puts around matches; the snippet is escaped first, then they become <mark>.
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


@dataclass(frozen=True)
class Source:
    """One kind of thing to search and how to present a hit."""

    kind: str
    label: str
    fields: tuple[str, ...]
    # The running text a snippet is cut from.
    snippet_field: str
    queryset: Callable[[AccessPolicy], QuerySet]
    year_path: str | None
    participant_q: Callable[[Participant], Q] | None
    title: Callable[[object], str]
    url: Callable[[object], str]
    date: Callable[[object], datetime.date | None]
    # For the record's kinds: its rows in a published revision, read while the record is
    # reopened for correction (the live rows are then the secretariat's only), and the
    # participants a row names, for the participant filter.
    published_rows: Callable[[object], list] | None = None
    participants_of: Callable[[object], list] | None = None


def _meeting_anchor(meeting: Meeting, anchor: str) -> str:
    return f"{meeting.get_absolute_url()}#{anchor}"


SOURCES = (
    Source(
        kind="meeting",
        label=_("Meeting"),
        fields=("title", "topic", "city"),
        snippet_field="title",
        queryset=lambda policy: policy.meetings(Meeting.objects.all()),
        year_path="start_date__year",
        participant_q=lambda p: Q(host_country=p) | Q(delegations__participant=p),
        title=lambda m: m.title,
        url=lambda m: m.get_absolute_url(),
        date=lambda m: m.start_date,
    ),
    Source(
        kind="agenda",
        label=_("Agenda item"),
        fields=("title", "record"),
        snippet_field="record",
        queryset=lambda policy: policy.records(
            AgendaItem.objects.select_related("meeting"), "meeting"
        ),
        year_path="meeting__start_date__year",
        participant_q=lambda p: Q(presenters=p),
        title=lambda a: f"{a.title} — {a.meeting.title}",
        url=lambda a: _meeting_anchor(a.meeting, f"agenda-{a.uid}"),
        date=lambda a: a.meeting.start_date,
        published_rows=lambda record: record.agenda_items,
        participants_of=lambda a: list(a.presenters.all()),
    ),
    Source(
        kind="statement",
        label=_("Statement"),
        fields=("text",),
        snippet_field="text",
        queryset=lambda policy: policy.records(
            Statement.objects.select_related("agenda_item__meeting").prefetch_related(
                in_chosen_order("speakers", Participant.objects.prefetch_related("names"))
            ),
            "agenda_item__meeting",
        ),
        year_path="agenda_item__meeting__start_date__year",
        participant_q=lambda p: Q(speakers=p),
        title=lambda s: f"{s.agenda_item.title} — {s.agenda_item.meeting.title}",
        url=lambda s: _meeting_anchor(s.agenda_item.meeting, f"statement-{s.uid}"),
        date=lambda s: s.agenda_item.meeting.start_date,
        published_rows=lambda record: [
            statement for item in record.agenda_items for statement in item.statements.all()
        ],
        participants_of=lambda s: list(s.speakers.all()),
    ),
    Source(
        kind="conclusion",
        label=_("Conclusion"),
        fields=("text",),
        snippet_field="text",
        queryset=lambda policy: policy.records(
            Conclusion.objects.select_related("meeting"), "meeting"
        ),
        year_path="meeting__start_date__year",
        participant_q=None,
        title=lambda c: c.meeting.title,
        url=lambda c: _meeting_anchor(c.meeting, f"conclusion-{c.uid}"),
        date=lambda c: c.meeting.start_date,
        published_rows=lambda record: record.conclusions,
    ),
    Source(
        kind="action_point",
        label=_("Action point"),
        fields=("text", "due_text", "place"),
        snippet_field="text",
        queryset=lambda policy: policy.records(
            ActionPoint.objects.select_related("meeting"), "meeting"
        ),
        year_path="meeting__start_date__year",
        participant_q=lambda p: Q(responsible=p),
        title=lambda a: a.meeting.title,
        url=lambda a: _meeting_anchor(a.meeting, f"action-point-{a.uid}"),
        date=lambda a: a.meeting.start_date,
        published_rows=lambda record: record.action_points,
        participants_of=lambda a: list(a.responsible.all()),
    ),
    Source(
        kind="project",
        label=_("Project"),
        fields=("title", "acronym", "description", "outcome"),
        snippet_field="description",
        queryset=lambda policy: Project.objects.all(),
        year_path="start_date__year",
        participant_q=lambda p: Q(partners__participant=p) | Q(beneficiary_countries=p),
        title=lambda p: p.title,
        url=lambda p: reverse("project-detail", kwargs={"slug": p.slug}),
        date=lambda p: p.start_date,
    ),
    Source(
        kind="activity",
        label=_("Activity"),
        fields=("title", "outcome"),
        snippet_field="title",
        queryset=lambda policy: Activity.objects.select_related("workplan"),
        year_path="workplan__year",
        participant_q=lambda p: Q(responsible=p) | Q(countries=p),
        title=lambda a: f"{a.title} — {a.workplan.title}",
        url=lambda a: (
            reverse("workplan-detail", kwargs={"uid": a.workplan.uid}) + f"#activity-{a.uid}"
        ),
        date=lambda a: a.planned_start,
    ),
)
KINDS = [(source.kind, source.label) for source in SOURCES]


def search_participant(term: str) -> Participant | None:
    """`participant=iran` finds the Islamic Republic of Iran: a slug, an ISO code, an acronym
    or part of a name."""
    term = term.strip()
    if not term:
        return None
    return (
        Participant.objects.filter(
            Q(slug=term)
            | Q(iso_code__iexact=term)
            | Q(acronym__iexact=term)
            | Q(name__icontains=term)
            | Q(names__name__icontains=term)
        )
        .order_by("kind", "sort_name")
        .first()
    )


def _words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w+", query.casefold()) if w]


# Longest first; a stem keeps at least four letters ("uses" stays "uses", not "us").
ENDINGS = ("ings", "ing", "ies", "ied", "es", "ed", "s", "y")


def _stem(word: str) -> str:
    """A light English stemmer for the word match: the part every form of the word shares."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _folded(text: str) -> str:
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
        return _words(self.text)

    @property
    def stems(self) -> list[str]:
        return [_stem(word) for word in self.words]

    def matches(self, haystack: str) -> bool:
        """`haystack` casefolded: every stem and one name of every group occur in it."""
        return all(stem in haystack for stem in self.stems) and all(
            any(name.casefold() in haystack for name in group) for group in self.name_groups
        )

    def rank(self, haystack: str) -> int:
        names = [name.casefold() for group in self.name_groups for name in group]
        return sum(haystack.count(term) for term in [*self.stems, *names])

    @property
    def marked(self) -> list[str]:
        return [*self.stems, *(name.casefold() for group in self.name_groups for name in group)]


def parse_query(query: str) -> ParsedQuery:
    """Finds the participants' names in `query` (current, earlier or sort names, whole words,
    longest first) and takes them out of its words."""
    names: dict[int, set[str]] = {}
    spoken: list[tuple[str, int]] = []
    every_name = (
        Participant.objects.order_by()
        .values_list("id", "name", "sort_name")
        .union(
            ParticipantName.objects.order_by().values_list("participant_id", "name", "sort_name")
        )
    )
    for participant_id, name, sort_name in every_name:
        names.setdefault(participant_id, set()).add(name)
        spoken += [(_folded(name), participant_id), (_folded(sort_name), participant_id)]
    rest = _folded(query)
    groups = []
    for spoken_name, participant_id in sorted(set(spoken), key=lambda n: -len(n[0])):
        pattern = re.compile(rf"(?<!\w){re.escape(spoken_name)}(?!\w)")
        if spoken_name and pattern.search(rest):
            rest = pattern.sub(" ", rest)
            group = tuple(sorted(names[participant_id]))
            if group not in groups:
                groups.append(group)
    if not groups:
        return ParsedQuery(text=query)
    return ParsedQuery(text=" ".join(rest.split()), name_groups=tuple(groups))


def _postgres_query(parsed: ParsedQuery) -> SearchQuery:
    """The words as a web search, and each group as one of its names' phrases."""
    combined = None
    if parsed.words:
        combined = SearchQuery(parsed.text, config="english", search_type="websearch")
    for group in parsed.name_groups:
        either = None
        for name in group:
            phrase = SearchQuery(name, config="english", search_type="phrase")
            either = phrase if either is None else either | phrase
        combined = either if combined is None else combined & either
    return combined


def _postgres_hits(source: Source, queryset: QuerySet, parsed: ParsedQuery):
    search_query = _postgres_query(parsed)
    vector = SearchVector(*source.fields, config="english")
    rows = (
        queryset.annotate(search=vector)
        .filter(search=search_query)
        .annotate(
            rank=SearchRank(vector, search_query),
            headline=SearchHeadline(
                source.snippet_field,
                search_query,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                # Fragments centre on the matches, so a snippet shows their context.
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank")[:PER_KIND_LIMIT]
    )
    for row in rows:
        yield row, float(row.rank), _marked(row.headline)


def _marked(headline: str) -> SafeString:
    # Escaped first; only our own <mark> tags are added.
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))  # nosec B308 B703


def _in_any_field(source: Source, terms) -> Q:
    condition = Q()
    for term in terms:
        for name in source.fields:
            condition |= Q(**{f"{name}__icontains": term})
    return condition


def _fallback_hits(source: Source, queryset: QuerySet, parsed: ParsedQuery):
    if not parsed.stems and not parsed.name_groups:
        return
    condition = Q()
    for stem in parsed.stems:
        condition &= _in_any_field(source, [stem])
    for group in parsed.name_groups:
        condition &= _in_any_field(source, group)
    for row in queryset.filter(condition)[: PER_KIND_LIMIT * 4]:
        texts = [getattr(row, name) or "" for name in source.fields]
        haystack = " ".join(texts).casefold()
        yield row, float(parsed.rank(haystack)), _fallback_snippet(texts, parsed.marked)


def _published_hits(source: Source, records: list, parsed: ParsedQuery | None, participant):
    """Rows of published revisions (records being corrected), matched word by word as on
    SQLite: there are few such records, and their rows live in the revision, not a table."""
    for record in records:
        for row in source.published_rows(record):
            if participant is not None and participant not in source.participants_of(row):
                continue
            texts = [getattr(row, name) or "" for name in source.fields]
            haystack = " ".join(texts).casefold()
            if parsed is None:
                yield row, 0.0, _fallback_snippet(texts, [])
            elif parsed.matches(haystack):
                yield row, float(parsed.rank(haystack)), _fallback_snippet(texts, parsed.marked)


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


def search(
    *,
    viewer,
    query: str,
    year: int | None = None,
    participant: Participant | None = None,
    kind: str = "",
) -> list[SearchHit]:
    """Hits the viewer may see, best first. An empty query with a participant lists what the
    participant said (its statements) and did, newest first."""
    policy = policy_for(viewer)
    query = query.strip()
    parsed = parse_query(query) if query else None
    postgres = connection.vendor == "postgresql"
    hits: list[SearchHit] = []
    published = None
    for source in SOURCES:
        if kind and source.kind != kind:
            continue
        if participant is not None and source.participant_q is None:
            continue
        queryset = source.queryset(policy)
        if year and source.year_path:
            queryset = queryset.filter(**{source.year_path: year})
        if participant is not None:
            matching = source.queryset(policy).filter(source.participant_q(participant))
            queryset = queryset.filter(pk__in=matching.values("pk"))
        if query:
            rows = (_postgres_hits if postgres else _fallback_hits)(source, queryset, parsed)
        elif participant is not None:
            rows = (
                (row, 0.0, _fallback_snippet([getattr(row, f) or "" for f in source.fields], []))
                for row in queryset[:PER_KIND_LIMIT]
            )
        else:
            continue
        if source.published_rows is not None and (query or participant is not None):
            if published is None:
                published = _published_records(policy, year)
            rows = [*rows, *_published_hits(source, published, parsed, participant)]
        for row, rank, snippet in rows:
            hits.append(
                SearchHit(
                    kind=source.kind,
                    kind_label=source.label,
                    title=source.title(row),
                    url=source.url(row),
                    date=source.date(row),
                    snippet=snippet,
                    rank=rank,
                    speakers=[p.name_on(source.date(row)).name for p in row.speakers.all()]
                    if source.kind == "statement"
                    else [],
                )
            )
    hits.sort(key=lambda h: (-h.rank, -(h.date or datetime.date.min).toordinal()))
    return hits
