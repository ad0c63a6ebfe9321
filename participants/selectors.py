"""Reads about participants alone (a profile across meetings and projects is the portal's:
portal/selectors.py)."""

from __future__ import annotations

from .models import FocalPoint, Participant, Person


def participants_list():
    return Participant.objects.order_by("kind", "sort_name")


def focal_points_of(participant, dialogue, on=None):
    """The people who are `participant`'s focal points for `dialogue` on `on` (today)."""
    return (
        Person.objects.active()
        .filter(
            focal_points__in=FocalPoint.objects.current(on).filter(
                participant=participant, dialogue=dialogue
            )
        )
        .distinct()
    )
