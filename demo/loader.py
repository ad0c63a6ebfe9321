"""Loads the Budapest Process of the reference document (the files in demo/data/, see its
README) through the apps' services, as any other writer would: their validation and rules
apply, and they write the history.

A row is found by its natural key; a new one is created, one whose stored values differ from
the file's is updated at the version it was read at, and one that matches is left alone, so a
second load writes nothing. References name rows by natural key too: a participant by its ISO
code (states) or slug, a meeting, project or region by slug, a thematic focus by year, a
working group by name; meetings, projects, regions, working groups and thematic focuses
within the file's dialogue.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation

from meetings import services as meetings
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    Meeting,
    RecordRevision,
    Statement,
    ThematicFocus,
    WorkingGroup,
)
from participants import services as participants
from participants.models import (
    Dialogue,
    ExternalIdentifier,
    FocalPoint,
    Membership,
    Participant,
    ParticipantName,
    Person,
    Region,
    RoleAssignment,
)
from projects import services as projects
from projects.models import Project, ProjectPartner, Site
from workplans import services as workplans
from workplans.models import Activity, CooperationFramework, FrameworkCadence, Workplan

from .refusals import DemoDataRefused
from .translating import load_translations

DATA = Path(__file__).resolve().parent / "data"


@dataclass(eq=False)
class Kind:
    """How rows of one model are found, created and updated. `children` maps a key of the row
    to the kind of the rows listed under it and the field that points back to this row."""

    model: type[models.Model]
    key: tuple[str, ...]
    create: Callable[..., models.Model]
    update: Callable[..., models.Model]
    # The row's place in its list is its position; the create services number new rows at
    # the end, which is that place as the file's rows are created in order.
    numbered: bool = False
    children: dict[str, tuple[str, Kind]] = field(default_factory=dict)


def _part_update(service):
    return lambda obj, **kwargs: service(part=obj, **kwargs)


_participants = _part_update(participants.participant_part_update)
_record = _part_update(meetings.record_part_update)
_projects = _part_update(projects.project_part_update)
_workplans = _part_update(workplans.workplan_part_update)

PARTICIPANT = Kind(
    Participant,
    ("slug",),
    participants.participant_create,
    _participants,
    children={
        "names": (
            "participant",
            Kind(
                ParticipantName,
                ("participant", "valid_from"),
                participants.participant_name_add,
                _participants,
            ),
        ),
        "identifiers": (
            "participant",
            Kind(
                ExternalIdentifier,
                ("participant", "scheme"),
                participants.external_identifier_add,
                _participants,
            ),
        ),
    },
)
DIALOGUE = Kind(
    Dialogue,
    ("slug",),
    participants.dialogue_create,
    _participants,
    children={
        "memberships": (
            "dialogue",
            Kind(
                Membership,
                ("dialogue", "participant", "valid_from"),
                participants.membership_add,
                _participants,
            ),
        ),
        "regions": (
            "dialogue",
            Kind(Region, ("dialogue", "slug"), participants.region_create, _participants),
        ),
        "roles": (
            "dialogue",
            Kind(
                RoleAssignment,
                ("dialogue", "participant", "role", "valid_from"),
                participants.role_assign,
                _participants,
            ),
        ),
    },
)
# People are found by their e-mail (the demo's are all @demo.invalid).
PERSON = Kind(
    Person,
    ("email",),
    participants.person_create,
    lambda obj, **kwargs: participants.person_update(person=obj, **kwargs),
    children={
        "focal_points": (
            "person",
            Kind(
                FocalPoint,
                ("dialogue", "participant", "person", "valid_from"),
                participants.focal_point_add,
                _participants,
            ),
        ),
    },
)
WORKING_GROUP = Kind(
    WorkingGroup,
    ("dialogue", "name"),
    meetings.working_group_create,
    lambda obj, **kwargs: meetings.working_group_update(working_group=obj, **kwargs),
)
# A thematic focus is proposed at a meeting and later meetings are held under it, so it is
# listed under the meeting that proposed it.
MEETING = Kind(
    Meeting,
    ("slug",),
    meetings.meeting_create,
    lambda obj, **kwargs: meetings.meeting_update(meeting=obj, **kwargs),
    children={
        "thematic_focuses_proposed": (
            "proposed_at",
            Kind(
                ThematicFocus,
                ("dialogue", "year"),
                meetings.thematic_focus_create,
                lambda obj, **kwargs: meetings.thematic_focus_update(thematic_focus=obj, **kwargs),
            ),
        ),
    },
)
# A meeting's record is listed apart from the meetings: it refers to later ones (the meeting
# an action point is fulfilled by).
RECORD = {
    "delegations": Kind(
        Delegation, ("meeting", "participant"), meetings.delegation_create, _record
    ),
    "agenda": Kind(
        AgendaItem,
        ("meeting", "parent", "position"),
        meetings.agenda_item_create,
        _record,
        numbered=True,
        children={
            "statements": (
                "agenda_item",
                Kind(
                    Statement,
                    ("agenda_item", "position"),
                    meetings.statement_create,
                    _record,
                    numbered=True,
                ),
            )
        },
    ),
    "conclusions": Kind(
        Conclusion, ("meeting", "position"), meetings.conclusion_create, _record, numbered=True
    ),
    "action_points": Kind(
        ActionPoint, ("meeting", "position"), meetings.action_point_create, _record, numbered=True
    ),
}
PROJECT = Kind(Project, ("slug",), projects.project_create, _projects)
PROJECT.children = {
    "partners": (
        "project",
        Kind(
            ProjectPartner,
            ("project", "participant", "role"),
            projects.project_partner_add,
            _projects,
        ),
    ),
    "children": ("parent", PROJECT),
    "sites": ("project", Kind(Site, ("project", "name"), projects.site_add, _projects)),
}
FRAMEWORK = Kind(
    CooperationFramework,
    ("dialogue", "first_year", "last_year"),
    partial(workplans.workplan_part_create, model=CooperationFramework),
    _workplans,
    children={
        "cadence": (
            "framework",
            Kind(
                FrameworkCadence,
                ("framework", "meeting_kind"),
                partial(workplans.workplan_part_create, model=FrameworkCadence),
                _workplans,
            ),
        ),
        "workplans": (
            "framework",
            Kind(
                Workplan,
                ("dialogue", "year"),
                partial(workplans.workplan_part_create, model=Workplan),
                _workplans,
                children={
                    "activities": (
                        "workplan",
                        Kind(
                            Activity,
                            ("workplan", "position"),
                            workplans.activity_create,
                            _workplans,
                            numbered=True,
                        ),
                    )
                },
            ),
        ),
    },
)

# In the order they are loaded (each refers only to rows loaded before it): file, list, kind
# (None: the meetings' records; a function: a whole file it loads, the translations).
SECTIONS: tuple[tuple[str, str, Kind | Callable | None], ...] = (
    ("participants", "participants", PARTICIPANT),
    ("participants", "dialogues", DIALOGUE),
    ("participants", "people", PERSON),
    ("meetings", "working_groups", WORKING_GROUP),
    ("meetings", "meetings", MEETING),
    ("meetings", "records", None),
    ("projects", "projects", PROJECT),
    ("workplans", "frameworks", FRAMEWORK),
    ("translations_ru", "translations", load_translations),
)

# How a reference names a row of each model.
REFERENCE_FIELDS = {
    Dialogue: "slug",
    Meeting: "slug",
    Project: "slug",
    Region: "slug",
    ThematicFocus: "year",
    WorkingGroup: "name",
}


@dataclass
class LoadReport:
    """What a load did, per kind of row (`app.Model`, and `app.Model (ru)` for its rows'
    translations into a language): rows created, updated, unchanged."""

    kinds: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, model: type[models.Model], outcome: str, *, language: str = "") -> None:
        label = f"{model._meta.label} ({language})" if language else model._meta.label
        self.kinds[label][outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(counts[outcome] for counts in self.kinds.values())

    @property
    def changed(self) -> bool:
        return bool(self.total("created") or self.total("updated"))


class _Loader:
    def __init__(self):
        self.report = LoadReport()
        self.dialogue: Dialogue | None = None
        self._references: dict[tuple[type[models.Model], object], models.Model] = {}

    def load(self, progress: Callable[[str], None]) -> LoadReport:
        files: dict[str, dict] = {}
        for name, section, kind in SECTIONS:
            if name not in files:
                files[name] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
                if "dialogue" in files[name]:
                    self.dialogue = self._reference(Dialogue, files[name]["dialogue"])
            progress(section.replace("_", " "))
            rows = files[name].get(section, [])
            if kind is None:
                for row in rows:
                    self._load_record(row)
            elif not isinstance(kind, Kind):
                kind(files[name], self)
            else:
                self._load_rows(kind, rows)
        return self.report

    def _load_record(self, row: dict) -> None:
        meeting = self._reference(Meeting, row["meeting"])
        for name, kind in RECORD.items():
            self._load_rows(kind, row.get(name, []), meeting=meeting)
        published = row.get("published")
        if not published:
            return
        if meeting.revisions.exists():
            self.report.add(RecordRevision, "unchanged")
            return
        # Published before it was kept here: filled while a draft, then taken in as it stands.
        try:
            meetings.meeting_record_import_published(
                meeting=meeting,
                published_on=datetime.date.fromisoformat(published["on"]),
                note=published["note"],
            )
        except ValidationError as error:
            raise DemoDataRefused(f"The record of {meeting.slug}: {_messages(error)}") from error
        self.report.add(RecordRevision, "created")

    def _load_rows(self, kind: Kind, rows: list[dict], **parent) -> None:
        for place, row in enumerate(rows, start=1):
            try:
                obj = self._load_row(kind, row, place, parent)
            except ValidationError as error:
                named = [f"{name}={row[name]}" for name in kind.key if name in row]
                where = ", ".join(named) or f"#{place}"
                under = "".join(f" of {obj}" for obj in parent.values())
                raise DemoDataRefused(
                    f"{kind.model._meta.label} {where}{under}: {_messages(error)}"
                ) from error
            for name, (back, child) in kind.children.items():
                self._load_rows(child, row.get(name, []), **{back: obj})

    def _load_row(self, kind: Kind, row: dict, place: int, parent: dict) -> models.Model:
        fields = {
            name: self._value(kind.model, name, raw)
            for name, raw in row.items()
            if name not in kind.children
        }
        fields.update(parent)
        if kind.numbered:
            fields["position"] = place
        if _has_field(kind.model, "dialogue"):
            fields.setdefault("dialogue", self.dialogue)
        key = {name: fields.pop(name, None) for name in kind.key}
        obj = kind.model.objects.filter(**key).first()
        if obj is None:
            if kind.numbered:
                del key["position"]
            obj, outcome = kind.create(**key, **fields), "created"
        elif changes := {n: v for n, v in fields.items() if not _holds(obj, n, v)}:
            obj, outcome = (
                kind.update(obj, expected_version=obj.version, changes=changes),
                "updated",
            )
        else:
            outcome = "unchanged"
        self.report.add(kind.model, outcome)
        return obj

    def _value(self, model: type[models.Model], name: str, raw):
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            return [self._reference(model_field.related_model, item) for item in raw]
        if model_field.many_to_one:
            return None if raw is None else self._reference(model_field.related_model, raw)
        if isinstance(model_field, models.DateField) and str(raw).startswith("today+"):
            # A date that must stay ahead of whoever runs the demo (a deadline still open).
            return timezone.localdate() + datetime.timedelta(days=int(raw.removeprefix("today+")))
        return model_field.to_python(raw)

    def _reference(self, model: type[models.Model], natural) -> models.Model:
        if (model, natural) not in self._references:
            if model is Participant:
                lookup = {"iso_code" if natural.isupper() else "slug": natural}
            else:
                lookup = {REFERENCE_FIELDS[model]: natural}
                if _has_field(model, "dialogue"):
                    lookup["dialogue"] = self.dialogue
            found = model.objects.filter(**lookup).first()
            if found is None:
                raise DemoDataRefused(f"No {model._meta.label} {natural!r} (yet) to refer to.")
            self._references[model, natural] = found
        return self._references[model, natural]


def _messages(error: ValidationError) -> str:
    return "; ".join(error.messages)


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _holds(obj: models.Model, name: str, value) -> bool:
    """Whether `obj` already holds `value` in field `name`."""
    model_field = obj._meta.get_field(name)
    if model_field.many_to_many:
        return {item.pk for item in getattr(obj, name).all()} == {item.pk for item in value}
    stored = getattr(obj, model_field.attname)
    return stored == (value.pk if isinstance(value, models.Model) else value)


@transaction.atomic
def load_demo(progress: Callable[[str], None] | None = None) -> LoadReport:
    """Load the Budapest Process demo data; `progress` is told the name of each section as it
    starts. All or nothing: a refused row (`DemoDataRefused`) writes nothing at all.

    The data files hold the English originals (the Russian comes from translations_ru.json
    through save_translation): they are compared with what is stored in English whatever
    language the caller has active."""
    with translation.override(settings.LANGUAGE_CODE):
        return _Loader().load(progress or (lambda section: None))
