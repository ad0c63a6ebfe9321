"""Choosing participants in the workspace's forms: presenters, speakers, responsible
participants, countries. A list of checkboxes, the chosen ones first in the order chosen, so
the form works without the page's script; static/js/picker.js turns it into a filter box with
chips and keyboard control. What the form returns is in the order submitted."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext

from meetings.models import Meeting


class ParticipantPicker(forms.CheckboxSelectMultiple):
    template_name = "secretariat/widgets/picker.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        chosen = [str(pk) for pk in widget["value"]]
        by_value, groups = {}, []
        for group, (label, options, _index) in enumerate(widget["optgroups"]):
            for option in options:
                # Where it goes back to in the list when unchosen.
                option["group"], option["place"] = group, len(by_value)
                by_value[str(option["value"])] = option
            groups.append((label, [o for o in options if str(o["value"]) not in chosen]))
        widget["chosen"] = [by_value[pk] for pk in chosen if pk in by_value]
        widget["groups"] = groups
        return context

    def id_for_label(self, id_, index=None):
        # The field's label names the filter box, which the script shows.
        return f"{id_}_filter" if id_ and index is None else super().id_for_label(id_, index)


class _MeetingFirst(ModelChoiceIterator):
    """The field's choices, those its meeting offers first ahead of the others."""

    def __iter__(self):
        options = list(super().__iter__())
        offered_first = self.field.offered_first
        if offered_first is None:
            yield from options
            return
        first = offered_first()
        yield (gettext("At this meeting"), [o for o in options if o[0].value in first])
        yield (gettext("Others"), [o for o in options if o[0].value not in first])


class ChosenParticipantsField(forms.ModelMultipleChoiceField):
    """Participants in the order submitted (the order they were chosen in), not the
    database's."""

    iterator = _MeetingFirst
    widget = ParticipantPicker
    # Set by a form whose meeting's delegations are offered first: returns their pks.
    offered_first: Callable[[], set[int]] | None = None

    def clean(self, value):
        found = {str(p.pk): p for p in super().clean(value)}
        return [found[str(pk)] for pk in dict.fromkeys(value or ()) if str(pk) in found]


def offer_meeting_first(field: ChosenParticipantsField, meeting_id: int) -> None:
    """Offer the participants who were at the meeting first: its delegations, Chair, Co-Chair
    and the dialogue's secretariat (who may speak there; meetings/services.py), then everyone
    else. Read when the choices are, so forms sharing their choices read it once."""

    def at_meeting() -> set[int]:
        # One row per delegation, each with the officers: one query.
        rows = Meeting.objects.filter(pk=meeting_id).values_list(
            "chair_id", "co_chair_id", "dialogue__secretariat_id", "delegations__participant_id"
        )
        return {pk for row in rows for pk in row if pk is not None}

    field.offered_first = at_meeting
