"""Writes about workplans that carry rules."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from .models import Activity, Workplan


@transaction.atomic
def activity_create(
    *, workplan: Workplan, title: str, countries=(), responsible=(), **fields
) -> Activity:
    """A new activity at the end of the workplan's list."""
    top = workplan.activities.aggregate(top=Max("position"))["top"] or 0
    activity = Activity(workplan=workplan, title=title, position=top + 1, **fields)
    activity.full_clean()
    activity.save()
    activity.countries.set(countries)
    activity.responsible.set(responsible)
    return activity
