"""The portal's registration page: a focal point nominates its participant's delegation and
follows the secretariat's decisions; anyone else is refused."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import InvitationRound, Meeting, Registration
from participants.models import Person
from tests.factories import (
    FocalPointFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    UserFactory,
    delegate_user,
    focal_point_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned():
    return MeetingFactory(
        status=Meeting.Status.PLANNED,
        record_status=Meeting.RecordStatus.DRAFT,
        visibility="participants",
        start_date=timezone.localdate() + datetime.timedelta(days=30),
    )


@pytest.fixture
def focal_point(client, planned):
    user = focal_point_user(planned.dialogue)
    client.force_login(user)
    return user.person


def page(meeting):
    return reverse("meeting-registration", args=[meeting.slug])


def test_a_focal_point_nominates_someone_on_file_and_a_new_person(client, planned, focal_point):
    participant = focal_point.affiliation
    colleague = PersonFactory(affiliation=participant, given_name="Omar", family_name="Khan")
    PersonFactory(family_name="Elsewhere")  # another participant's: not offered

    response = client.get(page(planned))
    assert response.status_code == 200
    offered = list(response.context["form"].fields["person"].queryset)
    assert colleague in offered and all(p.affiliation == participant for p in offered)

    response = client.post(
        page(planned),
        {"action": "nominate", "person": colleague.uid, "role": "head", "position": ""},
    )
    assert response.status_code == 302
    response = client.post(
        page(planned),
        {
            "action": "nominate",
            "given_name": "Sara",
            "family_name": "Malik",
            "email": "sara.malik@example.org",
            "position": "Deputy Director",
            "role": "delegate",
        },
    )
    assert response.status_code == 302

    registrations = Registration.objects.filter(meeting=planned, participant=participant)
    assert {(r.person.family_name, r.role, r.status) for r in registrations} == {
        ("Khan", "head", "nominated"),
        ("Malik", "delegate", "nominated"),
    }
    assert Person.objects.get(family_name="Malik").affiliation == participant
    page_text = client.get(page(planned)).content.decode()
    assert "Omar Khan" in page_text and "Sara Malik" in page_text and "Nominated" in page_text


def test_the_focal_point_sees_what_the_secretariat_decided(client, planned, focal_point):
    RegistrationFactory(
        meeting=planned,
        participant=focal_point.affiliation,
        status="declined",
        note="Only two seats per delegation.",
    )
    text = client.get(page(planned)).content.decode()
    assert "Declined" in text and "Only two seats per delegation." in text


def test_a_nomination_without_a_name_is_refused_with_the_reason(client, planned, focal_point):
    response = client.post(page(planned), {"action": "nominate", "role": "delegate"})
    assert response.status_code == 400
    assert "given and family name" in response.content.decode()
    assert not Registration.objects.exists()


def test_after_the_deadline_the_page_says_so_and_a_nomination_is_refused(
    client, planned, focal_point
):
    planned.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    planned.save()

    response = client.get(page(planned))
    assert response.status_code == 200 and "Nominations closed" in response.content.decode()
    assert "Nominate</button>" not in response.content.decode()
    response = client.post(
        page(planned),
        {"action": "nominate", "given_name": "Late", "family_name": "Comer", "role": "delegate"},
    )
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_a_focal_point_withdraws_its_own_nominations_only(client, planned, focal_point):
    own = RegistrationFactory(meeting=planned, participant=focal_point.affiliation)
    other = RegistrationFactory(
        meeting=planned, participant=MembershipFactory(dialogue=planned.dialogue).participant
    )
    for registration, expected in ((other, 404), (own, 302)):
        response = client.post(
            page(planned),
            {"action": "withdraw", "registration": registration.uid, "version": 1},
        )
        assert response.status_code == expected
    assert list(Registration.objects.all()) == [other]


@pytest.mark.parametrize("viewer", ["anonymous", "delegate", "former_focal_point", "secretariat"])
def test_nobody_but_a_focal_point_in_force_opens_the_page(client, planned, viewer):
    if viewer == "delegate":
        client.force_login(delegate_user(planned.dialogue))
    elif viewer == "former_focal_point":
        user = UserFactory()
        participant = MembershipFactory(dialogue=planned.dialogue).participant
        FocalPointFactory(
            dialogue=planned.dialogue,
            participant=participant,
            person=PersonFactory(user=user, affiliation=participant),
            valid_to=timezone.localdate() - datetime.timedelta(days=1),
        )
        client.force_login(user)
    elif viewer == "secretariat":
        client.force_login(UserFactory(secretariat=True))

    response = client.get(page(planned))

    if viewer == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403


def test_a_meeting_the_focal_point_may_not_see_is_not_found(client, planned, focal_point):
    planned.visibility = "secretariat"
    planned.save()
    assert client.get(page(planned)).status_code == 404


def test_the_account_and_the_meeting_page_lead_a_focal_point_to_its_invitations(
    client, planned, focal_point
):
    invitation = InvitationRound.objects.create(meeting=planned, subject="Invitation", text="T")
    invitation.deliveries.create(
        participant=focal_point.affiliation, focal_point=focal_point, email=focal_point.email
    )
    RegistrationFactory(meeting=planned, participant=focal_point.affiliation, status="confirmed")

    account = client.get(reverse("account")).content.decode()
    assert planned.title in account and "0 nominated, 1 confirmed" in account
    assert page(planned) in account
    assert page(planned) in client.get(planned.get_absolute_url()).content.decode()


def test_the_meeting_page_offers_no_nomination_to_a_delegate(client, planned):
    client.force_login(delegate_user(planned.dialogue))
    assert page(planned) not in client.get(planned.get_absolute_url()).content.decode()


def test_the_page_runs_the_same_queries_whatever_the_delegation_s_size(
    client, planned, focal_point
):
    participant = focal_point.affiliation
    counts = []
    for size in (1, 6):
        for _ in range(size):
            PersonFactory(affiliation=participant)
            RegistrationFactory(meeting=planned, participant=participant)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(planned)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_withdrawal_after_the_deadline_or_of_a_stale_version_is_refused(
    client, planned, focal_point
):
    registration = RegistrationFactory(meeting=planned, participant=focal_point.affiliation)
    stale = client.post(
        page(planned), {"action": "withdraw", "registration": registration.uid, "version": "x"}
    )
    assert stale.status_code == 400 and "changed this nomination" in stale.content.decode()

    planned.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    planned.save()
    late = client.post(
        page(planned), {"action": "withdraw", "registration": registration.uid, "version": 1}
    )
    assert late.status_code == 400 and "Nominations closed" in late.content.decode()
    assert Registration.objects.filter(pk=registration.pk).exists()
