import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bpdialogue import constraints
from bpdialogue.grammar import name_form, validate_name_forms
from bpdialogue.models import TimeStampedModel, TranslatedModel, VersionedModel

from .letterheads import validate_letterhead_logo

# Where `dated_names` leaves the names in force over time: a plain list on each participant.
# Prefetching `names` the usual way builds a queryset per participant to hold them, which for a
# meeting's fifty delegations cost more than reading the names (#13: a document's source).
DATED_NAMES = "dated_names"


def dated_names(through: str = "") -> Prefetch:
    """Prefetch every dated name of the participants reached through `through`
    ("participant__"), for `Participant.name_on`."""
    return Prefetch(f"{through}names", queryset=ParticipantName.objects.all(), to_attr=DATED_NAMES)


class Dialogue(TranslatedModel):
    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=20, blank=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    secretariat = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation that runs the dialogue's secretariat."),
    )
    letterhead = models.BooleanField(
        default=False,
        help_text=_("Print the dialogue's name and logo at the top of its Summary/conclusions."),
    )
    letterhead_logo = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_letterhead_logo],
        help_text=_(
            "The logo's file under static/, e.g. img/budapest-process-logo.svg: an SVG, "
            "PNG or JPEG image of at most 1 MB."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Region(TranslatedModel):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="regions")
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    states = models.ManyToManyField("participants.Participant", related_name="regions", blank=True)
    history = HistoricalRecords(m2m_fields=[states])

    class Meta:
        ordering = ["name"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["dialogue", "slug"],
                name="region_unique_slug",
                field="slug",
                violation_error_message=_("The dialogue already has a region %(slug)s."),
            ),
        ]

    def __str__(self):
        return self.name


class ParticipantQuerySet(models.QuerySet):
    def states(self):
        return self.filter(kind=Participant.Kind.STATE)

    def organisations(self):
        return self.filter(kind=Participant.Kind.ORGANISATION)

    def with_names(self):
        return self.prefetch_related("names")


class Participant(TranslatedModel):
    """A participating state or an organisation. `name` and `sort_name` are the names in force
    today; earlier names live in `ParticipantName` so old records keep their wording."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        ORGANISATION = "organisation", _("Organisation")

    class OrganisationType(models.TextChoices):
        EU_INSTITUTION = "eu_institution", _("EU institution")
        EU_AGENCY = "eu_agency", _("EU agency")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
        UN_AGENCY = "un_agency", _("UN agency")
        NON_GOVERNMENTAL = "non_governmental", _("Non-governmental organisation")
        OTHER = "other", _("Other")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    sort_name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    # NULL, not "", for organisations: the unique constraint must let many have no code.
    iso_code = models.CharField(  # noqa: DJ001
        "ISO 3166-1 alpha-2",
        max_length=2,
        null=True,
        blank=True,
        help_text=_("States only; user-assigned codes such as XK (Kosovo) are allowed."),
    )
    acronym = models.CharField(max_length=30, blank=True)
    organisation_type = models.CharField(
        max_length=30, choices=OrganisationType.choices, blank=True
    )
    website = models.URLField(blank=True)
    history = HistoricalRecords()

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "sort_name"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["iso_code"],
                name="participant_unique_iso_code",
                field="iso_code",
                violation_error_message=_("Another state has the code %(iso_code)s."),
            ),
            constraints.CheckConstraint(
                condition=(
                    Q(kind="state", iso_code__isnull=False) & Q(iso_code__regex=r"^[A-Z]{2}$")
                )
                | (Q(kind="organisation") & Q(iso_code__isnull=True)),
                name="participant_iso_code_for_states_only",
                field="iso_code",
                violation_error_message=_(
                    "A state has its two capital letters of ISO 3166-1 "
                    "(e.g. PK); an organisation has no code."
                ),
            ),
            constraints.CheckConstraint(
                condition=Q(kind="state") & Q(organisation_type="") | Q(kind="organisation"),
                name="participant_organisation_type_for_organisations_only",
                field="organisation_type",
                violation_error_message=_("Only an organisation has an organisation type."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name_with_acronym(self) -> str:
        """The name with its acronym, "International Organization for Migration (IOM)"; the
        name alone when the acronym is the name ("Frontex", not "Frontex (Frontex)")."""
        if self.acronym and self.acronym.casefold() != self.name.casefold():
            return f"{self.name} ({self.acronym})"
        return self.name

    def identifier_lines(self) -> list[tuple[str, str]]:
        """One (scheme, value) per scheme: the ISO code is the ISO 3166-1 alpha-2 identifier, so
        a state that also lists that identifier shows it once. Uses prefetched identifiers."""
        lines = {identifier.scheme: identifier.value for identifier in self.identifiers.all()}
        if self.iso_code:
            lines.setdefault(ExternalIdentifier.Scheme.ISO_3166_1_ALPHA_2, self.iso_code)
        return sorted(lines.items())

    def name_on(self, date: datetime.date) -> "ParticipantName":
        """The name in force on `date`. Uses prefetched names when available (`dated_names`,
        or a plain prefetch of `names`)."""
        names = getattr(self, DATED_NAMES, None)
        for dated in self.names.all() if names is None else names:
            if dated.is_in_force_on(date):
                return dated
        return ParticipantName(participant=self, name=self.name, sort_name=self.sort_name)


class ParticipantName(TranslatedModel):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200, help_text=_("As written in lists and headings."))
    sort_name = models.CharField(
        max_length=200,
        help_text=_(
            'Where the name files in an alphabetical list, e.g. "Iran, Islamic Republic of".'
        ),
    )
    prose_name = models.CharField(
        max_length=250,
        blank=True,
        help_text=_(
            'How the name reads inside a sentence, e.g. "the International Organization '
            'for Migration (IOM)". Blank means the name itself.'
        ),
    )
    # The forms a language that declines names needs inside a sentence (bpdialogue/grammar.py):
    # the Russian attendance paragraph lists countries in the genitive. One JSON object rather
    # than a column per language and case: most names need one or two forms, and a third
    # language is a key, not a migration.
    forms = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_name_forms],
        help_text=_(
            'The name in the cases a language needs inside a sentence, e.g. {"ru": '
            '{"genitive": "Афганистана"}}. A missing form reads as the name itself.'
        ),
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["participant", "valid_from"]
        constraints = [
            constraints.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="participantname_valid_to_after_from",
                field="valid_to",
                violation_error_message=_("A name cannot go out of use before it came into use."),
            ),
            constraints.UniqueConstraint(
                fields=["participant", "valid_from"],
                name="participantname_unique_start",
                field="valid_from",
                violation_error_message=_(
                    "Another name of this participant is valid from %(valid_from)s."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def is_in_force_on(self, date: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_to is None or date <= self.valid_to
        )

    @property
    def in_prose(self) -> str:
        return self.prose_name or self.name

    def form(self, case: str, language: str | None = None) -> str:
        """The name in `case` for `language` (the active one); '' when not stored."""
        return name_form(self.forms, case, language)


class ExternalIdentifier(VersionedModel):
    """An identifier another system uses for a participant (Popolo's `identifiers`)."""

    class Scheme(models.TextChoices):
        ISO_3166_1_ALPHA_2 = "ISO 3166-1 alpha-2", _("ISO 3166-1 alpha-2")
        ISO_3166_1_ALPHA_3 = "ISO 3166-1 alpha-3", _("ISO 3166-1 alpha-3")
        IATI = "IATI", _("IATI organisation identifier")
        WIKIDATA = "Wikidata", _("Wikidata")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="identifiers"
    )
    scheme = models.CharField(max_length=40, choices=Scheme.choices)
    value = models.CharField(max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["participant", "scheme"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["scheme", "value"],
                name="identifier_unique_value",
                field="value",
                violation_error_message=_(
                    "Another participant has the %(scheme)s identifier %(value)s."
                ),
            ),
            constraints.UniqueConstraint(
                fields=["participant", "scheme"],
                name="identifier_one_per_scheme",
                field="scheme",
                violation_error_message=_("This participant already has a %(scheme)s identifier."),
            ),
        ]

    def __str__(self):
        return f"{self.scheme}: {self.value}"


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )


class Membership(VersionedModel):
    class Status(models.TextChoices):
        PARTICIPATING_STATE = "participating_state", _("Participating state")
        OBSERVER = "observer", _("Observer")
        PARTNER_ORGANISATION = "partner_organisation", _("Partner organisation")
        SECRETARIAT = "secretariat", _("Secretariat")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="memberships")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(max_length=30, choices=Status.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["dialogue", "participant__sort_name"]
        constraints = [
            constraints.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="membership_valid_to_after_from",
                field="valid_to",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            constraints.UniqueConstraint(
                fields=["dialogue", "participant", "valid_from"],
                name="membership_unique_start",
                field="valid_from",
                violation_error_message=_(
                    "Another membership of this participant in the dialogue "
                    "starts on %(valid_from)s."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.participant} in {self.dialogue} ({self.get_status_display()})"


class RoleAssignment(VersionedModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CO_CHAIR = "co_chair", _("Co-Chair")
        THEMATIC_CHAIR = "thematic_chair", _("Thematic chair")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="roles")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["dialogue", "valid_from", "role"]
        constraints = [
            constraints.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="roleassignment_valid_to_after_from",
                field="valid_to",
                violation_error_message=_("A role cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.participant}"


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_on__isnull=True, erased_at__isnull=True)

    def with_is_focal_point(self, on: datetime.date | None = None):
        """Annotate `is_focal_point`: whether the person holds a focal-point role on `on`
        (today), in any dialogue."""
        return self.annotate(
            is_focal_point=models.Exists(
                FocalPoint.objects.current(on).filter(person=models.OuterRef("pk"))
            )
        )


class Person(VersionedModel):
    """A delegate or focal point. Contact details are personal data: secretariat only."""

    honorific = models.CharField(max_length=30, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    position = models.CharField(max_length=250, blank=True)
    affiliation = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="people", null=True, blank=True
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    # The working language the dialogue's own e-mails reach them in (a record published, an
    # action point falling due): the message and the record's texts in it.
    language = models.CharField(
        _("correspondence language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the e-mails to this person are written in."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    # A retired person stays in the lists of participants they appear in but is offered for
    # no new nomination, invitation or focal-point role.
    retired_on = models.DateField(null=True, blank=True)
    # Erasure on request blanks the personal fields and keeps the row, so the record still
    # counts a representative of the affiliation ("a representative of Germany").
    erased_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        """The name with honorific; an erased person's is "A representative of <their
        affiliation>", so the record still reads, naming nobody."""
        if self.erased_at is not None:
            return representative_of(self.affiliation.name if self.affiliation_id else "")
        return " ".join(p for p in (self.honorific, self.given_name, self.family_name) if p)


def representative_of(participant_name: str) -> str:
    """How a list or a record names a person whose data was erased on request."""
    return f"A representative of {participant_name}" if participant_name else "A representative"


class FocalPointQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )


class FocalPoint(VersionedModel):
    """A person a participant names as its contact for a dialogue, from one date to another.
    Invitations go to a participant's focal points in force; a focal point with a sign-in
    nominates the participant's delegations."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="focal_points")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="focal_points"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="focal_points")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = FocalPointQuerySet.as_manager()

    class Meta:
        ordering = ["dialogue", "participant__sort_name", "valid_from"]
        constraints = [
            constraints.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="focalpoint_valid_to_after_from",
                field="valid_to",
                violation_error_message=_("A focal-point role cannot end before it starts."),
            ),
            constraints.UniqueConstraint(
                fields=["dialogue", "participant", "person", "valid_from"],
                name="focalpoint_unique_start",
                field="valid_from",
                violation_error_message=_(
                    "This person's focal-point role for the participant "
                    "already starts on %(valid_from)s."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} for {self.participant} in {self.dialogue}"


class CalendarFeed(TimeStampedModel):
    """A user's personal iCalendar feed. The secret token in the URL is the only credential a
    calendar client can present, so it is long, random and can be replaced at any time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"


class PersonErasure(models.Model):
    """That a person's data was erased on request: who erased whom (by uid) and when. The
    only trace of the erasure, since the person's row and its history are blanked."""

    person_uid = models.UUIDField(unique=True, editable=False)
    erased_at = models.DateTimeField(editable=False)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Kept if the secretariat member's account goes later.
    erased_by_name = models.CharField(max_length=150, blank=True, editable=False)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self):
        return f"Person {self.person_uid} erased {self.erased_at:%d %b %Y} by {self.erased_by_name}"
