"""The workspace's forms for following up the record across meetings: an action point's
status set in place from the tracker, and a conclusion's reference to an earlier one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext, gettext_lazy

from meetings.models import ActionPoint, Conclusion, ConclusionReference

from .editing import VersionedForm


class ActionPointStatusForm(VersionedForm):
    """The status alone, with why: progress on an action point, not a correction of the
    record (allowed on a published record; see ACTION_POINT_TRACKING_FIELDS)."""

    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2_000,
        help_text=gettext_lazy(
            "Why, or what happened: kept in the action point's history, which the tracker "
            "shows to everyone who reads the record."
        ),
    )

    class Meta:
        model = ActionPoint
        fields = ["status"]


def earlier_conclusion_label(conclusion: Conclusion) -> str:
    return gettext("%(title)s, conclusion %(position)s: %(text)s") % {
        "title": conclusion.meeting.title,
        "position": conclusion.position,
        "text": conclusion.text[:80],
    }


class ConclusionReferenceForm(forms.ModelForm):
    """This conclusion confirms, amends or supersedes one of an earlier meeting."""

    class Meta:
        model = ConclusionReference
        fields = ["conclusion", "relation", "earlier"]

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conclusion"].queryset = meeting.conclusions.all()
        self.fields["conclusion"].label_from_instance = lambda c: f"{c.position}. {c.text[:80]}"
        self.fields["earlier"].queryset = (
            Conclusion.objects.filter(
                meeting__dialogue_id=meeting.dialogue_id,
                meeting__start_date__lt=meeting.start_date,
            )
            .select_related("meeting")
            .order_by("-meeting__start_date", "position")
        )
        self.fields["earlier"].label_from_instance = earlier_conclusion_label
