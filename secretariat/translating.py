"""What the workspace shows of translations: each translated field of a meeting's or a
project's records with its original and its translation side by side, and across the
workspace what needs translating, counted per language and status.

Statuses come from bpdialogue/translations.py, the one place that tells them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy, pgettext_lazy

from bpdialogue.translations import (
    CURRENT,
    MISSING,
    OUTDATED,
    authoritative_language,
    authoritative_lookups,
    column,
    field_status,
    languages,
    translated_fields,
)
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Document,
    Meeting,
    Statement,
    ThematicFocus,
    WorkingGroup,
)
from participants.models import Dialogue, Participant, ParticipantName, Region
from projects.models import Project, Site
from workplans.models import Activity, CooperationFramework, Workplan

# Every record with translated fields, by the name its rows' addresses use, in the order the
# workspace-wide list shows them.
KINDS = {
    "meeting": Meeting,
    "agenda-item": AgendaItem,
    "statement": Statement,
    "conclusion": Conclusion,
    "action-point": ActionPoint,
    "document": Document,
    "project": Project,
    "site": Site,
    "participant": Participant,
    "participant-name": ParticipantName,
    "dialogue": Dialogue,
    "region": Region,
    "working-group": WorkingGroup,
    "thematic-focus": ThematicFocus,
    "framework": CooperationFramework,
    "workplan": Workplan,
    "activity": Activity,
}
KIND_OF = {model: kind for kind, model in KINDS.items()}

STATUS_LABELS = {
    MISSING: pgettext_lazy("translation", "Missing"),
    OUTDATED: pgettext_lazy("translation", "Outdated"),
    CURRENT: pgettext_lazy("translation", "Up to date"),
}
# At most this many rows on the workspace-wide list; the filters narrow it down.
LIST_LIMIT = 100


@dataclass
class Row:
    """One translated field of one record in one language other than its original's."""

    kind: str
    pk: int
    version: int
    what: str
    field: str
    field_label: str
    source: str
    language: str
    original: str
    translation: str
    status: str
    error: str = ""
    conflict: str = ""
    theirs: str = ""  # after a conflict: the translation saved meanwhile
    # The meeting or project whose translations page lists the row, if any.
    meeting_slug: str = ""
    project_slug: str = ""

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def element_id(self) -> str:
        return f"translation-{self.kind}-{self.pk}-{self.field}-{self.language}"


def _field_label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name).capitalize()


def _field_rows(*, model, kind, pk, version, what, source, recorded, text_of, **extra):
    """The rows of one record: each translated field with an original, in each language but
    the original's. `text_of(field, language)` reads the record's text ('' for none)."""
    for field in translated_fields(model):
        original = text_of(field, source)
        if not original.strip():
            continue  # nothing to translate
        for language in languages():
            if language == source:
                continue
            translation = text_of(field, language)
            yield Row(
                kind=kind,
                pk=pk,
                version=version,
                what=what,
                field=field,
                field_label=_field_label(model, field),
                source=source,
                language=language,
                original=original,
                translation=translation,
                status=field_status(
                    original, translation, (recorded.get(field) or {}).get(language)
                ),
                **extra,
            )


def rows_of(obj, *, what: str = "") -> list[Row]:
    """Each translated field of `obj` with an original, in each language but the original's."""
    return list(
        _field_rows(
            model=type(obj),
            kind=KIND_OF[type(obj)],
            pk=obj.pk,
            version=obj.version,
            what=what or str(obj._meta.verbose_name).capitalize(),
            source=authoritative_language(obj),
            recorded=obj.translated_from or {},
            text_of=lambda field, language: getattr(obj, column(field, language)) or "",
        )
    )


def meeting_translation_rows(meeting: Meeting) -> list[Row]:
    """The meeting and its parts, in the order of its record: the meeting's fields, each
    agenda item (sub-items after their parent) with its statements, the conclusions, the
    action points, the documents. A fixed number of queries whatever the meeting's size."""
    items = []
    top = (
        AgendaItem.objects.filter(meeting=meeting, parent=None)
        .prefetch_related("sub_items__statements", "statements")
        .order_by("position")
    )
    for item in top:
        items.append(item)
        items.extend(sorted(item.sub_items.all(), key=lambda sub: sub.position))
    rows = rows_of(meeting, what=str(Meeting._meta.verbose_name).capitalize())
    for number, item in enumerate(items, start=1):
        item.meeting = meeting
        rows += rows_of(item, what=f"{AgendaItem._meta.verbose_name.capitalize()} {number}")
        for statement in sorted(item.statements.all(), key=lambda s: s.position):
            statement.agenda_item = item
            rows += rows_of(
                statement,
                what=f"{Statement._meta.verbose_name.capitalize()} {number}.{statement.position}",
            )
    for related, model in (
        ("conclusions", Conclusion),
        ("action_points", ActionPoint),
        ("documents", Document),
    ):
        for position, part in enumerate(getattr(meeting, related).order_by("pk"), start=1):
            part.meeting = meeting
            rows += rows_of(part, what=f"{model._meta.verbose_name.capitalize()} {position}")
    return rows


def project_translation_rows(project: Project) -> list[Row]:
    rows = rows_of(project, what=str(Project._meta.verbose_name).capitalize())
    for site in project.sites.order_by("name_en", "pk"):
        site.project = project
        rows += rows_of(site, what=f"{Site._meta.verbose_name.capitalize()}: {site.name}")
    return rows


def translation_target(kind: str, pk: int):
    """The record a translation row names, or None."""
    model = KINDS.get(kind)
    return model._base_manager.filter(pk=pk).first() if model else None


# -- the workspace-wide list ----------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    language: str = ""
    status: str = ""
    kind: str = ""

    @classmethod
    def from_query(cls, query) -> Filters:
        def chosen(name, allowed):
            value = query.get(name, "")
            return value if value in allowed else ""

        return cls(
            language=chosen("language", languages()),
            status=chosen("status", STATUS_LABELS),
            kind=chosen("kind", KINDS),
        )


def _source_expression(model):
    lookups = authoritative_lookups(model)
    default = Value(settings.LANGUAGE_CODE)
    if not lookups:
        return default
    return Coalesce(*[F(lookup) for lookup in lookups], default)


def _container_slugs(model) -> dict:
    """`_meeting` and `_project`: the slug of the meeting or project a row belongs to."""
    found = {}
    for lookup in authoritative_lookups(model):
        prefix = lookup.removesuffix("authoritative_language")
        container = "project" if (model is Project or prefix.endswith("project__")) else "meeting"
        found.setdefault(f"_{container}", F(f"{prefix}slug"))
    return found


def _filled(name: str) -> Q:
    return Q(**{f"{name}__isnull": False}) & ~Q(**{name: ""})


def _pairs(fields):
    """(field, original's language, translation's language) for every translated field."""
    return [
        (field, source, target)
        for field in fields
        for source in languages()
        for target in languages()
        if source != target
    ]


def _missing(field, source, target) -> Q:
    return Q(_source=source) & _filled(column(field, source)) & ~_filled(column(field, target))


def _translated(field, source, target) -> Q:
    return Q(_source=source) & _filled(column(field, target))


def _any(conditions) -> Q:
    found = Q(pk__in=[])
    for condition in conditions:
        found |= condition
    return found


def needs_translating(filters: Filters) -> dict:
    """Counts per language and status over every translated field of every record, and the
    first `LIST_LIMIT` rows the filters select (by default what is missing or outdated).

    Per kind of record, whatever the number of records: one count of what is missing (in
    SQL: the original filled, the translation empty), one read of the rows that have a
    translation (whether it is current needs the original's digest), and, while the list is
    not full, one read of the next rows with something missing."""
    counts = Counter()
    rows: list[Row] = []
    wanted = {filters.status} if filters.status else {MISSING, OUTDATED}

    def listed(row, kind) -> bool:
        return (
            row.status in wanted
            and (not filters.language or filters.language == row.language)
            and (not filters.kind or filters.kind == kind)
        )

    for kind, model in KINDS.items():
        fields = translated_fields(model)
        pairs = _pairs(fields)
        slugs = _container_slugs(model)
        base = model._base_manager.annotate(_source=_source_expression(model), **slugs)
        missing = base.aggregate(
            **{f"m{index}": Count("pk", filter=_missing(*pair)) for index, pair in enumerate(pairs)}
        )
        for index, (_field, _source, target) in enumerate(pairs):
            counts[target, MISSING] += missing[f"m{index}"]
        columns = [column(field, lang) for field in fields for lang in languages()]
        shown = ("pk", "version", "_source", "translated_from", *slugs, *columns)
        what = str(model._meta.verbose_name).capitalize()

        def rows_in(records, kind=kind, model=model, what=what):
            for record in records:
                yield from _field_rows(
                    model=model,
                    kind=kind,
                    pk=record["pk"],
                    version=record["version"],
                    what=what,
                    source=record["_source"],
                    recorded=record["translated_from"] or {},
                    text_of=lambda name, language, record=record: (
                        record[column(name, language)] or ""
                    ),
                    meeting_slug=record.get("_meeting") or "",
                    project_slug=record.get("_project") or "",
                )

        translated = base.filter(_any(_translated(*pair) for pair in pairs))
        for row in rows_in(translated.values(*shown).order_by("pk").iterator(chunk_size=2000)):
            if row.status != MISSING:  # counted above
                counts[row.language, row.status] += 1
            if len(rows) < LIST_LIMIT and row.status != MISSING and listed(row, kind):
                rows.append(row)
        if MISSING in wanted and len(rows) < LIST_LIMIT and filters.kind in ("", kind):
            targets = [filters.language] if filters.language else languages()
            lacking = base.filter(_any(_missing(*pair) for pair in pairs if pair[2] in targets))
            for row in rows_in(lacking.values(*shown).order_by("pk")[: LIST_LIMIT - len(rows)]):
                if len(rows) < LIST_LIMIT and row.status == MISSING and listed(row, kind):
                    rows.append(row)
    table = [
        {
            "language": language,
            "name": dict(settings.LANGUAGES)[language],
            **{status: counts[language, status] for status in STATUS_LABELS},
        }
        for language in languages()
    ]
    return {"counts": table, "rows": rows, "limit": LIST_LIMIT}


KIND_LABELS = {kind: gettext_lazy(model._meta.verbose_name) for kind, model in KINDS.items()}
