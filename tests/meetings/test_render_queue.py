import datetime
from unittest import mock

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from meetings.models import RenderJob
from meetings.render_queue import render_jobs_requeue
from meetings.tasks import requeue_render_jobs
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def job(*, status=RenderJob.Status.QUEUED, age=datetime.timedelta(0)) -> RenderJob:
    created = RenderJob.objects.create(
        meeting=MeetingFactory(), document_kind="summary", status=status, celery_task_id="t"
    )
    RenderJob.objects.filter(pk=created.pk).update(updated_at=timezone.now() - age)
    return created


@pytest.fixture
def broker():
    with mock.patch("meetings.tasks.render_document.apply_async") as apply_async:
        yield apply_async


def test_jobs_left_waiting_are_sent_again_once_per_period(broker):
    stranded = job(age=2 * MINUTE)
    job(age=datetime.timedelta(seconds=5))
    job(status=RenderJob.Status.RUNNING, age=2 * MINUTE)
    job(status=RenderJob.Status.SUCCEEDED, age=2 * MINUTE)

    assert render_jobs_requeue(older_than=MINUTE) == 1
    broker.assert_called_once_with(args=[stranded.pk], task_id="t")

    assert render_jobs_requeue(older_than=MINUTE) == 0
    assert broker.call_count == 1


def test_a_broker_still_down_leaves_the_jobs_for_the_next_run(broker):
    broker.side_effect = BrokerUnavailable("Connection refused")
    stranded = job(age=2 * MINUTE)
    assert render_jobs_requeue(older_than=MINUTE) == 0
    broker.side_effect = None
    assert render_jobs_requeue(older_than=MINUTE) == 1
    assert broker.call_args.kwargs["args"] == [stranded.pk]


def test_the_beat_task_uses_the_configured_period(broker, settings):
    settings.RENDER_REQUEUE_AFTER = 30
    job(age=datetime.timedelta(seconds=40))
    job(age=datetime.timedelta(seconds=20))
    # apply(): run in this process whether or not a broker is configured.
    assert requeue_render_jobs.apply().get() == 1
