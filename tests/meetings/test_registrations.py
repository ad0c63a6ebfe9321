"""Nominations and registrations: who may nominate whom until when, and how the confirmed
ones make the delegation and its headcount."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bpdialogue.models import VersionConflict
from meetings.models import Delegation, Meeting, Registration
from meetings.registrations import (
    nominations_open,
    registration_confirm,
    registration_decline,
    registration_nominate,
    registration_withdraw,
)
from meetings.services import delegation_set
from participants.models import Person
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    StateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned():
    return MeetingFactory(
        status=Meeting.Status.PLANNED,
        record_status=Meeting.RecordStatus.DRAFT,
        start_date=timezone.localdate() + datetime.timedelta(days=30),
    )


@pytest.fixture
def member(planned):
    return MembershipFactory(dialogue=planned.dialogue).participant


def test_nominations_close_the_day_before_the_meeting_unless_a_deadline_says_otherwise(planned):
    assert planned.nominations_close_on == planned.start_date - datetime.timedelta(days=1)
    planned.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    assert not nominations_open(meeting=planned)
    planned.registration_deadline = timezone.localdate()
    assert nominations_open(meeting=planned)


def test_a_focal_point_nominates_someone_on_file_with_the_position_on_file(planned, member):
    person = PersonFactory(affiliation=member, position="Director of Migration")
    by = UserFactory()

    registration = registration_nominate(
        meeting=planned, participant=member, person=person, role="head", by=by
    )

    assert (registration.status, registration.role) == ("nominated", "head")
    assert registration.position == "Director of Migration"
    assert registration.nominated_by == by
    assert registration.history.first().history_user == by
    # Nominated is not confirmed: no delegation yet.
    assert not Delegation.objects.filter(meeting=planned).exists()


def test_a_new_person_is_created_for_the_participant(planned, member):
    registration = registration_nominate(
        meeting=planned,
        participant=member,
        new_person={
            "honorific": "Ms",
            "given_name": "Leyla",
            "family_name": "Aksoy",
            "email": "leyla.aksoy@example.org",
            "position": "Deputy Director",
        },
    )

    person = Person.objects.get(family_name="Aksoy")
    assert registration.person == person and person.affiliation == member
    assert registration.position == "Deputy Director"


def test_after_the_deadline_only_the_secretariat_nominates(planned, member):
    planned.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    planned.save()
    person = PersonFactory(affiliation=member)

    with pytest.raises(ValidationError, match="Nominations closed"):
        registration_nominate(meeting=planned, participant=member, person=person)
    registration = registration_nominate(
        meeting=planned, participant=member, person=person, by_secretariat=True
    )
    assert registration.pk


def test_nobody_nominates_someone_else_s_people_or_for_a_non_member(planned, member):
    stranger = PersonFactory()
    with pytest.raises(ValidationError) as error:
        registration_nominate(meeting=planned, participant=member, person=stranger)
    assert "person" in error.value.message_dict

    outsider = StateFactory()
    with pytest.raises(ValidationError) as error:
        registration_nominate(
            meeting=planned, participant=outsider, person=PersonFactory(affiliation=outsider)
        )
    assert "participant" in error.value.message_dict


def test_a_delegation_has_one_head_and_a_person_is_registered_once(planned, member):
    head = PersonFactory(affiliation=member)
    registration_nominate(meeting=planned, participant=member, person=head, role="head")

    with pytest.raises(ValidationError, match="already has a head"):
        registration_nominate(
            meeting=planned,
            participant=member,
            person=PersonFactory(affiliation=member),
            role="head",
        )
    with pytest.raises(ValidationError, match="already registered"):
        registration_nominate(meeting=planned, participant=member, person=head)


def test_confirming_makes_the_delegation_and_its_headcount_counts_the_confirmed(planned, member):
    first, second, third = (
        RegistrationFactory(meeting=planned, participant=member) for _ in range(3)
    )
    secretary = UserFactory(secretariat=True)

    registration_confirm(registration=first, expected_version=first.version, by=secretary)
    delegation = Delegation.objects.get(meeting=planned, participant=member)
    assert delegation.headcount == 1

    registration_confirm(registration=second, expected_version=second.version, by=secretary)
    registration_decline(
        registration=third, expected_version=third.version, note="Not a government official."
    )
    delegation.refresh_from_db()
    assert delegation.headcount == 2
    third.refresh_from_db()
    assert (third.status, third.note) == ("declined", "Not a government official.")
    first.refresh_from_db()
    assert (first.decided_by, first.decided_at is not None) == (secretary, True)


def test_a_headcount_set_by_hand_needs_a_note_and_then_stays(planned, member):
    registration = RegistrationFactory(meeting=planned, participant=member)
    registration_confirm(registration=registration, expected_version=registration.version)

    with pytest.raises(ValidationError) as error:
        delegation_set(meeting=planned, participant=member, attended=True, headcount=3)
    assert "headcount_note" in error.value.message_dict

    delegation_set(
        meeting=planned,
        participant=member,
        attended=True,
        headcount=3,
        headcount_note="Two interpreters came too.",
    )
    another = RegistrationFactory(meeting=planned, participant=member)
    registration_confirm(registration=another, expected_version=another.version)
    assert Delegation.objects.get(meeting=planned, participant=member).headcount == 3


def test_declining_says_why_and_a_stale_decision_is_refused(planned, member):
    registration = RegistrationFactory(meeting=planned, participant=member)
    with pytest.raises(ValidationError):
        registration_decline(registration=registration, expected_version=1, note=" ")

    registration_confirm(registration=registration, expected_version=1)
    stale = Registration.objects.get(pk=registration.pk)
    stale.version = 1
    with pytest.raises(VersionConflict):
        registration_decline(registration=stale, expected_version=1, note="Changed our mind.")


def test_withdrawing_a_confirmed_registration_lowers_the_headcount(planned, member):
    kept, withdrawn = (RegistrationFactory(meeting=planned, participant=member) for _ in range(2))
    for registration in (kept, withdrawn):
        registration_confirm(registration=registration, expected_version=registration.version)
    withdrawn.refresh_from_db()

    registration_withdraw(registration=withdrawn, expected_version=withdrawn.version)

    assert not Registration.objects.filter(pk=withdrawn.pk).exists()
    assert Delegation.objects.get(meeting=planned, participant=member).headcount == 1


def test_a_published_record_locks_the_delegations_confirmations_would_change(member):
    meeting = MeetingFactory(
        dialogue=MembershipFactory(participant=member).dialogue,
        record_status=Meeting.RecordStatus.PUBLISHED,
    )
    registration = RegistrationFactory(meeting=meeting, participant=member)

    with pytest.raises(ValidationError, match="published"):
        registration_confirm(registration=registration, expected_version=registration.version)
    registration.refresh_from_db()
    assert registration.status == "nominated"
