import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bpdialogue import constraints
from bpdialogue.models import TimeStampedModel, TranslatedModel, VersionedModel, language_field
from bpdialogue.translations import columns
from bpdialogue.validators import NARRATIVE, PARAGRAPH, Between, markdown_only
from participants.models import Participant

HEADCOUNT = Between(1, 1_000, "A delegation has %(minimum)s to %(maximum)s people (not %(value)s).")
POSITION_FROM_ONE = "Positions start at 1."


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTICIPANTS = "participants", _("Participants only")
    SECRETARIAT = "secretariat", _("Secretariat only")


class WorkingGroup(TranslatedModel):
    dialogue = models.ForeignKey(
        "participants.Dialogue", on_delete=models.CASCADE, related_name="working_groups"
    )
    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=20, blank=True)
    region = models.ForeignKey(
        "participants.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_groups",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["dialogue", "name"],
                name="workinggroup_unique_name",
                field="name",
                violation_error_message=_("There is already a working group called %(name)s."),
            ),
        ]

    def __str__(self):
        return self.name


class ThematicFocus(TranslatedModel):
    """A year's theme, proposed and accepted at meetings, which are then held under it. It
    sits beside Meeting, so the two can refer to each other inside one app; it names its
    thematic chair (a role needs no second link to it)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")

    dialogue = models.ForeignKey(
        "participants.Dialogue", on_delete=models.PROTECT, related_name="thematic_focuses"
    )
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    thematic_chair = models.ForeignKey(
        "participants.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="thematic_chairs",
    )
    proposed_at = models.ForeignKey(
        "Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.ForeignKey(
        "Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name_plural = _("thematic focuses")
        constraints = [
            constraints.UniqueConstraint(
                fields=["dialogue", "year"],
                name="thematicfocus_one_per_year",
                field="year",
                violation_error_message=_(
                    "The dialogue already has a thematic focus for %(year)s."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.title}"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        from bpdialogue.access import policy_for

        return policy_for(viewer).meetings(self)

    def with_relations(self):
        return self.select_related(
            "dialogue", "working_group", "host_country", "chair", "co_chair", "thematic_focus"
        )


class Meeting(TranslatedModel):
    class Kind(models.TextChoices):
        SENIOR_OFFICIALS = "senior_officials", _("Senior Officials Meeting")
        WORKING_GROUP = "working_group", _("Working Group meeting")
        MINISTERIAL = "ministerial", _("Ministerial Conference")
        CONSULTATION = "consultation", _("Consultation meeting")
        THEMATIC = "thematic", _("Thematic meeting")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class RecordStatus(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        ADOPTED = "adopted", _("Adopted")
        PUBLISHED = "published", _("Published")
        # Being corrected after publication: the public keeps reading the published revision.
        REOPENED = "reopened", _("Reopened for correction")

    # How the record calls the meeting in running text ("The Senior Officials meeting
    # gathered ...").
    PROSE_NAMES = {
        Kind.SENIOR_OFFICIALS: "Senior Officials meeting",
        Kind.WORKING_GROUP: "Working Group meeting",
        Kind.MINISTERIAL: "Ministerial Conference",
        Kind.CONSULTATION: "consultation meeting",
        Kind.THEMATIC: "thematic meeting",
        Kind.TRAINING: "training",
        Kind.OTHER: "meeting",
    }

    dialogue = models.ForeignKey(
        "participants.Dialogue", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    sequence_number = models.PositiveIntegerField(
        null=True, blank=True, help_text=_('24 makes the "24th Meeting of the Senior Officials".')
    )
    title = models.CharField(max_length=300)
    authoritative_language = language_field()
    slug = models.SlugField(max_length=120, unique=True)
    topic = models.CharField(
        max_length=300, blank=True, help_text=_('What the meeting was about, e.g. "Integration".')
    )
    start_date = models.DateField()
    end_date = models.DateField()
    registration_deadline = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "The last day focal points may nominate their delegations; empty means the "
            "day before the meeting starts."
        ),
    )
    city = models.CharField(max_length=100, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    host_country = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        limit_choices_to={"kind": "state"},
    )
    chair = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_meetings",
    )
    co_chair = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_chaired_meetings",
    )
    thematic_focus = models.ForeignKey(
        ThematicFocus,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PARTICIPANTS
    )
    record_status = models.CharField(
        max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    record_status_changed_at = models.DateTimeField(null=True, blank=True)
    record_status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    conclusions_intro = models.TextField(
        blank=True,
        validators=[PARAGRAPH, markdown_only],
        help_text=_(
            'The sentence that introduces the conclusions, e.g. "In closing, the '
            'Secretariat shortly summarised the discussions:".'
        ),
    )
    data_note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Where a figure is illustrative or a date approximate, say so here."),
    )
    summary_action_points = models.BooleanField(
        _("Print the action points in the Summary/conclusions"),
        default=False,
        help_text=_("A table after the conclusions: what is to be done, by whom, by when, where."),
    )
    # iCalendar SEQUENCE: calendar clients replace an event only when it rises, so it is
    # raised whenever the date or the place changes (see `save`).
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    # The meeting's own fields that its Summary/conclusions prints: part of the record, so
    # frozen while it is published and kept in each issued revision.
    RECORD_FIELDS = (
        "dialogue",
        "kind",
        "working_group",
        "sequence_number",
        "title",
        "start_date",
        "end_date",
        "city",
        "chair",
        "co_chair",
        "conclusions_intro",
        "summary_action_points",
    )

    # What a calendar entry shows of a meeting: a change to any of these (a new date or
    # place, a cancellation) is news to everyone who subscribed.
    CALENDAR_FIELDS = ("start_date", "end_date", "city", "venue", "host_country_id", "status")

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            constraints.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meeting_end_not_before_start",
                field="end_date",
                violation_error_message=_("The meeting cannot end before it starts."),
            ),
            constraints.UniqueConstraint(
                fields=["dialogue", "kind", "sequence_number"],
                condition=Q(working_group__isnull=True, sequence_number__isnull=False),
                name="meeting_unique_sequence",
                field="sequence_number",
                violation_error_message=_(
                    "Another meeting of this series has number %(sequence_number)s."
                ),
            ),
            constraints.UniqueConstraint(
                fields=["dialogue", "kind", "working_group", "sequence_number"],
                condition=Q(working_group__isnull=False, sequence_number__isnull=False),
                name="meeting_unique_sequence_in_working_group",
                field="sequence_number",
                violation_error_message=_(
                    "Another meeting of this working group has number %(sequence_number)s."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["dialogue", "start_date"]),
            # The lists' order (-start_date, -id, read backwards; the calendar and what comes
            # next read it forwards): a page is the next rows of the index, no sort of them all.
            models.Index(fields=["start_date", "id"], name="meeting_list_order"),
            # The public's lists and their counts (most readers), index-only.
            models.Index(
                fields=["start_date", "id"],
                condition=Q(visibility="public"),
                name="meeting_public_list_order",
            ),
            models.Index(fields=["kind", "start_date", "id"], name="meeting_kind_list_order"),
            # The few records reopened for correction, which every search reads from their
            # published revision: found without reading every meeting.
            models.Index(
                fields=["start_date"],
                condition=Q(record_status="reopened"),
                name="meeting_reopened",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._calendar_as_loaded = instance._calendar_state()
        return instance

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_calendar_as_loaded", None)
        if loaded is not None and loaded != self._calendar_state():
            self.calendar_sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "calendar_sequence"}
        super().save(*args, **kwargs)
        self._calendar_as_loaded = self._calendar_state()

    def get_absolute_url(self):
        return reverse("meeting-detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.kind == self.Kind.WORKING_GROUP and self.working_group_id is None:
            errors["working_group"] = _("A Working Group meeting needs its working group.")
        elif self.kind != self.Kind.WORKING_GROUP and self.working_group_id is not None:
            errors["working_group"] = _("Only a Working Group meeting belongs to a working group.")
        if self.chair_id is not None and self.chair_id == self.co_chair_id:
            errors["co_chair"] = "The Co-Chair is another participant than the Chair."
        if errors:
            raise ValidationError(errors)

    def _calendar_state(self) -> tuple:
        # Read from __dict__ so a deferred field is not loaded just to compare it.
        # The place is compared in every language (`city_en`, `city_ru`, ...): `city` itself
        # is only the translated fields' reading in the active language.
        return tuple(self.__dict__.get(name) for name in columns(Meeting, self.CALENDAR_FIELDS))

    @property
    def prose_name(self) -> str:
        return self.PROSE_NAMES[self.kind]

    @property
    def nominations_close_on(self) -> datetime.date:
        """The last day focal points may nominate (the deadline, else the day before)."""
        return self.registration_deadline or self.start_date - datetime.timedelta(days=1)


# Defined before the models that list them: the change history copies their fields.
class ChosenParticipant(models.Model):
    """One of the participants named on a part of the record, at its place in the list: the
    record says "Presented by Hungary, Turkey" in the order the secretariat chose them."""

    position = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self):
        return f"{self.position}. {self.participant}"


class AgendaItemPresenter(ChosenParticipant):
    # Each list keeps the table (and the column names) Django made for it before it had an
    # order, so no row moved when it got one.
    agendaitem = models.ForeignKey("AgendaItem", on_delete=models.CASCADE)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="presenter_places"
    )

    class Meta(ChosenParticipant.Meta):
        db_table = "meetings_agendaitem_presenters"
        unique_together = [("agendaitem", "participant")]


class StatementSpeaker(ChosenParticipant):
    statement = models.ForeignKey("Statement", on_delete=models.CASCADE)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="speaker_places"
    )

    class Meta(ChosenParticipant.Meta):
        db_table = "meetings_statement_speakers"
        unique_together = [("statement", "participant")]
        # A participant's statements (its page, its figures) by index alone.
        indexes = [
            models.Index(fields=["participant", "statement"], name="speaker_statements"),
        ]


class ActionPointResponsible(ChosenParticipant):
    actionpoint = models.ForeignKey("ActionPoint", on_delete=models.CASCADE)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="responsible_places"
    )

    class Meta(ChosenParticipant.Meta):
        db_table = "meetings_actionpoint_responsible"
        unique_together = [("actionpoint", "participant")]


# Each list of participants, and how its participants are read in the order chosen.
CHOSEN_ORDER = {
    "presenters": "presenter_places__position",
    "speakers": "speaker_places__position",
    "responsible": "responsible_places__position",
}


def in_chosen_order(lookup: str, queryset: models.QuerySet | None = None) -> Prefetch:
    """Prefetch presenters, speakers or responsible participants (`lookup`, maybe through
    others: "statements__speakers") in the order they were chosen. The ordering joins the
    through model the prefetch already filters on, so each participant comes once per list."""
    if queryset is None:
        queryset = Participant.objects.all()
    return Prefetch(lookup, queryset=queryset.order_by(CHOSEN_ORDER[lookup.split("__")[-1]]))


def set_prefetched(instance: models.Model, name: str, objects, *, base=None) -> None:
    """Make `instance.<name>.all()` answer `objects`, as prefetch_related would. `base`: a
    queryset of the related model, filtered to the instance's as prefetch_related filters
    its own (half the cost of a manager's queryset, for many rows at once)."""
    manager = getattr(instance, name)
    queryset = manager.get_queryset() if base is None else manager._apply_rel_filters(base)
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def read_chosen(lists: dict[str, list], *, known=()) -> list[Participant]:
    """Every row's participants of each list (`{"speakers": statements, "presenters": agenda
    items, "responsible": action points}`), set in the order chosen as `in_chosen_order`
    would prefetch them (`statement.speakers.all()` answers them). One query for the places
    in all the lists, and one for the participants not in `known` (a meeting's delegations'),
    if any: a participant is one instance wherever it is named. Returns the participants
    read, for their names to be read with the known ones'.

    A prefetch costs a query and a filtered queryset per row and per list, and an instance
    per place; the record of a meeting names participants in three lists, mostly its own
    delegations."""
    asked = {name: rows for name, rows in lists.items() if rows}
    if not asked:
        return []
    using = router.db_for_read(Participant)
    qn = connections[using].ops.quote_name
    parts, params = [], []
    for name, rows in asked.items():
        field = rows[0]._meta.get_field(name)
        through = field.remote_field.through._meta
        owner = through.get_field(field.m2m_field_name()).column
        member = through.get_field(field.m2m_reverse_field_name()).column
        # Table and column names are the models' own, the list's name one of CHOSEN_ORDER's;
        # the rows' ids are parameters.
        parts.append(
            f"SELECT '{name}' AS chosen_list, {qn(owner)} AS chosen_for, "  # nosec B608
            f"{qn(member)} AS chosen_id, position AS chosen_position "
            f"FROM {qn(through.db_table)} WHERE {qn(owner)} IN ({', '.join(['%s'] * len(rows))})"
        )
        params += [row.pk for row in rows]
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"{' UNION ALL '.join(parts)} ORDER BY chosen_list, chosen_for, chosen_position",
            params,
        )
        places = cursor.fetchall()
    participants = {participant.pk: participant for participant in known}
    unknown = {place[2] for place in places} - participants.keys()
    read = list(Participant.objects.in_bulk(unknown).values()) if unknown else []
    participants.update((participant.pk, participant) for participant in read)
    chosen = {(name, row.pk): [] for name, rows in asked.items() for row in rows}
    for chosen_list, chosen_for, participant_id, _position in places:
        chosen[(chosen_list, chosen_for)].append(participants[participant_id])
    base = Participant.objects.all()
    for name, rows in asked.items():
        for row in rows:
            set_prefetched(row, name, chosen[(name, row.pk)], base=base)
    return read


def keeps_chosen_order(instance: models.Model, name: str) -> bool:
    field = instance._meta.get_field(name) if name in CHOSEN_ORDER else None
    return field is not None and issubclass(field.remote_field.through, ChosenParticipant)


def chosen_participants(instance: models.Model, name: str) -> list[Participant]:
    """`instance.name` in the order chosen: as `in_chosen_order` prefetched it, else read."""
    manager = getattr(instance, name)
    if name in getattr(instance, "_prefetched_objects_cache", {}):
        return list(manager.all())
    return list(manager.order_by(CHOSEN_ORDER[name]))


class AgendaItem(TranslatedModel):
    class StatementLayout(models.TextChoices):
        NUMBERED = "numbered", _("Numbered sub-points (i., ii., iii.)")
        RUNNING = "running", _("Running text after the record")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="sub_items"
    )
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    session_label = models.CharField(
        max_length=100, blank=True, help_text=_('e.g. "Opening session" or "Afternoon session".')
    )
    # For a meeting of several days: the day it is held on. An item without one is held on
    # the day of the item before it (meetings/agenda.py).
    day = models.DateField(
        null=True, blank=True, help_text=_("For a meeting of several days: the day it is held on.")
    )
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    presenters = models.ManyToManyField(
        "participants.Participant",
        blank=True,
        related_name="presented_agenda_items",
        through=AgendaItemPresenter,
    )
    record = models.TextField(
        blank=True,
        validators=[NARRATIVE, markdown_only],
        help_text=_("What happened under this item. Markdown: bold, lists, links."),
    )
    statement_layout = models.CharField(
        max_length=20, choices=StatementLayout.choices, default=StatementLayout.NUMBERED
    )
    history = HistoricalRecords(m2m_fields=[presenters])

    class Meta:
        ordering = ["meeting", "parent_id", "position"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["meeting", "position"],
                condition=Q(parent__isnull=True),
                name="agendaitem_unique_position",
                field="position",
                violation_error_message=_("There is already an item at position %(position)s."),
            ),
            constraints.UniqueConstraint(
                fields=["parent", "position"],
                condition=Q(parent__isnull=False),
                name="agendaitem_unique_sub_position",
                field="position",
                violation_error_message=_(
                    "There is already a sub-item at position %(position)s under this item."
                ),
            ),
            constraints.CheckConstraint(
                condition=Q(position__gte=1),
                name="agendaitem_position_positive",
                field="position",
                violation_error_message=POSITION_FROM_ONE,
            ),
            constraints.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="agendaitem_ends_after_start",
                field="end_time",
                violation_error_message=_("The item ends after it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        meeting = self.meeting if self.meeting_id else None
        if self.day and meeting and not meeting.start_date <= self.day <= meeting.end_date:
            raise ValidationError({"day": day_outside_meeting(meeting)})


def day_outside_meeting(meeting: Meeting) -> str:
    first, last = meeting.start_date, meeting.end_date
    if first == last:
        return f"The meeting is held on {first.day} {first:%B %Y}: its items are on that day."
    return (
        f"The meeting is held from {first.day} {first:%B %Y} to {last.day} {last:%B %Y}: "
        "each item is on one of those days."
    )


class Statement(TranslatedModel):
    """What one or more participants said under an agenda item. A joint statement
    ("Iraq, Afghanistan and Pakistan appreciated ...") names every speaker."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveIntegerField()
    speakers = models.ManyToManyField(
        "participants.Participant",
        blank=True,
        related_name="statements",
        through=StatementSpeaker,
    )
    text = models.TextField(validators=[PARAGRAPH, markdown_only])
    history = HistoricalRecords(m2m_fields=[speakers])

    class Meta:
        ordering = ["agenda_item", "position"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["agenda_item", "position"],
                name="statement_unique_position",
                field="position",
                violation_error_message=_(
                    "There is already a statement at position %(position)s under this item."
                ),
            ),
            constraints.CheckConstraint(
                condition=Q(position__gte=1),
                name="statement_position_positive",
                field="position",
                violation_error_message=POSITION_FROM_ONE,
            ),
        ]

    def __str__(self):
        return self.text[:80]


class Delegation(VersionedModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CO_CHAIR = "co_chair", _("Co-Chair")
        SECRETARIAT = "secretariat", _("Secretariat")
        PARTICIPANT = "participant", _("Participant")
        OBSERVER = "observer", _("Observer")
        GUEST = "guest", _("Guest")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="delegations")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="delegations"
    )
    headcount = models.PositiveIntegerField(default=1, validators=[HEADCOUNT])
    headcount_is_illustrative = models.BooleanField(
        default=False,
        help_text=_("The source gives only the meeting's total; this figure was chosen to add up."),
    )
    # Empty: the headcount follows the confirmed registrations. A headcount set by hand (more
    # came than were registered, or nobody was) says why, so the next confirmation keeps it.
    headcount_note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_(
            "Why the headcount is set by hand; empty means it counts the confirmed registrations."
        ),
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "participant__kind", "participant__sort_name"]
        # A participant's meetings (its page, the meetings list by country) by index alone.
        indexes = [
            models.Index(fields=["participant", "meeting"], name="delegation_by_participant")
        ]
        constraints = [
            constraints.UniqueConstraint(
                fields=["meeting", "participant"],
                name="delegation_one_per_participant",
                field="participant",
                violation_error_message=_(
                    "%(participant)s already has a delegation at this meeting."
                ),
            ),
            constraints.CheckConstraint(
                condition=Q(headcount__gte=1),
                name="delegation_headcount_positive",
                field="headcount",
                violation_error_message=_("A delegation has at least one person."),
            ),
        ]

    def __str__(self):
        return f"{self.participant} at {self.meeting}"


class Registration(VersionedModel):
    """A person nominated to a meeting's delegation of a participant, by its focal point, the
    secretariat or a national system through the API. Confirmed registrations are the
    delegation's members: the list of participants and the attendance follow from them."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        DELEGATE = "delegate", _("Delegate")
        ADVISER = "adviser", _("Adviser")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey(
        "participants.Person", on_delete=models.PROTECT, related_name="registrations"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.DELEGATE)
    position = models.CharField(
        max_length=250,
        blank=True,
        help_text=_("The position as the list of participants gives it."),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOMINATED)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "participant__kind", "participant__sort_name", "role", "person"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["meeting", "person"],
                name="registration_one_per_person",
                field="person",
                violation_error_message=_("%(person)s is already registered for this meeting."),
            ),
            constraints.UniqueConstraint(
                fields=["meeting", "participant"],
                condition=Q(role="head") & ~Q(status="declined"),
                name="registration_one_head_per_delegation",
                violation_error_message=_("This delegation already has a head."),
            ),
        ]

    def __str__(self):
        return f"{self.person} for {self.participant} at {self.meeting}"


class InvitationRound(TimeStampedModel):
    """One sending of a meeting's invitation: its subject and text (offered again for the
    next meeting's round), and the agenda as it was when it went out."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    subject = models.CharField(max_length=250)
    text = models.TextField(max_length=20_000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Rendered once for the round, so every focal point gets the same agenda and a retried
    # delivery renders nothing.
    agenda_pdf = models.FileField(upload_to="invitations/%Y/", max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} ({self.created_at:%d %b %Y})" if self.created_at else self.subject


class InvitationDelivery(TimeStampedModel):
    """The invitation to one focal point of one participant. `key` is the idempotency key:
    the e-mail goes out only after the row is claimed (queued → sending), so a retried or
    duplicated task finds it claimed or sent and sends nothing."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    invitation = models.ForeignKey(
        InvitationRound, on_delete=models.CASCADE, related_name="deliveries"
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="+"
    )
    focal_point = models.ForeignKey(
        "participants.Person", on_delete=models.PROTECT, related_name="invitations"
    )
    # The address as it was when sent: the person's may change later.
    email = models.EmailField()
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invitation", "participant__kind", "participant__sort_name", "email"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["invitation", "focal_point"],
                name="invitation_once_per_focal_point",
                field="focal_point",
                violation_error_message=_("%(focal_point)s is already invited in this round."),
            )
        ]

    def __str__(self):
        return f"{self.invitation} to {self.email}"


class Conclusion(TranslatedModel):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement")
        DECISION = "decision", _("Decision")
        RECOMMENDATION = "recommendation", _("Recommendation")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conclusions")
    position = models.PositiveIntegerField()
    text = models.TextField(validators=[PARAGRAPH, markdown_only])
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.AGREEMENT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["meeting", "position"],
                name="conclusion_unique_position",
                field="position",
                violation_error_message=_(
                    "There is already a conclusion at position %(position)s."
                ),
            ),
            constraints.CheckConstraint(
                condition=Q(position__gte=1),
                name="conclusion_position_positive",
                field="position",
                violation_error_message=POSITION_FROM_ONE,
            ),
        ]

    def __str__(self):
        return self.text[:80]


class ActionPoint(TranslatedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_points")
    position = models.PositiveIntegerField()
    text = models.TextField(validators=[PARAGRAPH, markdown_only])
    responsible = models.ManyToManyField(
        "participants.Participant",
        blank=True,
        related_name="action_points",
        through=ActionPointResponsible,
    )
    due_date = models.DateField(
        null=True, blank=True, help_text=_("The last day by which it should be done.")
    )
    due_text = models.CharField(
        max_length=200,
        blank=True,
        help_text=_('As agreed, e.g. "end of February/beginning of March".'),
    )
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    fulfilled_by = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfilled_action_points",
        help_text=_("The later meeting that carried it out."),
    )
    history = HistoricalRecords(m2m_fields=[responsible])

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["meeting", "position"],
                name="actionpoint_unique_position",
                field="position",
                violation_error_message=_(
                    "There is already an action point at position %(position)s."
                ),
            ),
            constraints.CheckConstraint(
                condition=Q(position__gte=1),
                name="actionpoint_position_positive",
                field="position",
                violation_error_message=POSITION_FROM_ONE,
            ),
            constraints.CheckConstraint(
                condition=~Q(fulfilled_by=F("meeting")),
                name="actionpoint_fulfilled_by_later_meeting",
                field="fulfilled_by",
                violation_error_message=_(
                    "A later meeting fulfils an action point, not the one that agreed it."
                ),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.due_date and self.meeting_id and self.due_date < self.meeting.start_date:
            raise ValidationError(
                {
                    "due_date": "It cannot be due before its meeting: the meeting began on "
                    f"{self.meeting.start_date.day} {self.meeting.start_date:%B %Y}."
                }
            )


class ConclusionReference(TimeStampedModel):
    """A conclusion that confirms, amends or supersedes one of an earlier meeting, so a
    reader of either sees what is still in force. Part of the later conclusion's record."""

    class Relation(models.TextChoices):
        CONFIRMS = "confirms", _("confirms")
        AMENDS = "amends", _("amends")
        SUPERSEDES = "supersedes", _("supersedes")

    # How the earlier conclusion names the later one ("amended by …").
    PASSIVE = {
        Relation.CONFIRMS: _("confirmed by"),
        Relation.AMENDS: _("amended by"),
        Relation.SUPERSEDES: _("superseded by"),
    }

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="references")
    earlier = models.ForeignKey(
        Conclusion,
        on_delete=models.CASCADE,
        related_name="referred_by",
        verbose_name=_("earlier conclusion"),
    )
    relation = models.CharField(max_length=20, choices=Relation.choices)

    class Meta:
        ordering = ["conclusion", "earlier__meeting__start_date", "earlier__position"]
        constraints = [
            constraints.UniqueConstraint(
                fields=["conclusion", "earlier"],
                name="conclusionreference_once",
                field="earlier",
                violation_error_message=_("This conclusion already refers to that one."),
            ),
        ]

    def __str__(self):
        return f"{self.conclusion} {self.relation} {self.earlier}"

    def clean(self):
        if not (self.conclusion_id and self.earlier_id):
            return
        later, earlier = self.conclusion.meeting, self.earlier.meeting
        if earlier.dialogue_id != later.dialogue_id or earlier.start_date >= later.start_date:
            raise ValidationError(
                {"earlier": _("A conclusion refers to one of an earlier meeting of the dialogue.")}
            )

    @property
    def passive(self) -> str:
        return self.PASSIVE[self.relation]


class ActionPointStatusChange(TimeStampedModel):
    """One step in an action point's progress: who moved it, when, from what to what, and
    why. Written by the service in the transaction that changes the status."""

    action_point = models.ForeignKey(
        ActionPoint, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=ActionPoint.Status.choices)
    to_status = models.CharField(max_length=20, choices=ActionPoint.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True, max_length=2_000)

    class Meta:
        ordering = ["action_point", "created_at", "id"]

    def __str__(self):
        return f"{self.action_point}: {self.from_status} → {self.to_status}"


class ActionPointReminder(TimeStampedModel):
    """That the responsible focal points were reminded of an action point at one stage of
    its due date. Unique per stage and due date: a rerun or retried job sends nothing twice,
    and a new due date is reminded of afresh."""

    class Stage(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    action_point = models.ForeignKey(
        ActionPoint, on_delete=models.CASCADE, related_name="reminders"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    due_date = models.DateField()
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["action_point", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_point", "stage", "due_date"],
                name="actionpointreminder_once_per_stage",
                violation_error_message=_("The focal points were already reminded at this stage."),
            ),
        ]

    def __str__(self):
        return f"{self.action_point} ({self.stage}, due {self.due_date})"


class Document(TranslatedModel):
    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda")
        SUMMARY = "summary", _("Summary/conclusions")
        PARTICIPANTS = "participants", _("List of participants")
        # The organisers' own copies: the list with e-mails and phones, and the name badges.
        # Secretariat only, whatever their visibility says (bpdialogue/access.py).
        PARTICIPANTS_CONTACTS = "participants_contacts", _("List of participants with contacts")
        BADGES = "badges", _("Name badges")
        PRESENTATION = "presentation", _("Presentation")
        BACKGROUND_PAPER = "background_paper", _("Background paper")
        CONCEPT_NOTE = "concept_note", _("Concept note")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    language = models.CharField(max_length=10, default="en")
    # Room for a long uploaded name and for the generated ones (kind, language, revision, hash).
    file = models.FileField(upload_to="documents/%Y/", max_length=255)
    content_type = models.CharField(max_length=100, default="application/pdf")
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PARTICIPANTS
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Unpublished documents are seen by the secretariat only."),
    )
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    revision = models.PositiveIntegerField(default=1)
    generated = models.BooleanField(default=False)
    source_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("For generated documents: hash of the data rendered."),
    )
    is_archival = models.BooleanField(default=False, help_text=_("Rendered as PDF/A."))
    # An issued document (the Summary/conclusions of a published record) is frozen: its file
    # and checksum never change and it is never withdrawn; a correction issues the next one.
    issued_at = models.DateTimeField(null=True, blank=True, editable=False)
    superseded_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a later revision replaced it; it stays downloadable as superseded."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-revision"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, project__isnull=True)
                | Q(meeting__isnull=True, project__isnull=False),
                name="document_belongs_to_meeting_or_project",
                violation_error_message=_(
                    "A document belongs to a meeting or to a project, not both and not neither."
                ),
            ),
            # An uploaded paper's revisions are numbered once each (two uploads at once used
            # to both become revision 2). Generated documents are numbered under the meeting's
            # lock by their render, and an issued Summary takes its record's revision number.
            constraints.UniqueConstraint(
                fields=["meeting", "kind", "language", "title", "revision"],
                condition=Q(generated=False, meeting__isnull=False),
                name="document_unique_revision_at_meeting",
                field="revision",
                violation_error_message=_(
                    "%(title)s already has a revision %(revision)s; "
                    "upload it again to store it as the next one."
                ),
            ),
            constraints.UniqueConstraint(
                fields=["project", "kind", "language", "title", "revision"],
                condition=Q(generated=False, project__isnull=False),
                name="document_unique_revision_of_project",
                field="revision",
                violation_error_message=_(
                    "%(title)s already has a revision %(revision)s; "
                    "upload it again to store it as the next one."
                ),
            ),
        ]

    def __str__(self):
        return self.title


class RenderJob(TimeStampedModel):
    class Purpose(models.TextChoices):
        DRAFT = "draft", _("Working copy")
        # Publishing the record: the job renders the final text and publishes it with it.
        ISSUE = "issue", _("Publication")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        # The worker rendering it stopped (or a passing error): it is queued for another try.
        RETRYING = "retrying", _("Retrying")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    IN_PROGRESS = (Status.QUEUED, Status.RUNNING, Status.RETRYING)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="render_jobs")
    document_kind = models.CharField(max_length=30, choices=Document.Kind.choices)
    language = models.CharField(max_length=10, default="en")
    archival = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.DRAFT)
    note = models.TextField(blank=True, help_text=_("For a publication: its change note."))
    celery_task_id = models.CharField(max_length=100, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    # Written every few seconds while a worker renders it; a running job whose heartbeat is
    # older than RENDER_STALE_AFTER lost its worker (meetings/render_queue.py).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="render_jobs"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_document_kind_display()} for {self.meeting} ({self.status})"


class RecordTransition(TimeStampedModel):
    """One step of a record's workflow: who moved it, when, from what to what, and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Meeting.RecordStatus.choices)
    to_status = models.CharField(max_length=20, choices=Meeting.RecordStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.meeting}: {self.from_status} → {self.to_status}"


class RecordRevision(TimeStampedModel):
    """A published revision of a meeting's record: the issued Summary/conclusions and the
    record's rows exactly as that document prints them. While the record is reopened for
    correction, the public, delegates and partners read this, not the rows being edited."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    change_note = models.TextField(blank=True)
    # Null only for a record published before revisions were kept (imported, or the demo):
    # its first revision is taken when it is first reopened, so the public keeps reading it.
    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="record_revision"
    )
    # The record's rows as Django's serializer writes them (see meetings/revisions.py).
    snapshot = models.JSONField()

    class Meta:
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="recordrevision_unique_number",
                violation_error_message=_("This record already has a revision with that number."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting}, revision {self.number}"


class RecordNotification(TimeStampedModel):
    """That the delegates were told of one publication of a meeting's record. The unique
    constraint makes the e-mail go out once per publication, however often the task runs."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="record_notifications"
    )
    published_at = models.DateTimeField()
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "published_at"],
                name="recordnotification_once_per_publication",
                violation_error_message=_("The delegates were already told of this publication."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} published {self.published_at:%Y-%m-%d %H:%M}"
