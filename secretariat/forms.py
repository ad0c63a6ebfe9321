"""The workspace's forms. Every edit form is a `VersionedForm` (it carries `version`)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from bpdialogue.models import ApiKey
from meetings.models import (
    HEADCOUNT,
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    Document,
    Meeting,
    Registration,
    Statement,
    ThematicFocus,
    WorkingGroup,
    chosen_participants,
    keeps_chosen_order,
)
from meetings.rendering import GENERATED_KINDS
from meetings.selectors import meetings_like
from participants.models import (
    Dialogue,
    ExternalIdentifier,
    Membership,
    Participant,
    ParticipantName,
    Person,
    Region,
    RoleAssignment,
)
from projects.models import Project, ProjectPartner, Site
from workplans.models import (
    Activity,
    CooperationFramework,
    FrameworkCadence,
    Workplan,
)

from .editing import VersionedForm
from .widgets import ChosenParticipantsField, offer_meeting_first

MULTI_SIZE = {"size": 6}


def _formfield(field: models.Field, **kwargs):
    """Native date and time pickers, roomy text areas, web addresses on https."""
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    elif isinstance(field, models.TimeField):
        kwargs.setdefault("widget", forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    elif isinstance(field, models.ManyToManyField) and field.related_model is Participant:
        kwargs.setdefault("form_class", ChosenParticipantsField)
    elif isinstance(field, models.ManyToManyField):
        kwargs.setdefault("widget", forms.SelectMultiple(attrs=MULTI_SIZE))
    elif isinstance(field, models.TextField):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
    elif isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # Django 6's default, without the warning
    return field.formfield(**kwargs)


def meeting_choice_label(meeting: Meeting) -> str:
    """How a meeting is told apart in a picker: its title, date and place."""
    place = meeting.city or (meeting.host_country.name if meeting.host_country_id else "")
    when = date_format(meeting.start_date, "j E Y")
    return f"{meeting.title} — {when}{f', {place}' if place else ''}"


class WorkspaceForm(VersionedForm):
    # Fields set by the page, not the form (the meeting an item belongs to): still checked
    # against the database constraints, so a duplicate is a form error rather than a 500.
    context_fields: tuple[str, ...] = ()

    class Meta:
        formfield_callback = _formfield

    def __init__(self, *args, **kwargs):
        given = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is Meeting:
                field.queryset = field.queryset.select_related("host_country")
                field.label_from_instance = meeting_choice_label
            if self.instance.pk and name not in given and keeps_chosen_order(self.instance, name):
                # Shown in the order chosen, which is how they are saved back.
                self.initial[name] = [p.pk for p in chosen_participants(self.instance, name)]

    def _get_validation_exclusions(self):
        # A context field the form already refused is not checked again by the model: one
        # message per field ("This field is required.", not also "… cannot be null.").
        checked = set(self.context_fields) - set(self._errors or ())
        return super()._get_validation_exclusions() - checked


def _check_dates(form, start: str, end: str, message: str):
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and last < first:
        form.add_error(end, message)


MEETING_ENDS_EARLY = gettext_lazy("The meeting cannot end before it starts.")


def participant_choices():
    return Participant.objects.order_by("kind", "sort_name")


# -- meetings -------------------------------------------------------------------------------


class MeetingForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = Meeting
        fields = [
            "kind",
            "working_group",
            "sequence_number",
            "title",
            "authoritative_language",
            "topic",
            "start_date",
            "end_date",
            "city",
            "venue",
            "host_country",
            "chair",
            "co_chair",
            "thematic_focus",
            "visibility",
            "status",
            "conclusions_intro",
            "data_note",
        ]
        labels = {
            "co_chair": gettext_lazy("Co-Chair"),
            "conclusions_intro": gettext_lazy("Sentence introducing the conclusions"),
        }

    context_fields = ("dialogue",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_country"].queryset = Participant.objects.states().order_by("sort_name")
        for name in ("chair", "co_chair"):
            self.fields[name].queryset = participant_choices()
        if not self.instance.pk:
            self.fields["title"].required = False
            self.fields["title"].help_text = gettext(
                "Leave empty to derive it, e.g. “24th Meeting of…”."
            )

    def clean(self):
        cleaned = super().clean()
        _check_dates(self, "start_date", "end_date", MEETING_ENDS_EARLY)
        return cleaned


class SummaryOptionsForm(WorkspaceForm):
    """How the Summary/conclusions prints what the conclusions tab holds."""

    class Meta(WorkspaceForm.Meta):
        model = Meeting
        fields = ["summary_action_points"]


class MeetingCreateForm(MeetingForm):
    # Shown (as a checkbox) only when the meeting looks like one that exists already.
    confirm_duplicate = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label=gettext_lazy("Create it anyway: it is another meeting"),
    )

    class Meta(MeetingForm.Meta):
        fields = ["dialogue", *MeetingForm.Meta.fields]

    def clean(self):
        cleaned = super().clean()
        kind, start_date = cleaned.get("kind"), cleaned.get("start_date")
        if not (kind and start_date and cleaned.get("city")) or cleaned.get("confirm_duplicate"):
            return cleaned
        existing = meetings_like(kind=kind, start_date=start_date, city=cleaned["city"]).first()
        if existing is not None:
            self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
            self.add_error(
                None,
                format_html(
                    gettext(
                        'A {kind} in {city} on {date} exists already: <a href="{url}">{title}</a>. '
                        "If this is another meeting, tick “{confirm}” and create it again."
                    ),
                    kind=existing.get_kind_display(),
                    city=existing.city,
                    date=date_format(existing.start_date, "j E Y"),
                    url=reverse("secretariat:meeting-details", kwargs={"slug": existing.slug}),
                    title=existing.title,
                    confirm=self.fields["confirm_duplicate"].label,
                ),
            )
        return cleaned

    def _post_clean(self):
        # The title may be left empty here (meeting_create derives it), so the model check
        # runs in the service; only the uniqueness of the sequence number is asked now.
        self.instance.title = self.cleaned_data.get("title") or "(derived)"
        super()._post_clean()


class MeetingCopyForm(forms.Form):
    """The dates of the next meeting of a series, asked before it is created."""

    start_date = forms.DateField(
        label=gettext_lazy("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_date = forms.DateField(
        label=gettext_lazy("End date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        _check_dates(self, "start_date", "end_date", MEETING_ENDS_EARLY)
        return cleaned


class AgendaItemForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = AgendaItem
        fields = ["parent", "title", "session_label", "day", "start_time", "end_time", "presenters"]
        labels = {"parent": gettext_lazy("Under item")}
        help_texts = {
            "day": gettext_lazy(
                "For a meeting of several days. Empty: the day of the item above it."
            ),
            "session_label": gettext_lazy(
                'e.g. "Opening session" or "Afternoon session". Empty: the session of the '
                "item above it."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A sub-item goes under one of the meeting's top-level items (never under itself).
        parent = self.fields["parent"]
        parent.empty_label = gettext("(a top-level item)")
        parent.queryset = AgendaItem.objects.filter(
            meeting=self.instance.meeting, parent=None
        ).exclude(pk=self.instance.pk)
        offer_meeting_first(self.fields["presenters"], self.instance.meeting_id)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", gettext("The item ends after it starts."))
        return cleaned


class AgendaRecordForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = AgendaItem
        fields = ["record", "statement_layout"]
        widgets = {"record": forms.Textarea(attrs={"rows": 6})}
        labels = {"record": gettext_lazy("Narrative (Markdown)")}


class StatementForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = Statement
        fields = ["speakers", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_meeting_first(self.fields["speakers"], self.instance.agenda_item.meeting_id)


class ConclusionForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = Conclusion
        fields = ["kind", "text"]


class ActionPointForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = ActionPoint
        fields = ["text", "responsible", "due_date", "due_text", "place", "status", "fulfilled_by"]
        labels = {
            "responsible": gettext_lazy("Responsible participants"),
            "fulfilled_by": gettext_lazy("Fulfilled by"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance.meeting
        offer_meeting_first(self.fields["responsible"], meeting.pk)
        self.fields["fulfilled_by"].queryset = (
            Meeting.objects.filter(
                dialogue_id=meeting.dialogue_id, start_date__gt=meeting.start_date
            )
            .select_related("host_country")
            .order_by("start_date")
        )


class AttendanceRowForm(forms.Form):
    """One line of the attendance grid: did the participant come, how many, in what role."""

    attended = forms.BooleanField(required=False, label=gettext_lazy("Attended"))
    # The model's bound and its wording, so the grid and the API say the same.
    headcount = forms.IntegerField(
        initial=1,
        label=gettext_lazy("Headcount"),
        validators=[HEADCOUNT],
        widget=forms.NumberInput(attrs={"min": HEADCOUNT.minimum, "max": HEADCOUNT.maximum}),
    )
    # Why the headcount differs from the confirmed registrations (the grid's column says so).
    headcount_note = forms.CharField(
        required=False, max_length=300, label=gettext_lazy("Headcount note")
    )
    role = forms.ChoiceField(
        choices=Delegation.Role.choices,
        initial=Delegation.Role.PARTICIPANT,
        label=gettext_lazy("Role"),
    )
    # The delegation's version when the row was shown; 0 when there was none yet.
    version = forms.IntegerField(min_value=0, initial=0, widget=forms.HiddenInput)


class InvitationForm(forms.Form):
    """Who is invited (participants with a focal point to write to) and what they read."""

    subject = forms.CharField(max_length=250, label=gettext_lazy("Subject"))
    text = forms.CharField(
        max_length=20_000,
        label=gettext_lazy("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "The letter; the meeting's date and place, the link to nominate the delegation and "
            "the deadline follow it. The agenda (PDF) and an .ics are attached."
        ),
    )
    participants = forms.TypedMultipleChoiceField(
        coerce=int, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Invite")
    )

    def __init__(self, *args, invitees=(), **kwargs):
        super().__init__(*args, **kwargs)
        invitable = [i for i in invitees if i.focal_points]
        self.fields["participants"].choices = [
            (i.participant.pk, f"{i.name} ({', '.join(p.full_name for p in i.focal_points)})")
            for i in invitable
        ]
        self.fields["participants"].initial = [i.participant.pk for i in invitable]


class SecretariatNominationForm(forms.Form):
    """The secretariat registers someone on file for a participant of the grid, whatever the
    deadline (new people are added on the People page first)."""

    participant = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Participant"))
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=gettext_lazy("Person"))
    role = forms.ChoiceField(
        choices=Registration.Role.choices,
        initial=Registration.Role.DELEGATE,
        label=gettext_lazy("Role"),
    )
    position = forms.CharField(
        required=False,
        max_length=250,
        label=gettext_lazy("Position"),
        help_text=gettext_lazy("Empty: the person's position on file."),
    )

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].choices = [(r["participant"].pk, r["name"]) for r in rows]
        self.fields["person"].queryset = (
            Person.objects.active()
            .filter(affiliation_id__in=[r["participant"].pk for r in rows])
            .select_related("affiliation")
            .order_by("family_name", "given_name")
        )
        self.fields["person"].label_from_instance = lambda person: (
            f"{person.full_name} ({person.affiliation.name})"
        )


class RegistrationDecisionForm(forms.Form):
    """Confirm or decline one nomination, at the version it was shown."""

    decision = forms.ChoiceField(
        choices=[("confirm", gettext_lazy("Confirm")), ("decline", gettext_lazy("Decline"))]
    )
    note = forms.CharField(required=False, max_length=300, label=gettext_lazy("Note"))
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, Word, PowerPoint or OpenDocument."),
    )
    kind = forms.ChoiceField(
        choices=Document.Kind.choices,
        initial=Document.Kind.PRESENTATION,
        label=gettext_lazy("Kind"),
    )
    title = forms.CharField(max_length=300, label=gettext_lazy("Title"))
    language = forms.CharField(max_length=10, initial="en", label=gettext_lazy("Language"))
    visibility = forms.ChoiceField(
        choices=Meeting._meta.get_field("visibility").choices,
        initial="participants",
        label=gettext_lazy("Visibility"),
    )


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(kind, kind.label) for kind in GENERATED_KINDS], label=gettext_lazy("Document")
    )
    language = forms.ChoiceField(
        choices=[("", gettext_lazy("The meeting's authoritative language")), *settings.LANGUAGES],
        required=False,
        label=gettext_lazy("Language"),
    )
    # Each language's Summary/conclusions is its own issued document (meetings/documents.py).
    issue = forms.BooleanField(
        required=False,
        label=gettext_lazy("Issue it as a translation of the published record"),
        help_text=gettext_lazy(
            "A Summary/conclusions in a language other than the meeting's authoritative one, "
            "once every text it prints is translated."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("issue") and cleaned.get("kind") != Document.Kind.SUMMARY:
            self.add_error("issue", gettext("Only the Summary/conclusions is issued."))
        return cleaned


class RecordStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Meeting.RecordStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Reason or change note"),
        help_text=gettext_lazy(
            "Kept with the record's history; a correction's note is shown with the new revision."
        ),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


# -- projects -------------------------------------------------------------------------------


AMOUNT_WITHOUT_CURRENCY = gettext_lazy("Give the amount and its currency together.")


class ProjectForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = Project
        fields = [
            "parent",
            "kind",
            "title",
            "authoritative_language",
            "acronym",
            "slug",
            "status",
            "start_date",
            "end_date",
            "budget_amount",
            "budget_currency",
            "regions",
            "beneficiary_countries",
            "description",
            "outcome",
        ]

    context_fields = ("dialogue",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary_countries"].queryset = Participant.objects.states().order_by(
            "sort_name"
        )
        if self.instance.pk:
            self.fields["parent"].queryset = Project.objects.exclude(pk=self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        _check_dates(
            self, "start_date", "end_date", gettext("The project cannot end before it starts.")
        )
        if (cleaned.get("budget_amount") is None) != (not cleaned.get("budget_currency")):
            self.add_error("budget_currency", AMOUNT_WITHOUT_CURRENCY)
        return cleaned


class ProjectCreateForm(ProjectForm):
    class Meta(ProjectForm.Meta):
        fields = ["dialogue", *ProjectForm.Meta.fields]


class ProjectPartnerForm(WorkspaceForm):
    context_fields = ("project",)

    class Meta(WorkspaceForm.Meta):
        model = ProjectPartner
        fields = ["participant", "role", "contribution_amount", "contribution_currency"]

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("contribution_amount") is None) != (
            not cleaned.get("contribution_currency")
        ):
            self.add_error("contribution_currency", AMOUNT_WITHOUT_CURRENCY)
        return cleaned


class SiteForm(WorkspaceForm):
    context_fields = ("project",)

    class Meta(WorkspaceForm.Meta):
        model = Site
        fields = ["name", "city", "country", "opened_on", "supervising_authority", "status"]


# -- workplans ------------------------------------------------------------------------------


class FrameworkForm(WorkspaceForm):
    context_fields = ("dialogue",)

    class Meta(WorkspaceForm.Meta):
        model = CooperationFramework
        fields = [
            "dialogue",
            "title",
            "first_year",
            "last_year",
            "status",
            "presented_at",
            "adopted_at",
            "description",
        ]

    def clean(self):
        cleaned = super().clean()
        _check_dates(
            self, "first_year", "last_year", gettext("The last year cannot precede the first.")
        )
        return cleaned


class CadenceForm(WorkspaceForm):
    context_fields = ("framework",)

    class Meta(WorkspaceForm.Meta):
        model = FrameworkCadence
        fields = ["meeting_kind", "per_year"]


class ThematicFocusForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = ThematicFocus
        fields = [
            "dialogue",
            "year",
            "title",
            "status",
            "thematic_chair",
            "proposed_at",
            "accepted_at",
            "description",
        ]


class WorkplanForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = Workplan
        fields = [
            "dialogue",
            "year",
            "title",
            "framework",
            "thematic_focus",
            "status",
            "presented_at",
            "adopted_at",
        ]


class ActivityForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = Activity
        fields = [
            "title",
            "kind",
            "project",
            "countries",
            "planned_start",
            "planned_end",
            "status",
            "responsible",
            "realised_by",
            "outcome",
        ]
        labels = {"realised_by": gettext_lazy("Realised by meeting")}

    def clean(self):
        cleaned = super().clean()
        _check_dates(
            self, "planned_start", "planned_end", gettext("The end cannot precede the start.")
        )
        return cleaned


# -- dialogues, participants, working groups, regions --------------------------------------


class DialogueForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = Dialogue
        fields = [
            "name",
            "acronym",
            "slug",
            "secretariat",
            "description",
            "letterhead",
            "letterhead_logo",
        ]
        labels = {
            "letterhead": gettext_lazy("Letterhead on the Summary/conclusions"),
            "letterhead_logo": gettext_lazy("Letterhead logo"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretariat"].queryset = Participant.objects.organisations().order_by(
            "sort_name"
        )


class ParticipantForm(WorkspaceForm):
    class Meta(WorkspaceForm.Meta):
        model = Participant
        fields = [
            "kind",
            "name",
            "sort_name",
            "slug",
            "iso_code",
            "acronym",
            "organisation_type",
            "website",
        ]
        labels = {
            "name": gettext_lazy("Name in force today"),
            "sort_name": gettext_lazy("Sort name in force today"),
        }


class ParticipantNameForm(WorkspaceForm):
    context_fields = ("participant",)

    class Meta(WorkspaceForm.Meta):
        model = ParticipantName
        fields = ["name", "sort_name", "prose_name", "forms", "valid_from", "valid_to", "note"]
        labels = {
            "valid_from": gettext_lazy("In use from"),
            "valid_to": gettext_lazy("In use until"),
            "forms": gettext_lazy("Case forms"),
        }
        # The forms are a small JSON object ({"ru": {"genitive": "Афганистана"}}), checked
        # by the model's validator (bpdialogue/grammar.py).
        widgets = {"forms": forms.Textarea(attrs={"rows": 2})}

    def clean_forms(self):
        # A cleared box is no forms, not NULL.
        return self.cleaned_data.get("forms") or {}


class ExternalIdentifierForm(WorkspaceForm):
    context_fields = ("participant",)

    class Meta(WorkspaceForm.Meta):
        model = ExternalIdentifier
        fields = ["scheme", "value"]


class MembershipForm(WorkspaceForm):
    context_fields = ("participant",)

    class Meta(WorkspaceForm.Meta):
        model = Membership
        fields = ["dialogue", "status", "valid_from", "valid_to"]


class RoleAssignmentForm(WorkspaceForm):
    context_fields = ("participant",)

    class Meta(WorkspaceForm.Meta):
        model = RoleAssignment
        fields = ["dialogue", "role", "valid_from", "valid_to"]


class WorkingGroupForm(WorkspaceForm):
    context_fields = ("dialogue",)

    class Meta(WorkspaceForm.Meta):
        model = WorkingGroup
        fields = ["name", "acronym", "region"]


class WorkingGroupCreateForm(WorkingGroupForm):
    class Meta(WorkingGroupForm.Meta):
        fields = ["dialogue", *WorkingGroupForm.Meta.fields]


class RegionForm(WorkspaceForm):
    context_fields = ("dialogue",)

    class Meta(WorkspaceForm.Meta):
        model = Region
        fields = ["name", "slug", "states"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["states"].queryset = Participant.objects.states().order_by("sort_name")


class RegionCreateForm(RegionForm):
    class Meta(RegionForm.Meta):
        fields = ["dialogue", *RegionForm.Meta.fields]


# -- API keys -------------------------------------------------------------------------------


class ApiKeyForm(forms.Form):
    """A new key: the fields `api_key_create` takes, the expiry as the last day it works."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        help_text=ApiKey._meta.get_field("name").help_text,
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=ApiKey.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    dialogue = forms.ModelChoiceField(
        queryset=Dialogue.objects.order_by("name"),
        label=gettext_lazy("Dialogue"),
        required=False,
        empty_label=gettext_lazy("Every dialogue"),
        help_text=ApiKey._meta.get_field("dialogue").help_text,
    )
    expires_at = forms.DateField(
        label=gettext_lazy("Last day it works"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Blank: until it is revoked."),
    )


class SignInLockLiftForm(forms.Form):
    """Which lock to lift: an account's or an address's (the buttons of the locks page)."""

    account = forms.CharField(required=False, max_length=255)
    address = forms.GenericIPAddressField(required=False)
