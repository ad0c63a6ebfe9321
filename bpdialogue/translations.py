"""Content in several languages: which fields are translated, in what language a record's
originals are, and whether each translation is missing, current or outdated.

The columns are django-modeltranslation's (`title_en`, `title_ru`, one per language of
LANGUAGES; each app's translation.py names its fields). Reading `obj.title` gives the active
language, falling back to the others, so the authoritative text shows where a translation is
missing. A translation's status compares the digest of the original it was made from (stored
in the record's `translated_from` when it was saved) with the digest of the original now.

Pure functions: the API, the portal's marks and the workspace read statuses here, never their
own way; translations are written by `bpdialogue.services.translation_save`."""

from __future__ import annotations

import functools
import hashlib
import unicodedata

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from modeltranslation.translator import NotRegistered, TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname

MISSING, CURRENT, OUTDATED, ORIGINAL = "missing", "current", "outdated", "original"
STATUSES = (MISSING, OUTDATED, CURRENT)

# Where a part of a record finds the record whose language it is written in: an agenda item,
# conclusion, action point or document its meeting, a statement its agenda item's, a site its
# project. The first of these a record has and fills decides.
_PARENTS = ("meeting", "agenda_item", "project")


# The translated fields of each model in the order its translation.py names them (the order
# pages and the API list them in).
_REGISTERED: dict[type[models.Model], tuple[str, ...]] = {}


def register(fields: dict[type[models.Model], tuple[str, ...]]) -> None:
    """Register `{model: (field, ...)}` with django-modeltranslation (an app's translation.py),
    and each model's change history with the same fields, so the history keeps every
    language's text: simple-history copies the fields the model has when it saves."""
    for model, names in fields.items():
        _REGISTERED[model] = tuple(names)
        options = type(f"{model.__name__}TranslationOptions", (TranslationOptions,), {})
        options.fields = tuple(names)
        translator.register(model, options)
        _per_language_uniqueness(model, names)
        history = getattr(model._meta, "simple_history_manager_attribute", None)
        if history:
            translator.register(getattr(model, history).model, options)
            _REGISTERED[getattr(model, history).model] = tuple(names)


def _per_language_uniqueness(model, names) -> None:
    """A name unique in its dialogue is unique in each language: django-modeltranslation adds
    a copy of such a constraint per language column (`..._unique_name-ru`); the original's
    column only mirrors one language's reading, so its constraint goes (it would also report
    each violation a second time)."""
    model._meta.constraints = [
        constraint
        for constraint in model._meta.constraints
        if not (
            isinstance(constraint, models.UniqueConstraint) and set(constraint.fields) & set(names)
        )
    ]
    model._meta.original_attrs["constraints"] = model._meta.constraints


def languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def column(field: str, language: str) -> str:
    """The column holding `field` in `language`: 'title', 'ru' → 'title_ru'."""
    return build_localized_fieldname(field, language)


def translated_fields(model) -> tuple[str, ...]:
    """The fields of `model` (a class or an instance) that have a column per language."""
    if not isinstance(model, type):
        model = type(model)
    if model in _REGISTERED:
        return _REGISTERED[model]
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return ()
    return tuple(options.fields)


def columns(model, names) -> tuple[str, ...]:
    """`names` with each translated field replaced by its columns in every language."""
    translated = set(translated_fields(model))
    return tuple(
        part
        for name in names
        for part in ([column(name, lang) for lang in languages()] if name in translated else [name])
    )


def text_digest(text) -> str:
    """A fingerprint of a text that ignores what does not change its meaning for a translator:
    line-ending style, trailing spaces, Unicode normalisation form."""
    text = unicodedata.normalize("NFC", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def field_status(original, translation, recorded_digest) -> str:
    """'missing' when there is no translation (an empty original needs none: 'current'),
    'current' when it was made from the original as it reads now, else 'outdated'."""
    if not str(translation or "").strip():
        return CURRENT if not str(original or "").strip() else MISSING
    return CURRENT if recorded_digest == text_digest(original) else OUTDATED


def authoritative_language(obj) -> str:
    """The language `obj`'s originals are written in: a meeting's or a project's own choice,
    which its parts (agenda items, statements, conclusions, action points, documents, sites)
    share; the site's language for everything else."""
    stated = getattr(obj, "authoritative_language", None)
    if isinstance(stated, str) and stated:
        return stated
    for parent in _PARENTS:
        try:
            field = obj._meta.get_field(parent)
        except FieldDoesNotExist:
            continue
        if getattr(obj, field.attname, None) is not None:
            return authoritative_language(getattr(obj, parent))
    return settings.LANGUAGE_CODE


def authoritative_lookups(model) -> tuple[str, ...]:
    """Where a query on `model` finds its rows' authoritative language, as
    `authoritative_language` finds an object's: 'meeting__authoritative_language' for an
    agenda item; several for a record under a meeting or a project (the first filled counts);
    none when it is always the site's language."""
    if any(f.name == "authoritative_language" for f in model._meta.concrete_fields):
        return ("authoritative_language",)
    lookups = []
    for parent in _PARENTS:
        try:
            field = model._meta.get_field(parent)
        except FieldDoesNotExist:
            continue
        lookups += [f"{parent}__{path}" for path in authoritative_lookups(field.related_model)]
    return tuple(lookups)


def text_in(obj, field: str, language: str) -> str:
    """`field` of `obj` exactly as written in `language` (no fallback); '' when there is none."""
    return getattr(obj, column(field, language)) or ""


def translations_of(obj) -> dict[str, dict[str, dict[str, str]]]:
    """Every translated field of `obj` in every language, with its status:
    `{"title": {"en": {"text": ..., "status": "original"}, "ru": {"text": ..., "status":
    "current"}}}`."""
    source = authoritative_language(obj)
    recorded = obj.translated_from or {}
    result = {}
    for field in translated_fields(obj):
        original = text_in(obj, field, source)
        digests = recorded.get(field) or {}
        result[field] = {
            lang: {
                "text": text_in(obj, field, lang),
                "status": ORIGINAL
                if lang == source
                else field_status(original, text_in(obj, field, lang), digests.get(lang)),
            }
            for lang in languages()
        }
    return result


def share_multilingual_queryset_classes() -> None:
    """Make django-modeltranslation build the multilingual class of each QuerySet class once.

    Its manager turns every queryset it hands out into a MultilingualQuerySet; for a model
    with a QuerySet class of its own (Meeting, Participant, and every related manager of
    theirs: `statement.speakers`) it does so by creating a new class on each call (0.20,
    `multilingual_queryset_factory`): 29 classes for one Summary/conclusions' source, each
    left for the garbage collector. The class made is the same each time (an empty subclass
    of both), so one per QuerySet class is kept: 2–4 % of a document's source (CPU, the 24th
    meeting's Summary, interleaved runs in one process)."""
    from modeltranslation import manager

    made = manager.multilingual_queryset_factory
    if getattr(made, "shares_classes", False):
        return

    @functools.cache
    def multilingual_class(queryset_class):
        return made(queryset_class, instantiate=False)

    # Under the library's own name: a pickled queryset names the factory that rebuilds it.
    @functools.wraps(made)
    def factory(queryset_class, instantiate=True):
        cls = multilingual_class(queryset_class)
        return cls() if instantiate else cls

    factory.shares_classes = True
    manager.multilingual_queryset_factory = factory
