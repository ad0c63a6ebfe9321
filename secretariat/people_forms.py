"""The workspace's forms about people: a person's details, their focal-point roles, retiring
and merging them, and the spreadsheets that import people or a meeting's delegations."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy

from participants.models import Dialogue, FocalPoint, Participant, Person

from .forms import WorkspaceForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = Person
        fields = [
            "honorific",
            "given_name",
            "family_name",
            "position",
            "affiliation",
            "email",
            "phone",
            "language",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliation"].queryset = Participant.objects.order_by("kind", "sort_name")
        # Posted without it (a page or a script from before it existed), a person keeps the
        # language they are written to in, and a new one gets the site's.
        self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language


class FocalPointForm(WorkspaceForm):
    context_fields = ("person",)

    class Meta(WorkspaceForm.Meta):
        model = FocalPoint
        fields = ["dialogue", "participant", "valid_from", "valid_to"]
        labels = {"valid_from": gettext_lazy("From"), "valid_to": gettext_lazy("Until")}
        help_texts = {"participant": gettext_lazy("Blank: the person's affiliation.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].required = False
        self.fields["participant"].queryset = Participant.objects.order_by("kind", "sort_name")
        self.fields["dialogue"].queryset = Dialogue.objects.order_by("name")

    def _get_validation_exclusions(self):
        # The service puts in the affiliation for a blank participant, then validates.
        return super()._get_validation_exclusions() | {"participant"}


class DayForm(forms.Form):
    """The day a retirement or a focal-point role takes effect (its last day for a role)."""

    on = forms.DateField(label=gettext_lazy("On"), widget=DATE, initial=datetime.date.today)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PeopleFilterForm(forms.Form):
    RETIRED = [
        ("", gettext_lazy("Current people")),
        ("with", gettext_lazy("Current and retired")),
        ("only", gettext_lazy("Retired only")),
    ]

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        help_text=gettext_lazy("Name, affiliation or e-mail."),
    )
    affiliation = forms.ModelChoiceField(
        queryset=Participant.objects.order_by("kind", "sort_name"),
        required=False,
        empty_label=gettext_lazy("Any"),
        label=gettext_lazy("Affiliation"),
    )
    focal_points = forms.BooleanField(label=gettext_lazy("Focal points today only"), required=False)
    retired = forms.ChoiceField(choices=RETIRED, required=False, label=gettext_lazy("Retired"))


class SpreadsheetForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (CSV or XLSX)"))
