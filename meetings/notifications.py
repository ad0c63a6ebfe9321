"""Telling a dialogue's delegates that the record of one of its meetings was published.

`meeting_record_notify_published` is called by `meeting_set_record_status` when a record
becomes published; it queues a Celery task after the transaction commits. The task sends one
e-mail to each delegate and records the publication in `RecordNotification`, whose unique
constraint makes a retried or duplicated task send nothing the second time. Each delegate is
written to in their correspondence language (`Person.language`)."""

from __future__ import annotations

import datetime
import logging

from django.core.mail import get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from bpdialogue.access import AccessPolicy
from bpdialogue.mail import messages_in_their_languages
from bpdialogue.site import site_url
from bpdialogue.task_queue import task_enqueue
from participants.access import delegates_of

from .models import Meeting, RecordNotification

logger = logging.getLogger(__name__)


def record_notification_recipients(*, meeting: Meeting) -> list[tuple[str, str]]:
    """The e-mail address and correspondence language of each active delegate of the
    meeting's dialogue, if the access policy lets a delegate read its record (a record shared
    with the secretariat only is news to no delegate)."""
    if not AccessPolicy.delegate_of(meeting.dialogue_id).can_see_meeting(meeting):
        return []
    users = delegates_of(dialogue_id=meeting.dialogue_id).exclude(email="")
    # An address shared by two accounts is written to once.
    languages = dict(users.order_by("-pk").values_list("email", "person__language"))
    return sorted(languages.items())


def meeting_record_notify_published(*, meeting: Meeting) -> None:
    """Queue the publication e-mail once the current transaction commits (so the worker reads
    the published record, and nothing is sent if the publication is rolled back)."""
    meeting_id, published_at = meeting.pk, meeting.record_status_changed_at.isoformat()
    transaction.on_commit(
        lambda: task_enqueue(
            "meetings.tasks.send_record_published_notification", args=[meeting_id, published_at]
        )
    )


def record_published_notification_send(*, meeting_id: int, published_at: datetime.datetime) -> int:
    """Send the e-mail for one publication, unless it went out already or the record was
    unpublished (or published again: that publication has its own task) in the meantime.
    Returns how many delegates were written to."""
    meeting = Meeting.objects.select_related("dialogue").filter(pk=meeting_id).first()
    if (
        meeting is None
        or meeting.record_status != Meeting.RecordStatus.PUBLISHED
        or meeting.record_status_changed_at != published_at
    ):
        return 0
    with transaction.atomic():
        # A concurrent duplicate blocks on this row until we commit, then finds it.
        notice, created = RecordNotification.objects.get_or_create(
            meeting=meeting, published_at=published_at
        )
        if not created:
            return 0
        recipients = record_notification_recipients(meeting=meeting)

        def compose():
            context = {"meeting": meeting, "url": site_url() + meeting.get_absolute_url()}
            return (
                _("Record published: %(title)s") % {"title": meeting.title},
                render_to_string("meetings/email/record_published.txt", context),
            )

        get_connection().send_messages(messages_in_their_languages(recipients, compose))
        notice.recipient_count = len(recipients)
        notice.save(update_fields=["recipient_count", "updated_at"])
    logger.info("record of %s published: %d delegates notified", meeting.slug, len(recipients))
    return len(recipients)
