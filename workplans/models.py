from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bpdialogue import constraints
from bpdialogue.models import TranslatedModel, VersionedModel
from bpdialogue.validators import PARAGRAPH, markdown_only
from meetings.models import Meeting, ThematicFocus


class CooperationFramework(TranslatedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted")

    dialogue = models.ForeignKey(
        "participants.Dialogue", on_delete=models.PROTECT, related_name="frameworks"
    )
    title = models.CharField(max_length=300)
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    presented_at = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_at = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_year"]
        constraints = [
            constraints.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="framework_years_in_order",
                field="last_year",
                violation_error_message=_("The last year cannot precede the first."),
            ),
        ]

    def __str__(self):
        return self.title


class FrameworkCadence(VersionedModel):
    """How many meetings of a kind the framework expects a year, so planned and held compare."""

    framework = models.ForeignKey(
        CooperationFramework, on_delete=models.CASCADE, related_name="cadence"
    )
    meeting_kind = models.CharField(max_length=30, choices=Meeting.Kind.choices)
    per_year = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "meeting_kind"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["framework", "meeting_kind"],
                name="cadence_one_per_kind",
                field="meeting_kind",
                violation_error_message=_(
                    "The framework already expects a number of meetings of this kind."
                ),
            ),
            constraints.CheckConstraint(
                condition=Q(per_year__gte=1),
                name="cadence_per_year_positive",
                field="per_year",
                violation_error_message=_("At least one a year."),
            ),
        ]

    def __str__(self):
        return f"{self.per_year} × {self.get_meeting_kind_display()} a year"


class Workplan(TranslatedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PRESENTED = "presented", _("Presented")
        ADOPTED = "adopted", _("Adopted")

    dialogue = models.ForeignKey(
        "participants.Dialogue", on_delete=models.PROTECT, related_name="workplans"
    )
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    framework = models.ForeignKey(
        CooperationFramework,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workplans",
    )
    thematic_focus = models.ForeignKey(
        ThematicFocus, on_delete=models.SET_NULL, null=True, blank=True, related_name="workplans"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    presented_at = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_at = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["dialogue", "year"],
                name="workplan_one_per_year",
                field="year",
                violation_error_message=_("The dialogue already has a workplan for %(year)s."),
            ),
        ]

    def __str__(self):
        return self.title


class Activity(TranslatedModel):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        TRAINING = "training", _("Training")
        POLICY_DEVELOPMENT = "policy_development", _("Policy development")
        INFORMATION_CENTRE = "information_centre", _("Information centre")
        AWARENESS_RAISING = "awareness_raising", _("Awareness raising")
        PILOT = "pilot", _("Pilot initiative")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    countries = models.ManyToManyField(
        "participants.Participant", blank=True, related_name="activities"
    )
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    responsible = models.ManyToManyField(
        "participants.Participant", blank=True, related_name="responsible_activities"
    )
    realised_by = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="realised_activities",
    )
    outcome = models.TextField(blank=True, validators=[PARAGRAPH, markdown_only])
    history = HistoricalRecords(m2m_fields=[countries, responsible])

    class Meta:
        ordering = ["workplan", "position"]
        verbose_name_plural = _("activities")
        constraints = [
            constraints.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="activity_end_not_before_start",
                field="planned_end",
                violation_error_message=_("The end cannot precede the start."),
            ),
        ]

    def __str__(self):
        return self.title
