"""The write path every app shares: optimistic concurrency for updates and deletes.

Each app's services call these with their own rules; views, serializers, the admin and
commands call the app's services, never these directly and never `Model.save()`."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import F, Max
from django.db.models.deletion import Collector
from django.db.models.signals import m2m_changed
from django.utils import timezone

from .deletions import deletion_for, domain_models
from .events import event_emit
from .models import Deletion, VersionConflict, VersionedModel, WebhookEvent
from .translations import (
    authoritative_language,
    column,
    languages,
    text_digest,
    text_in,
    translated_fields,
)

# A rule run before a write: it raises ValidationError to refuse it. It gets the object
# (with the changes applied, not yet saved) and the names of the fields being changed.
WriteRule = Callable[[models.Model, frozenset], None]


def _history_user(instance: models.Model, by) -> None:
    # django-simple-history takes the user from the request (its middleware); commands,
    # tasks and the API with a key name the writer here instead.
    if by is not None and getattr(by, "pk", None):
        instance._history_user = by


def _keeps_order(through: type[models.Model]) -> bool:
    # A list whose order is part of what it says ("Presented by Hungary, Turkey") keeps each
    # row's place in a `position` column of its through model.
    return any(f.name == "position" for f in through._meta.concrete_fields)


def many_to_many_held(instance: models.Model, name: str):
    """What `instance.name` holds, as comparable with what a write sends: the pks in their
    order for a list that keeps one, else the set of pks."""
    manager = getattr(instance, name)
    if not _keeps_order(manager.through):
        return {item.pk for item in manager.all()}
    rows = manager.through.objects.filter(**{manager.source_field_name: instance})
    return list(rows.order_by("position").values_list(f"{manager.target_field_name}_id", flat=True))


def many_to_many_set(instance: models.Model, name: str, value) -> None:
    """Make `instance.name` hold `value` (instances or pks); a list that keeps an order keeps
    theirs, a name sent twice counting once."""
    manager = getattr(instance, name)
    through = manager.through
    if not _keeps_order(through):
        manager.set(value)
        return
    pks = list(dict.fromkeys(getattr(item, "pk", item) for item in value))
    if many_to_many_held(instance, name) == pks:
        return
    source, target = manager.source_field_name, manager.target_field_name
    through.objects.filter(**{source: instance}).delete()
    through.objects.bulk_create(
        through(**{source: instance, f"{target}_id": pk, "position": place})
        for place, pk in enumerate(pks, start=1)
    )
    # set() cannot give each row its own place, so the rows are written here; the change is
    # announced once, as set() would, so the change history records the list as it now is.
    m2m_changed.send(
        sender=through,
        instance=instance,
        action="post_add",
        reverse=False,
        model=manager.model,
        pk_set=set(pks),
        using=router.db_for_write(through, instance=instance),
    )


def instance_with_originals(model: type[models.Model], fields: dict) -> models.Model:
    """An unsaved `model(**fields)` whose translated fields' texts are in the columns of its
    authoritative language (django-modeltranslation would put them in the active language's):
    what the secretariat writes is the original whatever language its pages are in."""
    translated = {name: fields.pop(name) for name in translated_fields(model) if name in fields}
    instance = model(**fields)
    if translated:
        language = authoritative_language(instance)
        for name, value in translated.items():
            setattr(instance, column(name, language), value)
    return instance


@transaction.atomic
def validated_create(*, model: type[models.Model], by=None, **fields) -> models.Model:
    """A new row of `model` from `fields` (a many-to-many field takes a list), validated by
    the model first so a refused create writes nothing."""
    many = {n: fields.pop(n) for n in list(fields) if model._meta.get_field(n).many_to_many}
    instance = instance_with_originals(model, fields)
    instance.full_clean()
    _history_user(instance, by)
    instance.save()
    for name, value in many.items():
        many_to_many_set(instance, name, value)
    return instance


@transaction.atomic
def versioned_update(
    *,
    instance: VersionedModel,
    expected_version: int,
    changes: Mapping[str, object],
    by=None,
    rules: tuple[WriteRule, ...] = (),
) -> VersionedModel:
    """Apply `changes` (field name → value; a many-to-many field takes a list) to `instance`
    as it was loaded, and save only if the stored row is still at `expected_version`;
    otherwise `VersionConflict` and nothing is written. The model's validation and every rule
    run first, so a refused write changes nothing either. Rules are told which fields really
    change: sending a field's stored value again is no change."""
    changed, many = set(), {}
    translated = frozenset(translated_fields(instance))
    # A translated field's new text is the original: it goes into the column of the record's
    # authoritative language, whatever the editor's language. Other changes go first, so a
    # new authoritative language sent with the texts is theirs.
    language = None
    for name, value in sorted(changes.items(), key=lambda change: change[0] in translated):
        if name in translated:
            language = language or authoritative_language(instance)
            field = instance._meta.get_field(column(name, language))
        else:
            field = instance._meta.get_field(name)
        if field.many_to_many:
            value = list(value)
            before = many_to_many_held(instance, name) if instance.pk else set()
            after = list(dict.fromkeys(getattr(item, "pk", item) for item in value))
            if before != (after if isinstance(before, list) else set(after)):
                changed.add(name)
            many[name] = value
        else:
            if getattr(instance, field.attname) != field.to_python(
                value.pk if isinstance(value, models.Model) else value
            ):
                changed.add(name)
            setattr(instance, field.name, value)
    instance.full_clean(exclude=list(many), validate_constraints=True)
    for rule in rules:
        rule(instance, frozenset(changed))
    _history_user(instance, by)
    instance.save_checked(expected_version=expected_version)
    for name, value in many.items():
        many_to_many_set(instance, name, value)
    return instance


# What partners hear of a translation: what they hear of an edit of the record (an agenda
# item's or a statement's edit is not announced, so neither is its translation). The second
# element names the record announced when it is not the translated row itself.
_TRANSLATION_EVENTS = {
    "meetings.meeting": (WebhookEvent.MEETING_UPDATED, None),
    "meetings.actionpoint": (WebhookEvent.ACTION_POINT_UPDATED, None),
    "projects.project": (WebhookEvent.PROJECT_UPDATED, None),
    "projects.site": (WebhookEvent.PROJECT_UPDATED, "project"),
}


@transaction.atomic
def save_translation(
    obj: VersionedModel, field: str, language: str, text: str, *, user, expected_version: int
) -> VersionedModel:
    """Write the `language` translation of `obj`'s `field`, checked like the original (the
    language column has its validators: length, Markdown, paragraphs) and only if `obj` is
    still at `expected_version` (`VersionConflict` otherwise). It records the digest of the
    original it translates, so it reads outdated once the original changes; an empty text
    removes the translation (missing).

    A translation does not change the authoritative text, so it is accepted on a published
    record too: the secretariat fills in Russian after the English record is out."""
    if field not in translated_fields(obj):
        raise ValidationError({"field": f"{field!r} is not a translated field of this record."})
    if language not in languages():
        raise ValidationError(
            {"language": f"Unknown language {language!r}: one of {', '.join(languages())}."}
        )
    source = authoritative_language(obj)
    if language == source:
        raise ValidationError(
            {"language": "This is the record's authoritative language: edit the original."}
        )
    text = (text or "").strip()
    recorded = {name: dict(digests) for name, digests in (obj.translated_from or {}).items()}
    if text:
        recorded.setdefault(field, {})[language] = text_digest(text_in(obj, field, source))
    else:
        recorded.get(field, {}).pop(language, None)
    recorded = {name: digests for name, digests in recorded.items() if digests}
    obj = versioned_update(
        instance=obj,
        expected_version=expected_version,
        changes={column(field, language): text, "translated_from": recorded},
        by=user,
    )
    event, announced = _TRANSLATION_EVENTS.get(obj._meta.label_lower, (None, None))
    if event is not None:
        event_emit(event, getattr(obj, announced) if announced else obj)
    return obj


@transaction.atomic
def versioned_delete(
    *, instance: VersionedModel, expected_version: int | None, by=None, in_bulk: bool = False
) -> None:
    """Delete `instance` only if the stored row is still at `expected_version` (None: whatever
    its version, for the workspace's delete buttons on a row that was just shown).

    The row is claimed first with a conditional UPDATE, which locks it until this transaction
    ends: a concurrent update with the same version then finds nothing to update, and a
    concurrent delete nothing to delete. Exactly one of them wins.

    `in_bulk` is for an object that takes many rows with it (a meeting with its record): they
    go in a fixed number of queries instead of several per row (see `_delete_in_bulk`)."""
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=models.F("version")):
        raise VersionConflict(instance, expected_version or instance.version)
    _history_user(instance, by)
    if in_bulk:
        _delete_in_bulk(instance, by)
    else:
        instance.delete()


# SQLite's oldest supported builds allow 999 parameters in one statement.
_BATCH = 900


def _delete_in_bulk(instance: models.Model, by) -> None:
    """Delete `instance` and everything its deletion cascades to, as `Model.delete()` would,
    but without Django's per-row delete signals: their receivers (each row's history entry,
    each row's deletion tombstone) would cost several queries per row. Their work is done
    here instead, one bulk insert per kind of row."""
    using = router.db_for_write(type(instance))
    collector = Collector(using=using, origin=instance)
    collector.collect([instance])
    collector.sort()
    doomed = {model: list(objs) for model, objs in collector.data.items()}
    # The tombstones ask each row for its meeting or parent; they are all in hand.
    loaded = {(type(obj), obj.pk): obj for objs in doomed.values() for obj in objs}
    for obj in loaded.values():
        for field in obj._meta.concrete_fields:
            if field.many_to_one or field.one_to_one:
                target = loaded.get((field.related_model, getattr(obj, field.attname)))
                if target is not None:
                    field.set_cached_value(obj, target)
    now = timezone.now()
    user = by if getattr(by, "pk", None) else None
    for model, objs in doomed.items():
        history = getattr(model._meta, "simple_history_manager_attribute", None)
        if history:
            historical = getattr(model, history).model
            # The fields the history keeps, with the translated fields' language columns
            # (registered after simple-history made its `tracked_fields`).
            kept = {f.attname for f in historical._meta.concrete_fields}
            tracked = [f for f in model._meta.concrete_fields if f.attname in kept]
            historical.objects.bulk_create(
                [
                    historical(
                        history_date=now,
                        history_type="-",
                        history_user=user,
                        history_change_reason="",
                        **{f.attname: getattr(obj, f.attname) for f in tracked},
                    )
                    for obj in objs
                ],
                batch_size=_BATCH,
            )
    tombstoned = set(domain_models())
    Deletion.objects.bulk_create(
        [
            deletion_for(obj)
            for model, objs in doomed.items()
            if model in tombstoned
            for obj in objs
        ],
        batch_size=_BATCH,
    )
    # Rows Django deletes without signals are its "fast deletes": hand it every row as one, in
    # the order the collector sorted them (children before their parents).
    for model, objs in doomed.items():
        pks = [obj.pk for obj in objs]
        for start in range(0, len(pks), _BATCH):
            collector.fast_deletes.append(
                model._base_manager.using(using).filter(pk__in=pks[start : start + _BATCH])
            )
    collector.data.clear()
    collector.delete()


# -- ordered lists (agenda items, statements, conclusions, action points, activities) -----


def positions_moved(*, ids: list[int], moving: int, offset: int) -> list[int]:
    """`ids` with `moving` one place up (-1) or down (+1): the keyboard's way of reordering."""
    ids = list(ids)
    index = ids.index(moving)
    ids.insert(max(0, min(len(ids) - 1, index + offset)), ids.pop(index))
    return ids


def positions_reorder(*, queryset, ordered_ids: list[int]) -> None:
    """Number the rows of `queryset` 1..n in the order of `ordered_ids`.

    Positions are unique within their list, and neither SQLite nor PostgreSQL defers that
    check, so the rows first move above every position in use (one UPDATE, each new value
    larger than any old one) and then take their final places, which are all free by then.
    Rows not named keep their relative order after the named ones."""
    rows = list(queryset.order_by("position").values_list("id", "position"))
    known = [pk for pk, _ in rows]
    wanted = [pk for pk in dict.fromkeys(ordered_ids) if pk in set(known)]
    final = wanted + [pk for pk in known if pk not in set(wanted)]
    if not final:
        return
    offset = max(position for _, position in rows) + 1
    with transaction.atomic():
        queryset.filter(id__in=final).update(
            position=F("position") + offset, version=F("version") + 1
        )
        model = queryset.model
        for position, pk in enumerate(final, start=1):
            model._base_manager.filter(pk=pk).update(position=position)


def next_position(queryset) -> int:
    """The position after the last in `queryset` (1 for an empty list)."""
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1
