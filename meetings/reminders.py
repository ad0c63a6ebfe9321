"""The daily reminder of action points that are overdue or fall due soon, sent to the
secretariat by Celery beat (meetings/tasks.py, CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.utils import timezone

from bpdialogue.access import secretariat_users
from bpdialogue.text import join_names

from .models import ActionPoint

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
        .prefetch_related("responsible")
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
