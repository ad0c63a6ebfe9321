import datetime

import pytest
from django.core import mail

from meetings.models import ActionPoint
from meetings.reminders import action_point_reminders_send
from meetings.tasks import send_action_point_reminders
from tests.factories import ActionPointFactory, MeetingFactory, StateFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2017, 2, 20)


@pytest.fixture
def secretariat():
    return UserFactory(secretariat=True, email="secretariat@example.org")


def test_the_secretariat_hears_of_overdue_and_soon_due_action_points(secretariat):
    meeting = MeetingFactory(title="24th SOM")
    turkey = StateFactory(name="Turkey")
    overdue = ActionPointFactory(
        meeting=meeting,
        text="Circulate the draft.",
        due_date=TODAY - datetime.timedelta(days=3),
        due_text="",
    )
    overdue.responsible.add(turkey)
    ActionPointFactory(
        meeting=meeting,
        text="Hold the Istanbul consultation.",
        due_date=TODAY + datetime.timedelta(days=7),
        due_text="end of February/beginning of March",
    )
    ActionPointFactory(
        meeting=meeting, text="Later work.", due_date=TODAY + datetime.timedelta(days=8)
    )
    ActionPointFactory(
        meeting=meeting,
        text="Already done.",
        due_date=TODAY - datetime.timedelta(days=9),
        status=ActionPoint.Status.DONE,
    )
    UserFactory(email="delegate@example.org")

    assert action_point_reminders_send(today=TODAY) == 2

    [message] = mail.outbox
    assert message.to == ["secretariat@example.org"]
    assert message.subject == "Action points: 1 overdue, 1 due within 7 days"
    assert "Overdue:\n- Circulate the draft. [24th SOM; due 2017-02-17; responsible: Turkey]" in (
        message.body
    )
    assert "Due within 7 days:\n- Hold the Istanbul consultation. [24th SOM; due 2017-02-27 " in (
        message.body
    )
    assert "Later work" not in message.body and "Already done" not in message.body


def test_nothing_due_sends_nothing(secretariat):
    ActionPointFactory(due_date=TODAY + datetime.timedelta(days=30))
    assert action_point_reminders_send(today=TODAY) == 0
    assert mail.outbox == []


def test_the_beat_task_runs_the_reminder_for_today(secretariat):
    ActionPointFactory(due_date=datetime.date(2000, 1, 1), text="Long overdue.")
    # apply(): run in this process whether or not a broker is configured.
    assert send_action_point_reminders.apply().get() == 1
    assert "Long overdue." in mail.outbox[0].body
