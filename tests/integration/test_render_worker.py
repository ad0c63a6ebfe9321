"""Documents rendered by real Celery worker processes through a real Redis broker, including
a worker killed with SIGKILL in the middle of a render.

The workers run `tests/integration/render_worker.py` (the project's Celery app, with a short
Redis redelivery delay and a test-only slow render) against the test database: PostgreSQL when
DATABASE_URL says so, otherwise a file copy of the SQLite test database (the in-memory one is
private to this process). The broker is Redis database 1 on 127.0.0.1:6379, on a queue named
for this run, so nothing else is touched.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django_guid import clear_guid, set_guid

from bpdialogue.celery import app
from meetings import documents
from meetings.models import Document
from meetings.tasks import recover_render_jobs, render_document
from tests.factories import AgendaItemFactory, DelegationFactory, MeetingFactory, StatementFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("BPD_TEST_BROKER_URL", "redis://127.0.0.1:6379/1")
TIMEOUT = 40
STALE_AFTER = 2


class Workers:
    def __init__(self, tmp_path: Path):
        self.queue = f"bpd-render-test-{uuid.uuid4().hex[:8]}"
        self.slow_dir = tmp_path / "slow"
        self.slow_dir.mkdir()
        self.media = tmp_path / "media"
        self.logs = tmp_path
        self.processes: list[subprocess.Popen] = []
        self.log_files: list = []
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            # The workers read and write a file copy; so does this test from now on.
            self.sqlite_file = tmp_path / "worker.sqlite3"
            with sqlite3.connect(self.sqlite_file) as copy:
                connection.ensure_connection()
                connection.connection.backup(copy)
            database_url = f"sqlite:///{self.sqlite_file}"
        else:
            self.sqlite_file = None
            database_url = (
                f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
                f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
            )
        self.env = {
            **os.environ,
            "SECRET_KEY": "integration-test",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": BROKER,
            "REDIS_URL": "",
            "MEDIA_ROOT": str(self.media),
            "BPD_SLOW_DIR": str(self.slow_dir),
            "BPD_QUEUE": self.queue,
            # A render that stopped beating for this long lost its worker (a beat every 0.5 s),
            # well before the broker redelivers it (REDELIVERY_SECONDS).
            "RENDER_STALE_AFTER": str(STALE_AFTER),
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "text",
        }

    def start(self, name: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")
        self.log_files.append(log)
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.render_worker"]
            + ["--pool=solo", "-n", f"{name}@%h", "-Q", self.queue, "-l", "WARNING"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in self.log_files:
            log.close()

    def logs_text(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.logs.glob("*.log"))

    def enqueue(self, job) -> None:
        self.send(render_document, args=[job.pk], task_id=job.celery_task_id)

    def send(self, task, **options) -> None:
        saved = app.conf.task_always_eager
        app.conf.task_always_eager = False
        try:
            with app.connection_for_write(BROKER) as broker:
                task.apply_async(queue=self.queue, connection=broker, **options)
        finally:
            app.conf.task_always_eager = saved

    def query(self, sql: str, params=()) -> list[tuple]:
        """Rows as the workers left them (in the file copy, on SQLite)."""
        if self.sqlite_file:
            with sqlite3.connect(self.sqlite_file) as db:
                return db.execute(sql, params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall()

    def job(self, job) -> dict:
        (row,) = self.query(
            "SELECT status, attempts, error, document_id FROM meetings_renderjob WHERE id = ?",
            (job.pk,),
        )
        return dict(zip(("status", "attempts", "error", "document_id"), row, strict=True))

    def wait_for(self, condition, what: str):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.25)
        pytest.fail(f"timed out waiting for {what}\n--- worker logs ---\n{self.logs_text()}")


@pytest.fixture
def meeting(db):
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, title="Return and reintegration")
    StatementFactory(agenda_item=item, text="Iraq expressed that returns are important.")
    DelegationFactory(meeting=meeting, headcount=2)
    return meeting


def test_a_worker_killed_mid_render_leaves_the_job_to_another_that_completes_it_once(
    meeting, tmp_path
):
    jobs = [
        documents.document_request_render(meeting=meeting, kind=kind, enqueue=False)
        for kind in (Document.Kind.PARTICIPANTS, Document.Kind.AGENDA)
    ]
    workers = Workers(tmp_path)
    try:
        first, second = workers.start("first"), workers.start("second")

        # An ordinary render through the broker and a worker process.
        workers.enqueue(jobs[0])
        done = workers.wait_for(
            lambda: (state := workers.job(jobs[0]))["status"] == "succeeded" and state,
            "the participants list",
        )
        assert done["attempts"] == 1 and done["error"] == ""

        # The next render is slow; the worker doing it is killed outright.
        (workers.slow_dir / "arm").touch()
        workers.enqueue(jobs[1])
        pid_file = workers.slow_dir / "rendering.pid"
        pid = int(workers.wait_for(lambda: pid_file.exists() and pid_file.read_text(), "a render"))
        assert workers.job(jobs[1])["status"] == "running"
        os.kill(pid, signal.SIGKILL)
        killed = first if first.pid == pid else second
        killed.wait(timeout=10)
        survivor = second if killed is first else first
        assert survivor.poll() is None

        # The broker redelivers the unacknowledged job to the surviving worker.
        state = workers.wait_for(
            lambda: (state := workers.job(jobs[1]))["status"] == "succeeded" and state,
            "the redelivered agenda",
        )
        assert state["attempts"] == 2 and state["error"] == ""
        # Once done, it stays done: no third delivery after another redelivery delay.
        time.sleep(9)
        assert workers.job(jobs[1])["attempts"] == 2
    finally:
        workers.stop()

    rows = workers.query(
        "SELECT kind, file, revision FROM meetings_document WHERE meeting_id = ? ORDER BY kind",
        (meeting.pk,),
    )
    assert [(kind, revision) for kind, _, revision in rows] == [
        ("agenda", 1),
        ("participants", 1),
    ]
    stored = sorted(p for p in workers.media.rglob("*") if p.is_file())
    assert sorted(workers.media / name for _, name, _ in rows) == stored
    assert all(path.read_bytes().startswith(b"%PDF-") for path in stored)


def test_a_render_that_stopped_beating_is_retried_before_the_broker_would_redeliver_it(
    meeting, tmp_path
):
    job = documents.document_request_render(
        meeting=meeting, kind=Document.Kind.AGENDA, enqueue=False
    )
    workers = Workers(tmp_path)
    try:
        workers.start("first"), workers.start("second")
        (workers.slow_dir / "arm").touch()
        workers.enqueue(job)
        pid_file = workers.slow_dir / "rendering.pid"
        pid = int(workers.wait_for(lambda: pid_file.exists() and pid_file.read_text(), "a render"))
        time.sleep(1)  # it beats while it renders
        beating = workers.query(
            "SELECT started_at < heartbeat_at FROM meetings_renderjob WHERE id = ?", (job.pk,)
        )
        os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()

        # Beat's periodic check, once the heartbeat is older than the threshold: the
        # surviving worker runs it, marks the job retrying and takes it up again.
        time.sleep(STALE_AFTER + 0.5)
        workers.send(recover_render_jobs)
        state = workers.wait_for(
            lambda: (state := workers.job(job))["status"] == "succeeded" and state,
            "the recovered agenda",
        )
        recovered_in = time.monotonic() - killed_at
        # The broker redelivers the killed worker's message after REDELIVERY_SECONDS: it
        # finds the job done and renders nothing.
        time.sleep(max(0, 10 - (time.monotonic() - killed_at)))
        final = workers.job(job)
    finally:
        workers.stop()
    logs = workers.logs_text()
    print(
        f"\nworker killed mid-render: recovered {recovered_in:.1f} s later through the stale "
        f"check (threshold {STALE_AFTER} s; redelivery after 8 s), attempts {final['attempts']}"
    )
    assert beating[0][0], "no heartbeat while it rendered"
    assert state["attempts"] == 2 and state["error"] == ""
    assert recovered_in < 8
    assert f"render job {job.uid} lost its worker (attempt 1): retrying" in logs
    assert final["attempts"] == 2, logs
    rows = workers.query("SELECT file FROM meetings_document WHERE meeting_id = ?", (meeting.pk,))
    assert len(rows) == 1


def test_a_workers_log_lines_about_a_render_carry_the_id_of_the_request_that_asked(
    meeting, tmp_path
):
    job = documents.document_request_render(
        meeting=meeting, kind=Document.Kind.PARTICIPANTS, enqueue=False
    )
    workers = Workers(tmp_path)
    workers.env.update(LOG_LEVEL="INFO", LOG_FORMAT="json")
    request_id = uuid.uuid4().hex
    try:
        workers.start("logging")
        set_guid(request_id)  # as the guid middleware does for the request asking
        workers.enqueue(job)
        workers.wait_for(lambda: workers.job(job)["status"] == "succeeded", "the render")
    finally:
        clear_guid()
        workers.stop()
    lines = [json.loads(line) for line in workers.logs_text().splitlines() if line.startswith("{")]
    about_the_render = [
        line
        for line in lines
        if line["logger"] == "celery.app.trace" and job.celery_task_id in line["message"]
    ]
    assert about_the_render, workers.logs_text()
    assert {line["request_id"] for line in about_the_render} == {request_id}
