from celery import shared_task
from django.utils.dateparse import parse_datetime

from meetings.notifications import record_published_notification_send

from .services import password_reset_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_record_published_notification(meeting_id: int, published_at: str) -> int:
    """E-mail the dialogue's delegates that a meeting's record was published (once)."""
    return record_published_notification_send(
        meeting_id=meeting_id, published_at=parse_datetime(published_at)
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_password_reset(*, email: str, domain: str, use_https: bool) -> None:
    password_reset_send(email=email, domain=domain, use_https=use_https)
