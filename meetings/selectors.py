"""Reads about meetings, with their joins and the access policy in one place."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bpdialogue.access import policy_for
from bpdialogue.grammar import (
    NAME_CASES,
    base_language,
    join_in_language,
    russian_count,
    russian_plural,
)
from bpdialogue.text import plural
from bpdialogue.translations import column
from participants.models import FocalPoint, Participant, ParticipantName, dated_names

from .agenda import agenda_headings
from .models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    InvitationDelivery,
    Meeting,
    Registration,
    WorkingGroup,
    read_chosen,
)

# How the attendance sentence joins the organisations to the countries ("as well as"), and
# names them when no country came ("from"), per language.
ATTENDANCE_JOINS = {"en": ("as well as", "from"), "ru": ("а также", "от")}


@dataclass(frozen=True)
class Attendance:
    """Who came to a meeting, in the words the record uses, in `language`: the names are
    already in the case its sentence needs (Russian lists them in the genitive)."""

    meeting_prose_name: str
    participant_count: int
    countries: tuple[str, ...]
    organisations: tuple[str, ...]
    language: str = "en"
    meeting_kind: str = ""
    # The names printed as they are because the form the sentence needs is not stored: the
    # secretariat's to fill in (`ParticipantName.forms`).
    missing_forms: tuple[str, ...] = ()

    @property
    def country_count(self) -> int:
        return len(self.countries)

    @property
    def headline(self) -> str:
        """'50 participants from 22 countries'; '50 участников из 22 стран'."""
        if self.language == "ru":
            return self._headline_ru()
        people = plural(self.participant_count, "participant")
        if not self.countries:
            return people
        return f"{people} from {plural(self.country_count, 'country', 'countries')}"

    def _parts(self, headline: str) -> str:
        """'The Senior Officials Meeting gathered 50 participants from 22 countries – A, B and
        C – as well as D and E.' In Russian: 'В совещании старших должностных лиц приняли
        участие 50 участников из 22 стран – Афганистана, … – а также Европейской комиссии, …'
        (every name in the genitive; the organisations after "от" when no country came, else
        continuing "из")."""
        also, only_from = ATTENDANCE_JOINS.get(self.language, ATTENDANCE_JOINS["en"])
        sentence = f"{self._opening()} {headline}"
        if self.countries:
            sentence += f" – {join_in_language(list(self.countries), self.language)} –"
            if self.organisations:
                sentence += f" {also} {join_in_language(list(self.organisations), self.language)}"
        elif self.organisations:
            sentence += f" {only_from} {join_in_language(list(self.organisations), self.language)}"
        return sentence.rstrip(" –") + "."

    def _opening(self) -> str:
        if self.language != "ru":
            return f"The {self.meeting_prose_name} gathered"
        # The verb agrees with the number: "принял участие 21 участник".
        one = russian_plural(self.participant_count, "one", "few", "many") == "one"
        where = RUSSIAN_WHERE.get(self.meeting_kind, RUSSIAN_WHERE[Meeting.Kind.OTHER])
        return f"{where} {'принял' if one else 'приняли'} участие"

    def _headline_ru(self) -> str:
        # "из" takes the genitive, and so does its numeral: "из 1 страны", "из 22 стран".
        people = russian_count(self.participant_count, "участник", "участника", "участников")
        if not self.countries:
            return people
        return f"{people} из {russian_count(self.country_count, 'страны', 'стран', 'стран')}"

    def paragraph(self) -> str:
        return self._parts(self.headline)

    def paragraph_html(self) -> SafeString:
        """The same sentence with the totals in bold, as the published record has it."""
        marker = "\x00"
        text = escape(self._parts(marker))
        # Escaped above; only our own <strong> is added.
        return mark_safe(text.replace(marker, f"<strong>{escape(self.headline)}</strong>"))  # nosec B308 B703


# Where the Russian sentence says the participants took part, as the dialogue's Russian
# records name its meetings (the English sentence's meeting_prose_name, in the prepositional).
RUSSIAN_WHERE = {
    Meeting.Kind.SENIOR_OFFICIALS: "В совещании старших должностных лиц",
    Meeting.Kind.WORKING_GROUP: "В совещании рабочей группы",
    Meeting.Kind.MINISTERIAL: "В конференции министров",
    Meeting.Kind.CONSULTATION: "В консультационном совещании",
    Meeting.Kind.THEMATIC: "В тематическом совещании",
    Meeting.Kind.TRAINING: "В тренинге",
    Meeting.Kind.OTHER: "Во встрече",
}

# The case a name takes in the attendance sentence, in the languages that decline names.
ATTENDANCE_CASE = "genitive"


def _attendance_name(name: ParticipantName, language: str) -> tuple[str, bool]:
    """The name as the attendance sentence prints it in `language`, and whether the form it
    needs was missing. Without its stored form a name reads in the nominative: its prose name
    in that language if it has one (`prose_name_ru`), else its name."""
    if language not in NAME_CASES:
        return name.in_prose, False
    form = name.form(ATTENDANCE_CASE, language)
    if form:
        return form, False
    return getattr(name, column("prose_name", language), "") or name.name, True


def _attendance_delegations(meeting: Meeting) -> list[Delegation]:
    return list(
        Delegation.objects.filter(meeting=meeting)
        .select_related("participant")
        .prefetch_related(dated_names("participant__"))
    )


def attendance_forms_missing(*, meeting: Meeting) -> list[tuple[str, tuple[str, ...]]]:
    """For each language that declines names, the meeting's participants its attendance
    sentence prints without the form it needs: (language's name, names). Two queries."""
    delegations = _attendance_delegations(meeting)
    names = dict(settings.LANGUAGES)
    missing = []
    for language in NAME_CASES:
        if language in names:
            attendance = meeting_attendance(
                meeting=meeting, delegations=delegations, language=language
            )
            if attendance.missing_forms:
                missing.append((names[language], attendance.missing_forms))
    return missing


def meeting_attendance(
    *, meeting: Meeting, delegations=None, language: str | None = None
) -> Attendance:
    """Totals and names from the delegations (the stored ones, or those given: a published
    revision's), using the names in force on the meeting's date: states by sort name, then
    organisations by sort name, in `language` (the active one). Two queries."""
    language = base_language(language)
    if delegations is None:
        delegations = _attendance_delegations(meeting)
    states, organisations, missing = [], [], []
    with translation.override(language):
        for delegation in delegations:
            name = delegation.participant.name_on(meeting.start_date)
            printed, form_missing = _attendance_name(name, language)
            if form_missing:
                missing.append(name.name)
            is_state = delegation.participant.kind == Participant.Kind.STATE
            bucket = states if is_state else organisations
            bucket.append((name.sort_name.casefold(), printed))
    return Attendance(
        meeting_prose_name=meeting.prose_name,
        participant_count=sum(d.headcount for d in delegations),
        countries=tuple(name for _, name in sorted(states)),
        organisations=tuple(name for _, name in sorted(organisations)),
        language=language,
        meeting_kind=meeting.kind,
        missing_forms=tuple(sorted(missing)),
    )


# What a row of a meetings list shows besides the meeting's own fields (_meeting_row.html).
# Each join costs the planner more than the rows cost to read (24-32 ms for the six of
# `with_relations` at full scale), so a list joins only these.
ROW_RELATIONS = ("working_group", "host_country")


def meetings_visible_to(viewer, *, relations: tuple[str, ...] | None = None):
    """The meetings `viewer` may see, with every relation joined, or only `relations`."""
    meetings = Meeting.objects.visible_to(viewer)
    if relations is None:
        return meetings.with_relations()
    # select_related() with no names would join every relation: none asked, none joined.
    return meetings.select_related(*relations) if relations else meetings


# -- the portal's reads ----------------------------------------------------------------------
# Every list and page below runs a fixed number of queries, whatever the number of rows.


@dataclass(frozen=True)
class MeetingFilters:
    """The meetings list's GET filters, already validated (see `portal.forms`)."""

    year: int | None = None
    kind: str = ""
    working_group: WorkingGroup | None = None
    country: Participant | None = None


def meetings_filtered(*, viewer, filters: MeetingFilters):
    """In the list's order (-start_date, -id: the `meeting_list_order` indexes)."""
    meetings = meetings_visible_to(viewer, relations=ROW_RELATIONS).order_by("-start_date", "-id")
    if filters.year:
        meetings = meetings.filter(start_date__year=filters.year)
    if filters.kind:
        meetings = meetings.filter(kind=filters.kind)
    if filters.working_group:
        meetings = meetings.filter(working_group=filters.working_group)
    if filters.country:
        # A country's meetings: those it hosted and those it sent a delegation to.
        attended = Delegation.objects.filter(participant=filters.country).values("meeting_id")
        meetings = meetings.filter(Q(host_country=filters.country) | Q(id__in=attended))
    return meetings


def meeting_years(*, viewer) -> list[int]:
    return sorted(
        {d.year for d in Meeting.objects.visible_to(viewer).dates("start_date", "year")},
        reverse=True,
    )


def calendar_year_nearest(years: list[int], today: datetime.date) -> int:
    """The year a calendar opens on: this year if it has meetings, else the nearest year that
    has some (the later one of two as near: what comes next matters more), else this year."""
    if not years:
        return today.year
    return min(years, key=lambda year: (abs(year - today.year), -year))


def meetings_home(*, viewer, today: datetime.date) -> dict:
    """The dialogue at a glance: what comes next, what happened lately, what was agreed."""
    visible = meetings_visible_to(viewer, relations=ROW_RELATIONS)
    upcoming = list(visible.filter(start_date__gte=today).order_by("start_date", "id")[:3])
    recent = list(visible.filter(start_date__lt=today).order_by("-start_date", "-id")[:5])
    # The conclusions (the first 40) of the most recent meeting whose record this viewer may
    # read and that has any: that meeting is found walking `meeting_list_order` backwards,
    # rather than sorting every visible conclusion by its meeting's date.
    latest = (
        Meeting.objects.filter(
            policy_for(viewer).record_q(), Exists(Conclusion.objects.filter(meeting=OuterRef("pk")))
        )
        .order_by("-start_date", "-id")
        .values("pk")[:1]
    )
    conclusions = list(
        Conclusion.objects.filter(meeting=Subquery(latest))
        .select_related("meeting")
        .order_by("position")[:40]
    )
    return {"upcoming": upcoming, "recent": recent, "latest_conclusions": conclusions}


@dataclass
class AgendaEntry:
    item: AgendaItem
    statements: list
    sub_items: list
    # On the top-level entries, where the day or the session changes: the headings printed
    # before the entry (meetings.agenda.agenda_headings).
    day_heading: datetime.date | None = None
    session_heading: str = ""


@dataclass(frozen=True)
class MeetingRecord:
    agenda: list[AgendaEntry]
    conclusions: list
    action_points: list


def _speaker_names(participants, on: datetime.date) -> list[str]:
    return [p.name_on(on).name for p in participants]


def meeting_record(*, meeting: Meeting, published=None, also_named=()) -> MeetingRecord:
    """Agenda (with sub-items), statements with their speakers under the names in force on the
    meeting's date, conclusions and action points: as stored (six queries, and one for the
    participants named who are not among `also_named`, if any), or as a published revision
    (`meetings.revisions.PublishedRecord`) printed them. `also_named`: more participants (a
    meeting's delegations') whose names the same query reads. Whether the viewer may read
    the record, and which of the two, is `record_for_viewer`'s to decide."""
    if published is None:
        items = list(
            AgendaItem.objects.filter(meeting=meeting)
            .prefetch_related("statements")
            .order_by("position")
        )
        conclusions = list(Conclusion.objects.filter(meeting=meeting))
        action_points = list(ActionPoint.objects.filter(meeting=meeting))
        chosen = read_chosen(
            {
                "presenters": items,
                "speakers": [s for item in items for s in item.statements.all()],
                "responsible": action_points,
            },
            known=also_named,
        )
        # The names of every participant of the record's lists and of `also_named`, at once.
        prefetch_related_objects([*also_named, *chosen], dated_names())
    else:
        items = sorted(published.agenda_items, key=lambda item: item.position)
        conclusions, action_points = published.conclusions, published.action_points
    entries = {item.id: AgendaEntry(item, [], []) for item in items}
    for item in items:
        item.presenter_names = _speaker_names(item.presenters.all(), meeting.start_date)
        for statement in item.statements.all():
            statement.speaker_names = _speaker_names(statement.speakers.all(), meeting.start_date)
            entries[item.id].statements.append(statement)
    top = []
    for item in items:
        if item.parent_id and item.parent_id in entries:
            entries[item.parent_id].sub_items.append(entries[item.id])
        else:
            top.append(entries[item.id])
    headings = agenda_headings([entry.item for entry in top])
    for entry, heading in zip(top, headings, strict=True):
        entry.day_heading, entry.session_heading = heading.day, heading.session
    for point in action_points:
        point.responsible_names = _speaker_names(point.responsible.all(), meeting.start_date)
    return MeetingRecord(agenda=top, conclusions=conclusions, action_points=action_points)


@dataclass(frozen=True)
class RecordForViewer:
    """What a viewer reads of a meeting's record: the stored rows or, while the record is
    being corrected, its last published revision (`revision` is then set)."""

    attendance: Attendance
    record: MeetingRecord
    revision: object = None


def record_for_viewer(
    *, viewer, meeting: Meeting, as_published: bool = False
) -> RecordForViewer | None:
    """The record as this viewer may read it, or None if they may not read it at all. A
    reopened record is read as published by everyone but the secretariat; the meeting's
    record fields (title, dates, place, chair, ...) are set on `meeting` as published too.
    `as_published`: the record as it was published, for the secretariat too, and None while
    it never was (the minutes exported as Akoma Ntoso)."""
    from .revisions import published_record

    policy = policy_for(viewer)
    reopened = meeting.record_status == Meeting.RecordStatus.REOPENED
    if policy.reads_published_revision(meeting) or (
        as_published and reopened and policy.can_see_meeting(meeting)
    ):
        published = published_record(meeting=meeting)
        if published is None:
            return None
        published.apply_to(meeting)
        return RecordForViewer(
            attendance=meeting_attendance(meeting=meeting, delegations=published.delegations),
            record=meeting_record(meeting=meeting, published=published),
            revision=published.revision,
        )
    if as_published and meeting.record_status != Meeting.RecordStatus.PUBLISHED:
        return None
    if not policy.can_see_record(meeting):
        return None
    # The delegations' names are read with the record's (one query for both).
    delegations = list(Delegation.objects.filter(meeting=meeting).select_related("participant"))
    record = meeting_record(meeting=meeting, also_named=[d.participant for d in delegations])
    return RecordForViewer(
        attendance=meeting_attendance(meeting=meeting, delegations=delegations), record=record
    )


def meeting_documents(*, viewer, meeting: Meeting) -> list:
    from .models import Document

    return list(
        policy_for(viewer)
        .documents(Document.objects.filter(meeting=meeting))
        .select_related("meeting")
        .order_by("kind", "language", "-revision")
    )


def meetings_calendar(*, viewer, year: int) -> list[tuple[datetime.date, list[Meeting]]]:
    """The year's meetings month by month: [(first day of month, meetings), ...], every month
    listed so the page reads as a calendar."""
    # A month's entry shows the meeting's own fields alone: nothing joined.
    meetings = list(
        meetings_visible_to(viewer, relations=())
        .filter(start_date__year=year)
        .order_by("start_date", "id")
    )
    months = [(datetime.date(year, month, 1), []) for month in range(1, 13)]
    for meeting in meetings:
        months[meeting.start_date.month - 1][1].append(meeting)
    return months


def meetings_like(*, kind: str, start_date: datetime.date, city: str, exclude=None):
    """Meetings that look like the same one: same kind, start date and city (in any case)."""
    meetings = Meeting.objects.filter(kind=kind, start_date=start_date, city__iexact=city.strip())
    if exclude is not None:
        meetings = meetings.exclude(pk=exclude.pk)
    return meetings.order_by("id")


# -- registrations ---------------------------------------------------------------------------


_STATUS_ORDER = {status: i for i, status in enumerate(["nominated", "confirmed", "declined"])}
_ROLE_ORDER = {role: i for i, role in enumerate(Registration.Role.values)}


def registration_order(registration) -> tuple:
    """Awaiting a decision first, then confirmed, then declined; in each, the head of
    delegation first, then delegates and advisers, by family name."""
    return (
        _STATUS_ORDER[registration.status],
        _ROLE_ORDER[registration.role],
        registration.person.family_name.casefold(),
        registration.person.given_name.casefold(),
    )


def delegation_registrations(*, meeting: Meeting, participant) -> list:
    """The nominations to one participant's delegation, the head first, with what the
    secretariat decided: what its focal point sees."""
    return sorted(
        # The affiliation names a person whose data was erased ("A representative of ...").
        Registration.objects.filter(meeting=meeting, participant=participant).select_related(
            "person__affiliation"
        ),
        key=registration_order,
    )


def meeting_registrations_by_participant(*, meeting: Meeting) -> dict[int, list]:
    """Every registration of the meeting by participant id, nominations first, then the head
    of delegation: one query, for the attendance tab."""
    registrations: dict[int, list] = {}
    for registration in sorted(
        Registration.objects.filter(meeting=meeting).select_related(
            "person__affiliation", "nominated_by", "decided_by"
        ),
        key=registration_order,
    ):
        registrations.setdefault(registration.participant_id, []).append(registration)
    return registrations


def focal_point_invitations(*, user, today: datetime.date) -> list[dict]:
    """The planned meetings that a participant `user` is a focal point of was invited to,
    one row per meeting and participant, with its latest invitation and its nominations so
    far. A fixed number of queries."""
    roles = FocalPoint.objects.current(today).filter(
        person__user=user, person__retired_on__isnull=True, person__erased_at__isnull=True
    )
    pairs = set(roles.values_list("dialogue_id", "participant_id"))
    if not pairs:
        return []
    deliveries = (
        InvitationDelivery.objects.filter(
            participant_id__in={p for _, p in pairs},
            invitation__meeting__status__in=[Meeting.Status.PLANNED, Meeting.Status.POSTPONED],
        )
        .select_related("invitation__meeting", "participant")
        .order_by("invitation__meeting__start_date", "-invitation__created_at")
    )
    rows: dict[tuple, dict] = {}
    for delivery in deliveries:
        meeting = delivery.invitation.meeting
        if (meeting.dialogue_id, delivery.participant_id) not in pairs:
            continue
        rows.setdefault(
            (meeting.pk, delivery.participant_id),
            {
                "meeting": meeting,
                "participant": delivery.participant,
                "invitation": delivery.invitation,
            },
        )
    counts = {
        (row["meeting_id"], row["participant_id"], row["status"]): row["n"]
        for row in Registration.objects.filter(
            meeting_id__in={m for m, _ in rows}, participant_id__in={p for _, p in rows}
        )
        .values("meeting_id", "participant_id", "status")
        .annotate(n=Count("id"))
    }
    for (meeting_id, participant_id), row in rows.items():
        row["counts"] = {
            status: counts.get((meeting_id, participant_id, status), 0)
            for status in Registration.Status.values
        }
    return list(rows.values())


def meeting_invitation_log(*, meeting: Meeting) -> list:
    """The meeting's invitation rounds, latest first, each with its deliveries: two queries."""
    deliveries = InvitationDelivery.objects.select_related("participant", "focal_point")
    return list(
        meeting.invitations.select_related("sent_by").prefetch_related(
            Prefetch("deliveries", queryset=deliveries)
        )
    )
