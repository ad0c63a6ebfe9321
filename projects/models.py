from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bpdialogue import constraints
from bpdialogue.models import TranslatedModel, VersionedModel, language_field
from bpdialogue.validators import NARRATIVE, markdown_only

AMOUNT_WITH_CURRENCY = (
    "Give the amount (not negative) and its currency (three capital letters of ISO 4217, "
    "e.g. EUR) together."
)


class Project(TranslatedModel):
    """A project or one of its parts. Projects form a tree: an EU-funded project, its dialogue
    and facility components, and the initiatives under them."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project")
        COMPONENT = "component", _("Component")
        PILOT_INITIATIVE = "pilot_initiative", _("Pilot initiative")
        FLAGSHIP_INITIATIVE = "flagship_initiative", _("Flagship initiative")
        FACILITY_ACTION = "facility_action", _("Facility action")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    dialogue = models.ForeignKey(
        "participants.Dialogue", on_delete=models.PROTECT, related_name="projects"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    authoritative_language = language_field()
    acronym = models.CharField(max_length=50, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    budget_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField("ISO 4217 currency", max_length=3, blank=True)
    regions = models.ManyToManyField("participants.Region", blank=True, related_name="projects")
    beneficiary_countries = models.ManyToManyField(
        "participants.Participant", blank=True, related_name="benefiting_projects"
    )
    description = models.TextField(blank=True, validators=[NARRATIVE, markdown_only])
    outcome = models.TextField(blank=True, validators=[NARRATIVE, markdown_only])
    history = HistoricalRecords(m2m_fields=[regions, beneficiary_countries])

    class Meta:
        ordering = ["title"]
        constraints = [
            constraints.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_end_not_before_start",
                field="end_date",
                violation_error_message=_("The project cannot end before it starts."),
            ),
            constraints.CheckConstraint(
                condition=Q(budget_amount__isnull=True, budget_currency="")
                | (Q(budget_amount__gte=0) & Q(budget_currency__regex=r"^[A-Z]{3}$")),
                name="project_budget_has_currency",
                field="budget_currency",
                violation_error_message=AMOUNT_WITH_CURRENCY,
            ),
            constraints.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="project_not_own_parent",
                field="parent",
                violation_error_message=_("A project cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return self.title


class ProjectPartner(VersionedModel):
    """A participant's part in a project: who funds it (and how much), who implements it."""

    class Role(models.TextChoices):
        FUNDER = "funder", _("Funder")
        IMPLEMENTER = "implementer", _("Implementer")
        CO_IMPLEMENTER = "co_implementer", _("Co-implementer")
        PARTNER = "partner", _("Partner")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="project_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    contribution_amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    contribution_currency = models.CharField(max_length=3, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "role", "participant__sort_name"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["project", "participant", "role"],
                name="projectpartner_unique_role",
                field="participant",
                violation_error_message=_("%(participant)s already has this role in the project."),
            ),
            constraints.CheckConstraint(
                condition=Q(contribution_amount__isnull=True, contribution_currency="")
                | (Q(contribution_amount__gte=0) & Q(contribution_currency__regex=r"^[A-Z]{3}$")),
                name="projectpartner_contribution_has_currency",
                field="contribution_currency",
                violation_error_message=AMOUNT_WITH_CURRENCY,
            ),
        ]

    def __str__(self):
        return f"{self.participant} ({self.get_role_display()}) in {self.project}"


class Site(TranslatedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPERATING = "operating", _("Operating")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    country = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="project_sites",
        limit_choices_to={"kind": "state"},
    )
    opened_on = models.DateField(null=True, blank=True)
    supervising_authority = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["project", "name"],
                name="site_unique_name",
                field="name",
                violation_error_message=_("The project already has a site called %(name)s."),
            ),
        ]

    def __str__(self):
        return self.name
