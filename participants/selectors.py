"""Reads about participants alone (a profile across meetings and projects is the portal's:
portal/selectors.py)."""

from __future__ import annotations

from .models import Participant


def participants_list():
    return Participant.objects.order_by("kind", "sort_name")
