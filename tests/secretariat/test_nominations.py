"""The workspace's side of registration: the Invitations tab (send, reuse a text, the log,
resend) and the nominations on the attendance tab (confirm, decline, headcount by hand)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import (
    Delegation,
    InvitationDelivery,
    InvitationRound,
    Meeting,
    Registration,
)
from tests.factories import (
    FocalPointFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


@pytest.fixture
def planned():
    return MeetingFactory(
        status=Meeting.Status.PLANNED,
        record_status=Meeting.RecordStatus.DRAFT,
        start_date=timezone.localdate() + datetime.timedelta(days=30),
    )


def tab(meeting, name):
    return reverse(f"secretariat:meeting-{name}", kwargs={"slug": meeting.slug})


@pytest.fixture(autouse=True)
def _agenda_unrendered(monkeypatch):
    # The agenda's PDF is tested in tests/meetings/test_invitations.py; here any bytes do.
    monkeypatch.setattr("meetings.rendering.html_to_pdf", lambda html, **kw: b"%PDF-1.7 agenda")


def test_the_secretariat_invites_every_member_with_a_focal_point_by_default(
    client, staff, planned, django_capture_on_commit_callbacks
):
    focal_point = FocalPointFactory(
        dialogue=planned.dialogue,
        participant=MembershipFactory(dialogue=planned.dialogue).participant,
    )
    without = MembershipFactory(dialogue=planned.dialogue).participant

    page = client.get(tab(planned, "invitations"))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["participants"].initial == [focal_point.participant.pk]
    assert without.name in page.content.decode()  # listed as having no focal point

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            tab(planned, "invitations"),
            {
                "subject": "Invitation",
                "text": "Dear colleagues",
                "participants": form["participants"].initial,
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[focal_point.person.email]]
    log = client.get(tab(planned, "invitations")).content.decode()
    assert focal_point.person.email in log and "Sent" in log


def test_an_earlier_round_s_text_is_offered_again(client, staff, planned):
    earlier = MeetingFactory(dialogue=planned.dialogue)
    round_ = InvitationRound.objects.create(
        meeting=earlier, subject="Invitation to the SOM", text="We have the honour to invite"
    )
    response = client.get(tab(planned, "invitations"), {"reuse": round_.uid})
    form = response.context["form"]
    assert (form["subject"].value(), form["text"].value()) == (round_.subject, round_.text)


def test_a_failed_delivery_is_resent_from_the_log(
    client, staff, planned, django_capture_on_commit_callbacks
):
    focal_point = FocalPointFactory(dialogue=planned.dialogue)
    invitation = InvitationRound.objects.create(meeting=planned, subject="S", text="T")
    delivery = invitation.deliveries.create(
        participant=focal_point.participant,
        focal_point=focal_point.person,
        email=focal_point.person.email,
        status="failed",
        reason="550 No such mailbox",
        attempts=1,
    )
    assert "550 No such mailbox" in client.get(tab(planned, "invitations")).content.decode()

    url = reverse("secretariat:invitation-resend", args=[planned.slug, delivery.uid])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1
    assert InvitationDelivery.objects.count() == 1


def test_nominations_arrive_on_the_attendance_tab_and_are_confirmed_or_declined(
    client, staff, planned
):
    member = MembershipFactory(dialogue=planned.dialogue).participant
    head, adviser = (RegistrationFactory(meeting=planned, participant=member) for _ in range(2))

    page = client.get(tab(planned, "attendance"))
    assert [n["registration"] for n in page.context["nominations"]] == [head, adviser]

    def decide(registration, decision, note=""):
        url = reverse("secretariat:registration-decide", args=[planned.slug, registration.uid])
        prefix = f"r{registration.pk}"
        return client.post(
            url,
            {f"{prefix}-decision": decision, f"{prefix}-note": note, f"{prefix}-version": 1},
        )

    assert decide(head, "confirm").status_code == 302
    decide(adviser, "decline")  # without a note: refused
    adviser.refresh_from_db()
    assert adviser.status == "nominated"
    decide(adviser, "decline", "Not accredited.")
    adviser.refresh_from_db()
    assert (adviser.status, adviser.note) == ("declined", "Not accredited.")

    delegation = Delegation.objects.get(meeting=planned, participant=member)
    assert delegation.headcount == 1
    rows = client.get(tab(planned, "attendance")).context["rows"]
    row = next(r for r in rows if r["participant"] == member)
    assert row["members"] == [head] and row["form"]["attended"].value()
    # A stale decision (the row moved on) is refused, not applied.
    decide(head, "decline", "Too late")
    head.refresh_from_db()
    assert head.status == "confirmed"


def test_a_headcount_by_hand_on_the_grid_asks_for_its_note(client, staff, planned):
    member = MembershipFactory(dialogue=planned.dialogue).participant
    registration = RegistrationFactory(meeting=planned, participant=member, status="confirmed")
    delegation = Delegation.objects.create(meeting=planned, participant=member, headcount=1)
    url = reverse("secretariat:attendance-row", args=[planned.slug, member.pk])
    prefix = f"p{member.pk}"
    row = {
        f"{prefix}-attended": "on",
        f"{prefix}-headcount": "3",
        f"{prefix}-role": "participant",
        f"{prefix}-version": delegation.version,
    }

    refused = client.post(url, row, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "say why the headcount is 3" in refused.content.decode()
    saved = client.post(
        url, {**row, f"{prefix}-headcount_note": "Two interpreters"}, HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 200
    delegation.refresh_from_db()
    assert (delegation.headcount, delegation.headcount_note) == (3, "Two interpreters")
    assert registration.person.full_name in saved.content.decode()


def test_the_secretariat_nominates_someone_on_file_after_the_deadline(client, staff, planned):
    planned.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    planned.save()
    member = MembershipFactory(dialogue=planned.dialogue).participant
    person = PersonFactory(affiliation=member, family_name="Novak")
    url = reverse("secretariat:registration-add", args=[planned.slug])

    assert (
        person
        in client.get(tab(planned, "attendance")).context["nominate_form"].fields["person"].queryset
    )
    response = client.post(
        url, {"participant": member.pk, "person": person.pk, "role": "head", "position": ""}
    )

    assert response.status_code == 302
    registration = Registration.objects.get(meeting=planned, person=person)
    assert (registration.role, registration.status, registration.nominated_by) == (
        "head",
        "nominated",
        staff,
    )
    again = client.post(url, {"participant": member.pk, "person": person.pk, "role": "delegate"})
    assert again.status_code == 400 and "already registered" in again.content.decode()
