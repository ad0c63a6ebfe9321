"""Writes about participants and their people's accounts."""

from __future__ import annotations

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction

from bpdialogue.celery import task_enqueue

from .models import CalendarFeed


@transaction.atomic
def calendar_feed_regenerate(*, user) -> CalendarFeed:
    """Give the user a new secret calendar URL; the old one stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "updated_at"])
    return feed


def calendar_feed_for(*, user) -> CalendarFeed:
    """The user's feed, created on first use."""
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed or calendar_feed_regenerate(user=user)


def password_reset_request(*, email: str, domain: str, use_https: bool) -> None:
    """Ask for the password-reset e-mail to `email`. The accounts are looked up and the
    e-mail sent by a Celery task once the request's work is committed, so the page takes
    as long for an address that has an account as for one that has not: its timing does not
    tell which addresses have accounts."""
    transaction.on_commit(
        lambda: task_enqueue(
            "participants.tasks.send_password_reset",
            kwargs={"email": email, "domain": domain, "use_https": use_https},
        )
    )


def password_reset_send(*, email: str, domain: str, use_https: bool) -> None:
    """Send the reset link to each active account with this address (Django's form and the
    portal's templates)."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)
