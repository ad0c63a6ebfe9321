"""The daily reminders of action points that are overdue or fall due soon, run by Celery beat
(meetings/tasks.py, CELERY_BEAT_SCHEDULE): one digest to the secretariat, and to the
responsible participants' focal points one e-mail per action point and stage (due soon,
overdue), once: `ActionPointReminder` keeps that it went out."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from bpdialogue.access import AccessPolicy, secretariat_users
from bpdialogue.mail import messages_in_their_languages
from bpdialogue.site import site_url
from bpdialogue.text import join_names
from participants.selectors import focal_points_of

from .models import ActionPoint, ActionPointReminder, in_chosen_order

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 7


def action_points_due(*, today: datetime.date, within_days: int = DUE_SOON_DAYS) -> QuerySet:
    """Open or in-progress action points due by `today + within_days`, overdue ones included,
    earliest first."""
    return (
        ActionPoint.objects.filter(
            status__in=[ActionPoint.Status.OPEN, ActionPoint.Status.IN_PROGRESS],
            due_date__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("meeting")
        .prefetch_related(in_chosen_order("responsible"))
        .order_by("due_date", "meeting_id", "position")
    )


def secretariat_emails() -> list[str]:
    return sorted(set(secretariat_users().exclude(email="").values_list("email", flat=True)))


def _line(point: ActionPoint) -> str:
    responsible = join_names([p.name for p in point.responsible.all()]) or "no one named"
    due = point.due_date.isoformat() + (f" ({point.due_text})" if point.due_text else "")
    return f"- {point.text} [{point.meeting.title}; due {due}; responsible: {responsible}]"


def action_point_reminders_send(
    *, today: datetime.date | None = None, within_days: int = DUE_SOON_DAYS
) -> int:
    """E-mail the secretariat one digest of overdue and soon-due action points. Returns how many
    action points it listed (0: nothing due, no mail)."""
    today = today or timezone.localdate()
    points = list(action_points_due(today=today, within_days=within_days))
    recipients = secretariat_emails()
    if not points or not recipients:
        logger.info("action point reminder: %d due, %d recipients", len(points), len(recipients))
        return 0
    overdue = [p for p in points if p.due_date < today]
    due_soon = [p for p in points if p.due_date >= today]
    sections = []
    if overdue:
        sections.append("Overdue:\n" + "\n".join(_line(p) for p in overdue))
    if due_soon:
        sections.append(f"Due within {within_days} days:\n" + "\n".join(_line(p) for p in due_soon))
    send_mail(
        subject=f"Action points: {len(overdue)} overdue, {len(due_soon)} due within "
        f"{within_days} days",
        message="\n\n".join(sections) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(points)


def _stage(point: ActionPoint, today: datetime.date) -> str:
    return (
        ActionPointReminder.Stage.OVERDUE
        if point.due_date < today
        else ActionPointReminder.Stage.DUE_SOON
    )


def focal_point_recipients(point: ActionPoint) -> list[tuple[str, str]]:
    """The address and correspondence language of each focal point of the participants
    responsible for `point`, in the dialogue of its meeting."""
    languages = {}
    for participant in point.responsible.all():
        people = focal_points_of(participant, point.meeting.dialogue).exclude(email="")
        languages.update(people.values_list("email", "language"))
    return sorted(languages.items())


def action_point_focal_point_reminders_send(
    *, today: datetime.date | None = None, within_days: int = DUE_SOON_DAYS
) -> int:
    """Remind the responsible focal points of each pending action point once when it falls
    due within `within_days` and once when it is overdue, for the action points delegates
    may read (of a published record of a meeting not kept to the secretariat). Returns how
    many e-mails went out."""
    today = today or timezone.localdate()
    sent = 0
    for point in action_points_due(today=today, within_days=within_days).select_related(
        "meeting__dialogue"
    ):
        if not AccessPolicy.delegate_of(point.meeting.dialogue_id).can_see_record(point.meeting):
            continue
        sent += _remind(point, stage=_stage(point, today))
    return sent


def _remind(point: ActionPoint, *, stage: str) -> int:
    recipients = focal_point_recipients(point)
    if not recipients:
        # Nobody to tell yet: the stage stays unsent, for a focal point named tomorrow.
        return 0
    with transaction.atomic():
        # A concurrent run blocks on this row until we commit, then finds it and sends nothing.
        reminder, created = ActionPointReminder.objects.get_or_create(
            action_point=point, stage=stage, due_date=point.due_date
        )
        if not created:
            return 0
        overdue = stage == ActionPointReminder.Stage.OVERDUE

        def compose():
            meeting = point.meeting
            context = {
                "point": point,
                "overdue": overdue,
                "responsible": join_names([p.name for p in point.responsible.all()]),
                "url": f"{site_url()}{meeting.get_absolute_url()}#action-point-{point.uid}",
            }
            subject = (
                _("Overdue: an action point of the %(meeting)s")
                if overdue
                else _("Due soon: an action point of the %(meeting)s")
            ) % {"meeting": meeting.title}
            return subject, render_to_string("meetings/email/action_point_reminder.txt", context)

        get_connection().send_messages(messages_in_their_languages(recipients, compose))
        reminder.recipient_count = len(recipients)
        reminder.save(update_fields=["recipient_count", "updated_at"])
    logger.info("action point %s, %s: %d focal points reminded", point.pk, stage, len(recipients))
    return len(recipients)
