"""Loads a translation file of the demo (demo/data/translations_<language>.json, see its
README) through the translation service, once the rows it translates are loaded.

A file names its rows by the natural keys the other files use: a dialogue, participant,
meeting or project by slug, a region by slug within its dialogue, a working group or a site by
its (original) name, a thematic focus or a workplan by year, a framework by its years
("2017-2021"), a dated name by the day it came into use; numbered lists (agenda items,
statements, conclusions, action points, activities) are in their order. An entry holds its
row's translated texts, the entries of the rows listed under it and, for a dated name, the
case `forms` its language needs. A translation that already reads as the file's and is
current is left alone, so a second load writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from bpdialogue.services import save_translation
from bpdialogue.translations import CURRENT, column, translated_fields, translations_of
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
from participants import services as participants
from participants.models import Dialogue, Participant, ParticipantName, Region
from projects.models import Project, Site
from workplans.models import Activity, CooperationFramework, Workplan

from .refusals import DemoDataRefused

# A dated name's entry may also hold the forms its language declines it in.
FORMS = "forms"


@dataclass(eq=False)
class Entries:
    """Rows of one model as a translation file lists them. `key` is the field (or fields:
    "2017-2021" fills two) an entry's key names, or "position" for a list in numbered order;
    `above` the field that points to the row the list is under; `keyed_by` the field of each
    entry that is its key, for a list that is not numbered (dated names)."""

    model: type[models.Model]
    key: tuple[str, ...]
    above: str | None = None
    children: dict[str, Entries] = field(default_factory=dict)
    keyed_by: str | None = None
    fixed: dict = field(default_factory=dict)

    def lookup(self, key, above: models.Model | None, dialogue: Dialogue | None) -> dict:
        values = str(key).split("-") if len(self.key) > 1 else [key]
        translated = translated_fields(self.model)
        found = {
            # A translated key (a site's name) is the original's: the demo's are English.
            column(name, settings.LANGUAGE_CODE) if name in translated else name: (
                self.model._meta.get_field(name).to_python(value)
            )
            for name, value in zip(self.key, values, strict=True)
        }
        if self.above:
            found[self.above] = above
        if "dialogue" not in found and any(f.name == "dialogue" for f in self.model._meta.fields):
            found["dialogue"] = dialogue
        return {**found, **self.fixed}


def _numbered(model, above):
    return Entries(model, ("position",), above)


SECTIONS: dict[str, Entries] = {
    "dialogues": Entries(
        Dialogue, ("slug",), children={"regions": Entries(Region, ("slug",), "dialogue")}
    ),
    "participants": Entries(
        Participant,
        ("slug",),
        children={
            "names": Entries(ParticipantName, ("valid_from",), "participant", keyed_by="valid_from")
        },
    ),
    "working_groups": Entries(WorkingGroup, ("name",)),
    "thematic_focuses": Entries(ThematicFocus, ("year",)),
    "meetings": Entries(
        Meeting,
        ("slug",),
        children={
            "agenda": Entries(
                AgendaItem,
                ("position",),
                "meeting",
                children={"statements": _numbered(Statement, "agenda_item")},
                # The file lists the top-level items (the demo's agendas have no sub-items).
                fixed={"parent": None},
            ),
            "conclusions": _numbered(Conclusion, "meeting"),
            "action_points": _numbered(ActionPoint, "meeting"),
        },
    ),
    "projects": Entries(
        Project, ("slug",), children={"sites": Entries(Site, ("name",), "project")}
    ),
    "frameworks": Entries(
        CooperationFramework,
        ("first_year", "last_year"),
        children={
            "workplans": Entries(
                Workplan,
                ("year",),
                "framework",
                children={"activities": _numbered(Activity, "workplan")},
            )
        },
    ),
}


def load_translations(data: dict, loader) -> None:
    """Save the translations of a translation file's `data` (its `language`, its sections);
    `loader` is the demo's loader (demo/loader.py): its report and the file's dialogue."""
    for name, entries in SECTIONS.items():
        _translate_entries(entries, data.get(name, {}), None, data["language"], loader)


def _translate_entries(entries: Entries, listed, above, language: str, loader) -> None:
    if isinstance(listed, dict):
        keyed = listed.items()
    elif entries.keyed_by:
        keyed = ((entry.get(entries.keyed_by), entry) for entry in listed)
    else:
        keyed = enumerate(listed, start=1)
    for key, entry in keyed:
        if not isinstance(entry, dict):  # a numbered list of texts (statements, conclusions)
            entry = {"text": entry}
        lookup = entries.lookup(key, above, loader.dialogue)
        obj = entries.model._base_manager.filter(**lookup).first()
        where = f"{entries.model._meta.label} {key!r}" + (f" of {above}" if above else "")
        if obj is None:
            raise DemoDataRefused(f"No {where} to translate.")
        texts = {
            name: text
            for name, text in entry.items()
            if name not in entries.children and name != entries.keyed_by
        }
        try:
            outcome = _translate_row(obj, texts, language)
        except ValidationError as error:
            raise DemoDataRefused(
                f"The {language} translation of {where}: {'; '.join(error.messages)}"
            ) from error
        loader.report.add(entries.model, outcome, language=language)
        for name, child in entries.children.items():
            _translate_entries(child, entry.get(name, []), obj, language, loader)


def _translate_row(obj: models.Model, texts: dict, language: str) -> str:
    """Save those of `obj`'s translations into `language` that differ from `texts`: 'created'
    when none of them was there, 'updated' when one was, 'unchanged' when all read so."""
    held = translations_of(obj)
    saved = []  # for each text saved, whether there was one before
    for name, text in texts.items():
        if name == FORMS:
            forms = obj.forms or {}
            if forms.get(language) != text:
                saved.append(language in forms)
                obj = participants.participant_part_update(
                    part=obj,
                    expected_version=obj.version,
                    changes={FORMS: {**forms, language: text}},
                )
            continue
        if name not in held:
            raise ValidationError(f"{name!r} is not a translated field of this record.")
        now = held[name][language]
        # The service keeps a text without its surrounding blank lines (a list's last "\n").
        if now["text"] != text.strip() or now["status"] != CURRENT:
            saved.append(bool(now["text"]))
            obj = save_translation(
                obj, name, language, text, user=None, expected_version=obj.version
            )
    if not saved:
        return "unchanged"
    return "updated" if any(saved) else "created"


def issue_translated_summaries(*, language: str = "ru") -> list:
    """Issue, in `language`, the Summary/conclusions of every published demo record whose
    translation is complete (the 24th Senior Officials Meeting), as the secretariat would
    from the Documents tab, rendered here and now. A record that has its issued translation
    already is left alone, so a second run renders nothing."""
    from meetings.documents import document_issue_translation, summary_translation_gaps
    from meetings.tasks import render_document

    issued = []
    for meeting in Meeting.objects.filter(record_status=Meeting.RecordStatus.PUBLISHED):
        if meeting.authoritative_language == language:
            continue
        if summary_translation_gaps(meeting=meeting, language=language):
            continue
        if meeting.documents.filter(
            kind=Document.Kind.SUMMARY, language=language, issued_at__isnull=False
        ).exists():
            continue
        job = document_issue_translation(meeting=meeting, language=language, enqueue=False)
        render_document.apply(args=[job.pk])
        job.refresh_from_db()
        if job.status != job.Status.SUCCEEDED:
            raise DemoDataRefused(f"{meeting.slug}: the {language} summary failed: {job.error}")
        issued.append(job.document)
    return issued
