"""Invitations: one e-mail per focal point in force, with the agenda and an .ics, exactly once
even when the task runs again; failures kept with their reason, and resent."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from meetings import tasks
from meetings.invitations import (
    invitation_delivery_resend,
    invitation_invitees,
    invitation_send,
)
from meetings.models import InvitationDelivery, Meeting
from tests.factories import (
    AgendaItemFactory,
    FocalPointFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such mailbox")})


@pytest.fixture
def planned():
    meeting = MeetingFactory(
        title="25th Meeting of the Senior Officials",
        status=Meeting.Status.PLANNED,
        record_status=Meeting.RecordStatus.DRAFT,
        start_date=timezone.localdate() + datetime.timedelta(days=40),
        city="Istanbul",
    )
    AgendaItemFactory(meeting=meeting, position=1, title="Opening of the meeting")
    return meeting


@pytest.fixture
def invited(planned):
    """Two members: one with two focal points in force (one of them ended), one with none."""
    with_focal_points = MembershipFactory(dialogue=planned.dialogue).participant
    for family_name in ("Aksoy", "Demir"):
        FocalPointFactory(
            dialogue=planned.dialogue,
            participant=with_focal_points,
            person=PersonFactory(affiliation=with_focal_points, family_name=family_name),
        )
    FocalPointFactory(
        dialogue=planned.dialogue,
        participant=with_focal_points,
        valid_to=timezone.localdate() - datetime.timedelta(days=1),
    )
    without = MembershipFactory(dialogue=planned.dialogue).participant
    return with_focal_points, without


def test_the_invitees_are_the_members_with_their_focal_points_in_force(planned, invited):
    with_focal_points, without = invited

    invitees = {i.participant: i for i in invitation_invitees(meeting=planned)}

    assert [p.family_name for p in invitees[with_focal_points].focal_points] == ["Aksoy", "Demir"]
    assert invitees[without].focal_points == ()


def test_each_focal_point_gets_one_e_mail_with_the_agenda_and_the_meeting(
    planned, invited, django_capture_on_commit_callbacks
):
    with_focal_points, without = invited
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(
            meeting=planned,
            subject="Invitation: 25th Senior Officials Meeting",
            text="We are pleased to invite your delegation.",
            participant_ids=[with_focal_points.pk, without.pk],
        )

    assert sorted(m.to[0] for m in mail.outbox) == ["aksoy@example.org", "demir@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Invitation: 25th Senior Officials Meeting"
    assert "We are pleased to invite your delegation." in message.body
    assert f"/meetings/{planned.slug}/registration/" in message.body
    names = {name: (content, kind) for name, content, kind in message.attachments}
    pdf, kind = names[f"agenda-{planned.slug}.pdf"]
    assert kind == "application/pdf" and pdf.startswith(b"%PDF")
    ics, kind = names[f"{planned.slug}.ics"]
    assert kind == "text/calendar" and "SUMMARY:25th Meeting of the Senior Officials" in ics
    delivery = invitation.deliveries.get(email=message.to[0])
    assert message.extra_headers["Message-ID"] == f"<{delivery.key}@bpdialogue>"
    assert set(invitation.deliveries.values_list("status", flat=True)) == {"sent"}


def test_a_retried_task_sends_no_second_e_mail(
    planned, invited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(
            meeting=planned, subject="S", text="T", participant_ids=[invited[0].pk]
        )
    assert len(mail.outbox) == 2
    delivery = invitation.deliveries.first()

    # The broker delivers the task again, and the round's task runs again too.
    assert tasks.send_invitation.apply(args=[delivery.pk]).get() is False
    tasks.prepare_invitation.apply(args=[invitation.pk]).get()

    assert len(mail.outbox) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_a_delivery_being_sent_is_not_sent_by_a_second_task(planned, invited):
    invitation = invitation_send(
        meeting=planned, subject="S", text="T", participant_ids=[invited[0].pk]
    )
    delivery = invitation.deliveries.first()
    InvitationDelivery.objects.filter(pk=delivery.pk).update(status="sending")

    assert tasks.send_invitation.apply(args=[delivery.pk]).get() is False
    assert mail.outbox == []


def test_a_refusing_mail_server_marks_the_delivery_failed_and_resend_sends_it(
    planned, invited, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(
            meeting=planned, subject="S", text="T", participant_ids=[invited[0].pk]
        )
    delivery = invitation.deliveries.get(email="aksoy@example.org")
    assert delivery.status == "failed" and "No such mailbox" in delivery.reason
    assert delivery.sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert invitation_delivery_resend(delivery=delivery)
        # Pressing resend twice queues it once.
        assert not invitation_delivery_resend(delivery=delivery)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.reason, delivery.attempts) == ("sent", "", 2)
    assert [m.to for m in mail.outbox] == [["aksoy@example.org"]]


def test_nobody_to_write_to_or_a_cancelled_meeting_is_refused(planned, invited):
    with pytest.raises(ValidationError) as error:
        invitation_send(meeting=planned, subject="S", text="T", participant_ids=[invited[1].pk])
    assert "participants" in error.value.message_dict

    planned.status = Meeting.Status.CANCELLED
    with pytest.raises(ValidationError, match="cancelled"):
        invitation_send(meeting=planned, subject="S", text="T", participant_ids=[invited[0].pk])
    assert not InvitationDelivery.objects.exists()
