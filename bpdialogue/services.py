"""The write path every app shares: optimistic concurrency for updates and deletes.

Each app's services call these with their own rules; views, serializers, the admin and
commands call the app's services, never these directly and never `Model.save()`."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.db import models, transaction
from django.db.models import F, Max

from .models import VersionConflict, VersionedModel

# A rule run before a write: it raises ValidationError to refuse it. It gets the object
# (with the changes applied, not yet saved) and the names of the fields being changed.
WriteRule = Callable[[models.Model, frozenset], None]


def _history_user(instance: models.Model, by) -> None:
    # django-simple-history takes the user from the request (its middleware); commands,
    # tasks and the API with a key name the writer here instead.
    if by is not None and getattr(by, "pk", None):
        instance._history_user = by


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
    for name, value in changes.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            value = list(value)
            before = {item.pk for item in getattr(instance, name).all()} if instance.pk else set()
            if before != {getattr(item, "pk", item) for item in value}:
                changed.add(name)
            many[name] = value
        else:
            if getattr(instance, field.attname) != field.to_python(
                value.pk if isinstance(value, models.Model) else value
            ):
                changed.add(name)
            setattr(instance, name, value)
    instance.full_clean(exclude=list(many), validate_constraints=True)
    for rule in rules:
        rule(instance, frozenset(changed))
    _history_user(instance, by)
    instance.save_checked(expected_version=expected_version)
    for name, value in many.items():
        getattr(instance, name).set(value)
    return instance


@transaction.atomic
def versioned_delete(*, instance: VersionedModel, expected_version: int | None, by=None) -> None:
    """Delete `instance` only if the stored row is still at `expected_version` (None: whatever
    its version, for the workspace's delete buttons on a row that was just shown).

    The row is claimed first with a conditional UPDATE, which locks it until this transaction
    ends: a concurrent update with the same version then finds nothing to update, and a
    concurrent delete nothing to delete. Exactly one of them wins."""
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=models.F("version")):
        raise VersionConflict(instance, expected_version or instance.version)
    _history_user(instance, by)
    instance.delete()


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
