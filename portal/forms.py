"""The portal's forms: the meetings list's filters, search, the password reset, and the codes
of two-factor sign-in."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting, WorkingGroup
from meetings.selectors import MeetingFilters
from participants.models import Participant
from participants.services import password_reset_request

from . import search as search_module
from .widgets import QuickSelect


class MeetingFilterForm(forms.Form):
    """The meetings list's filters, sent as a GET form so every filtered list has a URL."""

    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect)
    working_group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=WorkingGroup.objects.all(),
        required=False,
        to_field_name="uid",
        empty_label=_("Any"),
        widget=QuickSelect,
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Participant.objects.states(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any"),
        widget=QuickSelect,
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any"))] + [(y, y) for y in years]
        self.fields["kind"].choices = [("", _("Any")), *Meeting.Kind.choices]

    def filters(self) -> MeetingFilters:
        if not self.is_valid():
            return MeetingFilters()
        return MeetingFilters(**self.cleaned_data)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    participant = forms.CharField(
        label=_("Said or done by"),
        required=False,
        max_length=100,
        help_text=_("A state or organisation, e.g. Iran or IOM."),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Everything")), *search_module.KINDS]
    )

    def clean_participant(self):
        term = self.cleaned_data["participant"]
        if not term:
            return None
        participant = search_module.search_participant(term)
        if participant is None:
            raise forms.ValidationError(
                _("No state or organisation matches “%(term)s”."), params={"term": term}
            )
        return participant


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, which only asks for the e-mail: looking the address up
    and sending happen in a task (`password_reset_request`), so known and unknown addresses
    take the same time."""

    def save(self, *, request, use_https=False, domain_override=None, **kwargs):
        password_reset_request(
            email=self.cleaned_data["email"],
            domain=domain_override or get_current_site(request).domain,
            use_https=use_https,
        )


class AuthenticatorCodeForm(forms.Form):
    """The first code of an authenticator being set up."""

    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SecondFactorForm(forms.Form):
    """A code from the authenticator or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class NominationForm(forms.Form):
    """A focal point's nomination: someone of the participant on file, or a new person."""

    person = forms.ModelChoiceField(
        label=_("Someone on file"),
        queryset=None,
        required=False,
        to_field_name="uid",
        empty_label=_("— a new person (below) —"),
    )
    honorific = forms.CharField(label=_("Honorific"), max_length=30, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    position = forms.CharField(
        label=_("Position"),
        max_length=250,
        required=False,
        help_text=_("As the list of participants should give it; empty: the one on file."),
    )
    role = forms.ChoiceField(label=_("Role in the delegation"), initial="delegate")

    def __init__(self, *args, people, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["role"].choices = roles

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("given_name") and data.get("family_name")):
            raise forms.ValidationError(
                _("Pick someone on file, or give the new person's given and family name.")
            )
        return data

    def new_person(self) -> dict | None:
        """The new person's details, None when someone on file was picked."""
        if self.cleaned_data.get("person"):
            return None
        fields = ("honorific", "given_name", "family_name", "email", "position")
        return {name: self.cleaned_data[name] for name in fields}


class PasswordConfirmForm(forms.Form):
    """The signed-in user's password again, checked as a sign-in is: through `authenticate`, so
    a wrong one counts towards the sign-in lock like any failed sign-in."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        if authenticate(self.request, username=user.get_username(), password=password) != user:
            raise forms.ValidationError(_("That is not your password."))
        return password
