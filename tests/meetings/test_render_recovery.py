"""A render whose worker is lost recovers visibly: the worker beats while it renders, a periodic
check hands a job that stopped beating to another worker ("retrying" in the page) and fails it
after a few lost attempts, and a message the broker delivers again never starts a second render
of a job being rendered."""

import datetime
import time
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import documents, rendering
from meetings.models import Document, RenderJob
from meetings.render_queue import RENDER_LOST_ATTEMPTS, render_jobs_recover
from tests.factories import AgendaItemFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

STARTED = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


class Clock:
    def __init__(self):
        self.now = STARTED

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def clock(settings):
    settings.RENDER_STALE_AFTER = 60
    clock = Clock()
    with mock.patch("django.utils.timezone.now", clock):
        yield clock


@pytest.fixture
def broker():
    with mock.patch("meetings.tasks.render_document.apply_async") as apply_async:
        yield apply_async


def running_job(*, attempts: int = 1) -> RenderJob:
    """A job a worker took at STARTED (it beat then)."""
    return RenderJob.objects.create(
        meeting=MeetingFactory(),
        document_kind=Document.Kind.AGENDA,
        status=RenderJob.Status.RUNNING,
        celery_task_id="task-1",
        started_at=STARTED,
        heartbeat_at=STARTED,
        attempts=attempts,
    )


def test_a_running_job_whose_worker_stopped_beating_is_retrying_and_sent_again(clock, broker):
    job = running_job()

    clock.advance(59)
    assert render_jobs_recover() == 0
    job.refresh_from_db()
    assert job.status == RenderJob.Status.RUNNING and not broker.called

    clock.advance(2)
    assert render_jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == RenderJob.Status.RETRYING
    broker.assert_called_once_with(args=[job.pk], task_id="task-1")

    # Retrying is no longer running: the next check leaves it to the worker that takes it.
    clock.advance(60)
    assert render_jobs_recover() == 0


def test_a_job_whose_worker_beats_is_left_alone(clock, broker):
    job = running_job()
    for _ in range(10):
        clock.advance(30)
        RenderJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
        assert render_jobs_recover() == 0
    assert not broker.called


def test_a_job_that_lost_its_worker_a_few_times_fails_saying_why(clock, broker):
    job = running_job(attempts=RENDER_LOST_ATTEMPTS)
    clock.advance(61)

    assert render_jobs_recover() == 0

    job.refresh_from_db()
    assert job.status == RenderJob.Status.FAILED and job.finished_at == clock.now
    assert job.error.startswith(f"The worker rendering it stopped {RENDER_LOST_ATTEMPTS} times")
    assert not broker.called


def test_the_check_runs_beside_the_reminders_every_quarter_of_the_threshold(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["render-jobs-recover"]
    assert schedule["task"] == "meetings.tasks.recover_render_jobs"
    assert schedule["schedule"] == settings.RENDER_STALE_AFTER / 4
    # Well before the broker would redeliver the lost message itself.
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.RENDER_STALE_AFTER * 1.25 < visibility / 5


@pytest.fixture
def meeting():
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, title="Return and reintegration")
    return meeting


def test_a_message_delivered_again_does_not_start_a_second_render_of_a_running_job(
    clock, meeting, monkeypatch
):
    html_to_pdf = mock.Mock(side_effect=rendering.html_to_pdf)
    monkeypatch.setattr(rendering, "html_to_pdf", html_to_pdf)
    job = documents.document_request_render(
        meeting=meeting, kind=Document.Kind.AGENDA, enqueue=False
    )
    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderJob.Status.RUNNING, heartbeat_at=STARTED, attempts=1
    )

    clock.advance(30)  # its worker beat half a minute ago: it is rendering elsewhere
    documents.document_render(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, html_to_pdf.call_count) == ("running", 1, 0)

    clock.advance(31)  # and now it stopped beating: this delivery takes it over
    documents.document_render(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, html_to_pdf.call_count) == ("succeeded", 2, 1)


@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_while_it_renders(settings, meeting, monkeypatch):
    settings.RENDER_STALE_AFTER = 0.4  # a beat every 0.1 s
    real = rendering.html_to_pdf
    beats = []

    def slow(html, *, archival=False):
        for _ in range(3):
            time.sleep(0.15)
            beats.append(RenderJob.objects.get(pk=job.pk).heartbeat_at)
        return real(html, archival=archival)

    monkeypatch.setattr(rendering, "html_to_pdf", slow)
    job = documents.document_request_render(
        meeting=meeting, kind=Document.Kind.AGENDA, enqueue=False
    )
    documents.document_render(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == RenderJob.Status.SUCCEEDED, job.error
    assert job.started_at < beats[0] < beats[1] < beats[2]


def test_a_passing_error_shows_the_job_retrying_until_its_next_attempt(meeting, monkeypatch):
    def unreachable(html, *, archival=False):
        raise ConnectionError("the disk is away")

    monkeypatch.setattr(rendering, "html_to_pdf", unreachable)
    job = documents.document_request_render(
        meeting=meeting, kind=Document.Kind.AGENDA, enqueue=False
    )
    with pytest.raises(ConnectionError):
        documents.document_render(job_id=job.pk, final_attempt=False)
    job.refresh_from_db()
    assert job.status == RenderJob.Status.RETRYING


def test_the_page_says_a_job_is_retrying_and_keeps_following_it(client, meeting):
    requester = UserFactory(secretariat=True)
    client.force_login(requester)
    job = documents.document_request_render(
        meeting=meeting, kind=Document.Kind.AGENDA, requested_by=requester, enqueue=False
    )
    RenderJob.objects.filter(pk=job.pk).update(status=RenderJob.Status.RETRYING, attempts=1)

    fragment = client.get(reverse("render-job-status", kwargs={"uid": job.uid})).content.decode()

    assert '<span class="status">Retrying</span>' in fragment
    assert "attempt 1 did not finish; it is being tried again" in fragment
    assert 'hx-trigger="every 2s"' in fragment
