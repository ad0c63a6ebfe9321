"""Delegates hear once that the record of their dialogue's meeting was published, each in
their correspondence language."""

import datetime

import pytest

from meetings.models import Meeting, RecordNotification
from meetings.notifications import record_published_notification_send
from meetings.services import meeting_set_record_status
from tests.factories import DialogueFactory, MeetingFactory, UserFactory, delegate_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_in_the_test(monkeypatch):
    # With REDIS_URL set (the PostgreSQL run in CI) Celery would queue to a broker no worker
    # here reads; these tests are about what the task does, so it runs in-process.
    from bpdialogue.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)


@pytest.fixture
def adopted_meeting():
    return MeetingFactory(
        title="25th Meeting of the Senior Officials",
        visibility="participants",
        record_status=Meeting.RecordStatus.ADOPTED,
    )


def publish(meeting, by, capture, reason=""):
    """Publish the record; its Summary/conclusions is issued, then the e-mail queued."""
    with capture(execute=True):
        meeting_set_record_status(
            meeting=meeting, status=Meeting.RecordStatus.PUBLISHED, by=by, reason=reason
        )


def test_publishing_a_record_writes_to_each_delegate_of_the_dialogue_once(
    adopted_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    ours = [delegate_user(adopted_meeting.dialogue) for _ in range(2)]
    delegate_user(DialogueFactory())  # a delegate of another dialogue
    delegate_user(adopted_meeting.dialogue, is_active=False)
    delegate_user(adopted_meeting.dialogue, email="")

    publish(adopted_meeting, UserFactory(secretariat=True), django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mailoutbox) == sorted(u.email for u in ours)
    assert all(len(message.to) == 1 and not message.bcc for message in mailoutbox)
    assert "25th Meeting of the Senior Officials" in mailoutbox[0].subject
    assert adopted_meeting.get_absolute_url() in mailoutbox[0].body
    assert RecordNotification.objects.get(meeting=adopted_meeting).recipient_count == 2


def test_each_delegate_reads_of_the_publication_in_their_correspondence_language(
    adopted_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    adopted_meeting.title_ru = "25-е совещание старших должностных лиц"
    adopted_meeting.start_date = adopted_meeting.end_date = datetime.date(2017, 12, 15)
    adopted_meeting.save()
    english = delegate_user(adopted_meeting.dialogue, language="en")
    russian = delegate_user(adopted_meeting.dialogue, language="ru")

    publish(adopted_meeting, None, django_capture_on_commit_callbacks)

    to = {message.to[0]: message for message in mailoutbox}
    assert to[english.email].subject == "Record published: 25th Meeting of the Senior Officials"
    assert to[english.email].body.startswith("Dear delegate,")
    assert "15 December 2017" in to[english.email].body
    assert f"/meetings/{adopted_meeting.slug}/" in to[english.email].body
    message = to[russian.email]
    assert message.subject == "Опубликована запись: 25-е совещание старших должностных лиц"
    assert message.body.startswith("Уважаемый делегат!")
    assert "15 декабря 2017" in message.body
    assert f"/ru/meetings/{adopted_meeting.slug}/" in message.body
    assert "Dear" not in message.body and "published" not in message.body
    assert RecordNotification.objects.get(meeting=adopted_meeting).recipient_count == 2


def test_a_text_not_yet_translated_reaches_a_russian_reader_in_its_original(
    adopted_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    delegate_user(adopted_meeting.dialogue, language="ru")

    publish(adopted_meeting, None, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    assert message.subject == "Опубликована запись: 25th Meeting of the Senior Officials"


def test_a_repeated_task_sends_nothing_more(
    adopted_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    delegate_user(adopted_meeting.dialogue)
    publish(adopted_meeting, None, django_capture_on_commit_callbacks)
    adopted_meeting.refresh_from_db()

    sent_again = record_published_notification_send(
        meeting_id=adopted_meeting.pk, published_at=adopted_meeting.record_status_changed_at
    )

    assert sent_again == 0
    assert len(mailoutbox) == 1


def test_steps_short_of_publication_send_nothing_and_a_new_publication_is_news_again(
    adopted_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    delegate_user(adopted_meeting.dialogue)
    publish(adopted_meeting, None, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_set_record_status(
            meeting=adopted_meeting, status=Meeting.RecordStatus.REOPENED, by=None, reason="Typo."
        )
    assert len(mailoutbox) == 1

    publish(adopted_meeting, None, django_capture_on_commit_callbacks, reason="Typo fixed.")

    assert len(mailoutbox) == 2
    assert RecordNotification.objects.filter(meeting=adopted_meeting).count() == 2


def test_a_task_that_arrives_after_the_record_was_reopened_sends_nothing(
    adopted_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    delegate_user(adopted_meeting.dialogue)
    with django_capture_on_commit_callbacks(execute=False) as render:
        meeting_set_record_status(
            meeting=adopted_meeting, status=Meeting.RecordStatus.PUBLISHED, by=None
        )
    with django_capture_on_commit_callbacks(execute=False) as notify:
        for callback in render:
            callback()  # the render issues the record and queues the e-mail
    meeting_set_record_status(
        meeting=adopted_meeting, status=Meeting.RecordStatus.REOPENED, by=None, reason="Typo."
    )

    for callback in notify:
        callback()

    assert mailoutbox == []


def test_a_secretariat_only_record_is_news_to_no_delegate(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(visibility="secretariat", record_status=Meeting.RecordStatus.ADOPTED)
    delegate_user(meeting.dialogue)
    publish(meeting, None, django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_the_e_mail_links_to_the_address_the_site_is_served_on(
    adopted_meeting, mailoutbox, django_capture_on_commit_callbacks, client, settings
):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["dialogue.test"]
    delegate_user(adopted_meeting.dialogue)
    client.get("/", HTTP_HOST="dialogue.test:8123")  # the site as make run serves it

    publish(adopted_meeting, None, django_capture_on_commit_callbacks)

    assert f"http://dialogue.test:8123{adopted_meeting.get_absolute_url()}" in mailoutbox[0].body


def test_a_configured_site_url_wins(
    adopted_meeting, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://dialogue.example.org/"
    delegate_user(adopted_meeting.dialogue)

    publish(adopted_meeting, None, django_capture_on_commit_callbacks)

    expected = f"https://dialogue.example.org{adopted_meeting.get_absolute_url()}"
    assert expected in mailoutbox[0].body
