"""Reads about meetings, with their joins and the access policy in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bpdialogue.access import policy_for
from bpdialogue.text import join_names, plural
from participants.models import Participant, ParticipantName

from .models import Delegation, Meeting


@dataclass(frozen=True)
class Attendance:
    """Who came to a meeting, in the words the record uses."""

    meeting_prose_name: str
    participant_count: int
    countries: tuple[str, ...]
    organisations: tuple[str, ...]

    @property
    def country_count(self) -> int:
        return len(self.countries)

    @property
    def headline(self) -> str:
        """'50 participants from 22 countries'."""
        people = plural(self.participant_count, "participant")
        if not self.countries:
            return people
        return f"{people} from {plural(self.country_count, 'country', 'countries')}"

    def _parts(self, headline: str) -> str:
        sentence = f"The {self.meeting_prose_name} gathered {headline}"
        if self.countries:
            sentence += f" – {join_names(list(self.countries))} –"
            if self.organisations:
                sentence += f" as well as {join_names(list(self.organisations))}"
        elif self.organisations:
            sentence += f" from {join_names(list(self.organisations))}"
        return sentence.rstrip(" –") + "."

    def paragraph(self) -> str:
        return self._parts(self.headline)

    def paragraph_html(self) -> SafeString:
        """The same sentence with the totals in bold, as the published record has it."""
        marker = "\x00"
        text = escape(self._parts(marker))
        return mark_safe(text.replace(marker, f"<strong>{escape(self.headline)}</strong>"))


def meeting_attendance(*, meeting: Meeting) -> Attendance:
    """Totals and names from the delegations, using the names in force on the meeting's date:
    states by sort name, then organisations by sort name. Two queries."""
    delegations = list(
        Delegation.objects.filter(meeting=meeting)
        .select_related("participant")
        .prefetch_related(Prefetch("participant__names", queryset=ParticipantName.objects.all()))
    )
    states, organisations = [], []
    for delegation in delegations:
        name = delegation.participant.name_on(meeting.start_date)
        bucket = states if delegation.participant.kind == Participant.Kind.STATE else organisations
        bucket.append((name.sort_name.casefold(), name.in_prose))
    return Attendance(
        meeting_prose_name=meeting.prose_name,
        participant_count=sum(d.headcount for d in delegations),
        countries=tuple(name for _, name in sorted(states)),
        organisations=tuple(name for _, name in sorted(organisations)),
    )


def meetings_visible_to(viewer):
    return Meeting.objects.visible_to(viewer).with_relations()


def meeting_for_viewer(*, viewer, slug: str) -> Meeting:
    """The meeting, if the viewer may know it exists; otherwise Meeting.DoesNotExist."""
    return meetings_visible_to(viewer).get(slug=slug)


def record_visible(*, viewer, meeting: Meeting) -> bool:
    return policy_for(viewer).can_see_record(meeting)
