"""Invitations to a meeting: the secretariat picks the participants (every current member of
the dialogue by default) and sends one e-mail to each of their focal points in force, with the
agenda as PDF and the meeting as an `.ics`.

`invitation_send` writes the round and one delivery per focal point, then, once committed,
queues `prepare_invitation`: it renders the agenda once for the round and queues one
`send_invitation` per delivery. Each delivery is claimed with a conditional UPDATE (queued →
sending) before its e-mail goes out, so a retried or duplicated task finds it claimed or sent
and sends nothing: one e-mail per recipient. A failure is kept with its reason; the workspace's
log offers to resend."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bpdialogue.site import site_url
from bpdialogue.task_queue import task_enqueue
from participants.models import FocalPoint, Membership, Participant

from . import rendering
from .calendar import meetings_ical
from .models import Document, InvitationDelivery, InvitationRound, Meeting

logger = logging.getLogger(__name__)

Delivery = InvitationDelivery.Status


@dataclass(frozen=True)
class Invitee:
    """A participant that can be invited, with its focal points in force that have an
    e-mail address (none: it is listed as such and cannot be invited)."""

    participant: Participant
    name: str
    focal_points: tuple


def invitation_invitees(*, meeting: Meeting) -> list[Invitee]:
    """Every current member of the meeting's dialogue, states first, by the name in force on
    the meeting's date, with its focal points in force today. A fixed number of queries."""
    members = Membership.objects.current().filter(dialogue_id=meeting.dialogue_id)
    participants = Participant.objects.filter(
        id__in=members.values("participant_id")
    ).prefetch_related("names")
    roles = (
        FocalPoint.objects.current()
        .filter(
            dialogue_id=meeting.dialogue_id,
            person__retired_on__isnull=True,
            person__erased_at__isnull=True,
        )
        .exclude(person__email="")
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )
    people: dict[int, dict] = {}
    for role in roles:
        people.setdefault(role.participant_id, {})[role.person_id] = role.person
    invitees = [
        Invitee(
            participant=participant,
            name=participant.name_on(meeting.start_date).name,
            focal_points=tuple(people.get(participant.pk, {}).values()),
        )
        for participant in participants
    ]
    return sorted(
        invitees,
        key=lambda i: (
            i.participant.kind != Participant.Kind.STATE,
            i.participant.name_on(meeting.start_date).sort_name.casefold(),
        ),
    )


def invitation_texts(*, meeting: Meeting):
    """The rounds sent for the dialogue's meetings so far, latest first: their subject and
    text are offered for this one."""
    return (
        InvitationRound.objects.filter(meeting__dialogue_id=meeting.dialogue_id)
        .select_related("meeting")
        .order_by("-created_at")[:20]
    )


@transaction.atomic
def invitation_send(
    *, meeting: Meeting, subject: str, text: str, participant_ids, by=None
) -> InvitationRound:
    """Invite the chosen participants' focal points (see `invitation_invitees`)."""
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.HELD):
        raise ValidationError(f"The meeting is {meeting.get_status_display().lower()}.")
    chosen = set(participant_ids)
    recipients = [
        (invitee.participant, person)
        for invitee in invitation_invitees(meeting=meeting)
        if invitee.participant.pk in chosen
        for person in invitee.focal_points
    ]
    if not recipients:
        raise ValidationError(
            {"participants": "Choose at least one participant with a focal point to write to."}
        )
    invitation = InvitationRound(
        meeting=meeting,
        subject=subject,
        text=text,
        sent_by=by if getattr(by, "pk", None) else None,
    )
    invitation.full_clean()
    invitation.save()
    InvitationDelivery.objects.bulk_create(
        InvitationDelivery(
            invitation=invitation, participant=participant, focal_point=person, email=person.email
        )
        for participant, person in recipients
    )
    transaction.on_commit(
        lambda: task_enqueue("meetings.tasks.prepare_invitation", args=[invitation.pk])
    )
    return invitation


def invitation_prepare(*, invitation_id: int) -> int:
    """Render the round's agenda (once) and queue a task for each delivery still queued.
    Returns how many were queued; a rerun queues them again, and they send nothing twice."""
    invitation = InvitationRound.objects.select_related("meeting").get(pk=invitation_id)
    _agenda_rendered(invitation)
    queued = list(invitation.deliveries.filter(status=Delivery.QUEUED).values_list("pk", flat=True))
    for pk in queued:
        task_enqueue("meetings.tasks.send_invitation", args=[pk])
    return len(queued)


def _agenda_rendered(invitation: InvitationRound) -> None:
    """The round's agenda as PDF, rendered on first need (by the round's task, or by a resend
    when that task never ran) and kept, so every recipient gets the same one."""
    if invitation.agenda_pdf:
        return
    source = rendering.document_source(meeting=invitation.meeting, kind=Document.Kind.AGENDA)
    invitation.agenda_pdf.save(
        f"agenda-{invitation.meeting.slug}.pdf",
        ContentFile(rendering.html_to_pdf(source.html)),
        save=False,
    )
    invitation.save(update_fields=["agenda_pdf", "updated_at"])


def _invitation_message(delivery: InvitationDelivery) -> EmailMessage:
    invitation = delivery.invitation
    meeting = invitation.meeting
    site = site_url()
    body = render_to_string(
        "meetings/email/invitation.txt",
        {
            "invitation": invitation,
            "meeting": meeting,
            "focal_point": delivery.focal_point,
            "participant": delivery.participant,
            "registration_url": site + reverse("meeting-registration", args=[meeting.slug]),
            "closes_on": meeting.nominations_close_on,
        },
    )
    message = EmailMessage(
        invitation.subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [delivery.email],
        # The idempotency key as the message's id: a relay that sees it twice can drop it.
        headers={"Message-ID": f"<{delivery.key}@bpdialogue>"},
    )
    _agenda_rendered(invitation)
    with invitation.agenda_pdf.open("rb") as agenda:
        message.attach(f"agenda-{meeting.slug}.pdf", agenda.read(), "application/pdf")
    calendar = meetings_ical(
        [meeting],
        calendar_name=meeting.title,
        url_for=lambda m: site + m.get_absolute_url(),
    )
    message.attach(f"{meeting.slug}.ics", calendar, "text/calendar")
    return message


def invitation_delivery_send(*, delivery_id: int) -> bool:
    """Send one invitation, unless another run claimed it first. True if this run sent it."""
    claimed = InvitationDelivery.objects.filter(pk=delivery_id, status=Delivery.QUEUED).update(
        status=Delivery.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return False
    delivery = InvitationDelivery.objects.select_related(
        "invitation__meeting__host_country", "focal_point", "participant"
    ).get(pk=delivery_id)
    try:
        _invitation_message(delivery).send()
    except Exception as error:  # any backend's refusal is the delivery's reason, not a crash
        logger.warning("invitation %s to %s failed: %s", delivery.key, delivery.email, error)
        InvitationDelivery.objects.filter(pk=delivery_id).update(
            status=Delivery.FAILED,
            reason=(str(error) or type(error).__name__)[:500],
            updated_at=timezone.now(),
        )
        return False
    InvitationDelivery.objects.filter(pk=delivery_id).update(
        status=Delivery.SENT, reason="", sent_at=timezone.now(), updated_at=timezone.now()
    )
    return True


@transaction.atomic
def invitation_delivery_resend(*, delivery: InvitationDelivery) -> bool:
    """Queue a failed or sent invitation again (a focal point lost it). False when it is
    queued or being sent already: pressing resend twice sends it once."""
    requeued = InvitationDelivery.objects.filter(
        pk=delivery.pk, status__in=[Delivery.FAILED, Delivery.SENT]
    ).update(status=Delivery.QUEUED, reason="", updated_at=timezone.now())
    if requeued:
        pk = delivery.pk
        transaction.on_commit(lambda: task_enqueue("meetings.tasks.send_invitation", args=[pk]))
    return bool(requeued)
