"""Writes about workplans that carry rules."""

from __future__ import annotations

from django.db import transaction

from bpdialogue.services import (
    instance_with_originals,
    next_position,
    positions_reorder,
    validated_create,
    versioned_delete,
    versioned_update,
)

from .models import Activity, Workplan


@transaction.atomic
def activity_create(
    *, workplan: Workplan, title: str, countries=(), responsible=(), by=None, **fields
) -> Activity:
    """A new activity at the end of the workplan's list."""
    activity = instance_with_originals(
        Activity,
        dict(
            workplan=workplan,
            title=title,
            position=next_position(workplan.activities.all()),
            **fields,
        ),
    )
    activity.full_clean()
    activity.save()
    activity.countries.set(countries)
    activity.responsible.set(responsible)
    return activity


@transaction.atomic
def workplan_part_update(*, part, expected_version: int, changes: dict, by=None):
    """Change a framework, its cadence, a thematic focus, a workplan or an activity, unless
    someone saved a newer version meanwhile."""
    return versioned_update(
        instance=part, expected_version=expected_version, changes=changes, by=by
    )


def workplan_part_create(*, model, by=None, **fields):
    """A new framework, cadence row, thematic focus or workplan."""
    return validated_create(model=model, by=by, **fields)


@transaction.atomic
def workplan_part_delete(*, part, expected_version: int | None = None, by=None) -> None:
    versioned_delete(instance=part, expected_version=expected_version, by=by)
    if isinstance(part, Activity):
        positions_reorder(queryset=part.workplan.activities.all(), ordered_ids=[])


@transaction.atomic
def activities_reorder(*, activity: Activity, ordered_ids: list[int]) -> None:
    positions_reorder(queryset=activity.workplan.activities.all(), ordered_ids=ordered_ids)
