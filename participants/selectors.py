"""Reads about participants alone (a profile across meetings and projects is the portal's:
portal/selectors.py)."""

from __future__ import annotations

from django.db.models import Q

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


def people_search(*, q="", affiliation=None, focal_points=False, retired="", on=None):
    """People matching every word of `q` in their name, affiliation or e-mail, with whether
    they are a focal point on `on` (today). `retired`: "" the current ones, "with" everyone,
    "only" the retired."""
    people = Person.objects.select_related("affiliation").with_is_focal_point(on)
    for word in q.split():
        people = people.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(affiliation__name__icontains=word)
            | Q(affiliation__sort_name__icontains=word)
            | Q(email__icontains=word)
        )
    if affiliation is not None:
        people = people.filter(affiliation=affiliation)
    if focal_points:
        people = people.filter(is_focal_point=True)
    if retired == "only":
        people = people.filter(retired_on__isnull=False)
    elif retired != "with":
        people = people.filter(retired_on__isnull=True)
    return people.order_by("family_name", "given_name", "pk")
