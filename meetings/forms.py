from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import Participant

from .models import Meeting, WorkingGroup
from .selectors import MeetingFilters


class MeetingFilterForm(forms.Form):
    """The meetings list's filters, sent as a GET form so every filtered list has a URL."""

    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    working_group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=WorkingGroup.objects.all(),
        required=False,
        to_field_name="uid",
        empty_label=_("Any"),
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Participant.objects.states(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any"),
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any"))] + [(y, y) for y in years]
        self.fields["kind"].choices = [("", _("Any")), *Meeting.Kind.choices]

    def filters(self) -> MeetingFilters:
        if not self.is_valid():
            return MeetingFilters()
        return MeetingFilters(**self.cleaned_data)
