"""People: created and changed at their version, retired, merged, made focal points over
time, and invited to sign in with a one-time link."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from bpdialogue.models import VersionConflict
from meetings.models import Registration
from participants import services
from participants.models import FocalPoint, Person
from participants.selectors import focal_points_of
from tests.factories import (
    DialogueFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def pakistan_in_dialogue():
    membership = MembershipFactory(participant=StateFactory(name="Pakistan"))
    return membership.participant, membership.dialogue


def test_a_person_is_created_and_a_stale_edit_is_refused():
    person = services.person_create(given_name="Amina", family_name="Khan", email="a@example.org")
    services.person_update(person=person, expected_version=1, changes={"position": "Director"})
    with pytest.raises(VersionConflict):
        services.person_update(person=person, expected_version=1, changes={"position": "Clerk"})
    person.refresh_from_db()
    assert (person.position, person.version) == ("Director", 2)


def test_a_focal_point_role_runs_from_one_date_to_another(pakistan_in_dialogue):
    pakistan, dialogue = pakistan_in_dialogue
    person = PersonFactory(affiliation=pakistan)
    role = services.focal_point_add(person=person, dialogue=dialogue, valid_from=DAY)
    assert list(focal_points_of(pakistan, dialogue, on=DAY)) == [person]
    services.focal_point_end(
        focal_point=role, on=DAY + datetime.timedelta(days=30), expected_version=role.version
    )
    assert not focal_points_of(pakistan, dialogue, on=DAY + datetime.timedelta(days=31)).exists()
    with pytest.raises(ValidationError) as refused:
        services.focal_point_end(
            focal_point=FocalPoint.objects.get(),
            on=DAY - datetime.timedelta(days=1),
            expected_version=2,
        )
    assert "cannot end before it starts" in str(refused.value)


def test_a_focal_point_speaks_for_a_member_of_the_dialogue():
    person, dialogue = PersonFactory(), DialogueFactory()
    with pytest.raises(ValidationError) as refused:
        services.focal_point_add(person=person, dialogue=dialogue)
    assert refused.value.message_dict["participant"] == [
        f"{person.affiliation} is not a member of {dialogue}."
    ]


def test_retiring_ends_the_focal_point_roles_and_refuses_new_ones(pakistan_in_dialogue):
    pakistan, dialogue = pakistan_in_dialogue
    person = PersonFactory(affiliation=pakistan)
    services.focal_point_add(person=person, dialogue=dialogue, valid_from=DAY)
    services.person_retire(person=person, on=DAY + datetime.timedelta(days=9), expected_version=1)
    assert FocalPoint.objects.get().valid_to == DAY + datetime.timedelta(days=9)
    person.refresh_from_db()
    assert person.retired_on == DAY + datetime.timedelta(days=9)
    with pytest.raises(ValidationError, match="retired on"):
        services.focal_point_add(person=person, dialogue=dialogue)


def test_merging_moves_registrations_roles_and_the_account_to_the_survivor(
    pakistan_in_dialogue,
):
    pakistan, dialogue = pakistan_in_dialogue
    survivor = PersonFactory(affiliation=pakistan, phone="")
    account = UserFactory()
    duplicate = PersonFactory(affiliation=pakistan, phone="+92 51 000", user=account)
    meeting = MeetingFactory(dialogue=dialogue)
    registration = Registration.objects.create(
        meeting=meeting, participant=pakistan, person=duplicate
    )
    services.focal_point_add(person=duplicate, dialogue=dialogue)
    services.focal_point_add(person=survivor, dialogue=dialogue)  # the same role twice

    duplicate_id = duplicate.pk
    merged = services.person_merge(duplicate=duplicate, survivor=survivor)

    assert not Person.objects.filter(pk=duplicate_id).exists()
    registration.refresh_from_db()
    assert registration.person == merged
    assert merged.user == account and merged.phone == "+92 51 000"
    assert FocalPoint.objects.get().person == merged
    gone = Person.history.filter(id=duplicate_id, history_type="-").get()
    assert gone.history_change_reason == f"Merged into #{survivor.pk} {survivor}"


def test_two_registered_for_one_meeting_are_not_merged_and_nothing_changes(
    pakistan_in_dialogue,
):
    pakistan, dialogue = pakistan_in_dialogue
    survivor, duplicate = PersonFactory(affiliation=pakistan), PersonFactory(affiliation=pakistan)
    meeting, other = MeetingFactory(dialogue=dialogue), MeetingFactory(dialogue=dialogue)
    Registration.objects.create(meeting=other, participant=pakistan, person=duplicate)
    Registration.objects.create(meeting=meeting, participant=pakistan, person=duplicate)
    Registration.objects.create(meeting=meeting, participant=pakistan, person=survivor)

    with pytest.raises(ValidationError) as refused:
        services.person_merge(duplicate=duplicate, survivor=survivor)

    assert "already registered for this meeting" in " ".join(refused.value.messages)
    assert Registration.objects.filter(person=duplicate).count() == 2
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_a_person_is_not_merged_into_themselves_nor_two_accounts_into_one():
    person = PersonFactory(user=UserFactory())
    with pytest.raises(ValidationError, match="same one"):
        services.person_merge(duplicate=person, survivor=person)
    with pytest.raises(ValidationError, match="Both .* have a sign-in"):
        services.person_merge(duplicate=PersonFactory(user=UserFactory()), survivor=person)


def test_an_invitation_to_sign_in_creates_an_account_and_mails_a_one_time_link(
    client, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="Amina.Khan@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        user = services.person_invite_to_sign_in(person=person, site_url="https://bp.example")
    assert user.username == "amina.khan@example.org" and not user.has_usable_password()
    person.refresh_from_db()
    assert person.user == user
    (message,) = mail.outbox
    assert message.to == ["Amina.Khan@example.org"]
    link = re.search(r"https://bp\.example(/\S+)", message.body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"},
    )
    user.refresh_from_db()
    assert user.check_password("a long new passphrase")
    assert client.get(link, follow=True).context["validlink"] is False  # used once


def test_inviting_again_reuses_the_account(django_capture_on_commit_callbacks):
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.person_invite_to_sign_in(person=person, site_url="http://x")
    person.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.person_invite_to_sign_in(person=person, site_url="http://x")
    assert first == again and get_user_model().objects.count() == 1
    assert len(mail.outbox) == 2


def test_a_person_without_an_e_mail_is_not_invited():
    person = PersonFactory(email="")
    with pytest.raises(ValidationError) as refused:
        services.person_invite_to_sign_in(person=person, site_url="http://x")
    assert "no e-mail address" in refused.value.message_dict["email"][0]
    assert not get_user_model().objects.exists()


def test_the_api_says_who_is_a_focal_point_today(client, pakistan_in_dialogue):
    pakistan, dialogue = pakistan_in_dialogue
    today = timezone.localdate()
    current, former = PersonFactory(affiliation=pakistan), PersonFactory(affiliation=pakistan)
    services.focal_point_add(person=current, dialogue=dialogue)
    services.focal_point_add(
        person=former, dialogue=dialogue, valid_to=today - datetime.timedelta(days=1)
    )
    client.force_login(UserFactory(secretariat=True))
    listed = client.get("/api/v1/people/").json()["data"]
    assert {row["family_name"]: row["is_focal_point"] for row in listed} == {
        current.family_name: True,
        former.family_name: False,
    }
    only = client.get("/api/v1/people/", {"is_focal_point": "true"}).json()["data"]
    assert [row["family_name"] for row in only] == [current.family_name]
