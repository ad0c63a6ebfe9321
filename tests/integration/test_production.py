"""The system as it is deployed, under load and while its services fail.

Everything runs on loopback against PRIVATE services started here (a throw-away PostgreSQL
cluster and a Redis server on free ports), so the shared PostgreSQL and Redis other suites use
are never stopped. The application itself is started by `deploy/serve-prod.sh`, the script
behind `make serve-prod`: gunicorn with deploy/gunicorn.conf.py, a Celery worker and beat.

Each test prints what it held: requests, errors, recovery time. Bounded: the load test runs
BPD_LOAD_SECONDS (default 30 s; the whole module takes about 3 minutes).
"""

from __future__ import annotations

import glob
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.stillness import Stillness

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
LOAD_SECONDS = float(os.environ.get("BPD_LOAD_SECONDS", "30"))
LOAD_CLIENTS = 50
DATABASE_MESSAGE = "The database is unavailable"


def free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free port")


def last_line(output: str) -> str:
    # `manage.py shell` may print a banner before what the command prints.
    return output.strip().splitlines()[-1]


def as_postgres_user(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PrivatePostgres:
    """A throw-away cluster: initdb into a temporary folder, fsync off."""

    def __init__(self, base: Path):
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
        self.base = base
        self.data = base / "pgdata"
        self.port = free_port(55432)

    def init(self) -> None:
        subprocess.run(
            as_postgres_user(
                [str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
                + ["--no-sync", "-E", "UTF8", "--locale", "C"]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            as_postgres_user(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.base / "pg.log")]
                + ["-o", options, "-w", "-t", "60", "start"]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            as_postgres_user(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]
            ),
            capture_output=True,
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class PrivateRedis:
    def __init__(self, base: Path):
        self.base = base
        self.port = free_port(56379)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.base)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("private redis did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


@dataclass
class Stack:
    base_url: str
    env: dict
    run_dir: Path
    postgres: PrivatePostgres
    redis: PrivateRedis
    api_key: str = ""
    meeting_slug: str = ""
    meeting_uid: str = ""
    large_meeting_slug: str = ""

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def serve_prod(self, *args: str) -> str:
        result = subprocess.run(
            ["bash", "deploy/serve-prod.sh", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    def get(self, path: str, *, timeout: float = 30) -> tuple[int, bytes]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if path.startswith("/api/") else {}
        request = urllib.request.Request(self.base_url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def pid(self, name: str) -> int:
        return int((self.run_dir / f"{name}.pid").read_text())


# A meeting whose record runs to dozens of pages, so that its PDF takes seconds to render and a
# worker can be killed in the middle of it.
LARGE_MEETING = """
import datetime
from meetings.models import AgendaItem, Statement
from meetings.services import meeting_create
from participants.models import Dialogue
meeting = meeting_create(
    dialogue=Dialogue.objects.get(), kind="thematic", start_date=datetime.date(2017, 3, 1),
    title="Thematic meeting with a long record", visibility="public", status="held",
    record_status="published",
)
item = AgendaItem.objects.create(meeting=meeting, position=1, title="Tour de table")
Statement.objects.bulk_create(
    Statement(agenda_item=item, position=n, text=f"Delegation {n} described its return and "
              "reintegration programmes, the cooperation with countries of origin and the "
              "training of border officials, and asked for the exchange to continue. " * 3)
    for n in range(1, 801)
)
print(meeting.slug)
"""


@pytest.fixture(scope="module")
def stack():
    base = Path(tempfile.mkdtemp(prefix="bpd-production-"))
    os.chmod(base, 0o755)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    postgres, redis_server = PrivatePostgres(base), PrivateRedis(base)
    run_dir = Path(tempfile.mkdtemp(prefix="bpd-production-run-"))
    port = free_port(58000)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "CELERY_", "DEBUG", "SECURE_"))
    }
    env.update(
        SECRET_KEY="integration-only-secret-key-6f1c9e2b7d4a8f03e5b1c7d9a2f4e6b8aa",
        DATABASE_URL=postgres.url("bpdialogue"),
        REDIS_URL=redis_server.url(),
        DATABASE_POOL_MAX_SIZE="4",
        PORT=str(port),
        RUN_DIR=str(run_dir),
        MEDIA_ROOT=str(run_dir / "media"),
        STATIC_ROOT=str(run_dir / "static"),
        WEB_CONCURRENCY="3",
        CELERY_WORKERS="1",
        CELERY_CONCURRENCY="1",
        # A render lost with a killed worker is redelivered within seconds, not minutes. (A
        # render outlasting it is delivered twice; the second delivery finds it done.)
        CELERY_VISIBILITY_TIMEOUT="12",
        CELERY_UNACKED_RESTORE_INTERVAL="1",
        # Beat re-sends jobs whose hand-over failed while Redis was down every 3 s.
        RENDER_REQUEUE_AFTER="3",
        # A render whose worker stopped beating for 4 s is handed to another (checked every
        # second), before the broker's redelivery.
        RENDER_STALE_AFTER="4",
        # Plain HTTP on loopback: the secretariat's session cookie must travel without TLS.
        SECURE_COOKIES="0",
        # The secretariat's browser below signs in with a password alone (two-factor has its
        # own tests, tests/portal/test_two_factor.py).
        TWO_FACTOR_REQUIRED="0",
        DJANGO_SUPERUSER_PASSWORD="integration-only-password",
        # Throttled per second, not per minute: DRF keeps every request time of the window.
        API_RATE_KEY="100000/s",
        LOG_LEVEL="WARNING",
    )
    postgres.init()
    postgres.start()
    redis_server.start()
    the_stack = Stack(f"http://127.0.0.1:{port}", env, run_dir, postgres, redis_server)
    try:
        the_stack.serve_prod("start")
        the_stack.manage("load_demo")
        the_stack.api_key = last_line(
            the_stack.manage("create_api_key", "--name", "load test", "--scopes", "read:public")
        )
        the_stack.manage("createsuperuser", "--noinput", "--username", "ops", "--email", "o@x.org")
        the_stack.large_meeting_slug = last_line(the_stack.manage("shell", "-c", LARGE_MEETING))
        status, body = the_stack.get("/api/v1/meetings/?limit=50")
        assert status == 200, body[:500]
        meeting = next(m for m in json.loads(body)["data"] if m.get("sequence_number") == 24)
        the_stack.meeting_uid, the_stack.meeting_slug = meeting["id"], meeting["slug"]
        yield the_stack
    finally:
        subprocess.run(["bash", "deploy/serve-prod.sh", "stop"], cwd=ROOT, env=env)
        redis_server.stop()
        postgres.stop("immediate")
        for name in sorted(run_dir.glob("*.log")):
            lines = name.read_text(errors="replace").splitlines()
            errors = [line[:3000] for line in lines if '"level": "ERROR"' in line][-2:]
            print(f"--- {name.name} (errors and last lines)\n" + "\n".join(errors + lines[-5:]))
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(run_dir, ignore_errors=True)


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    # (time, status) of every answer, for the fault tests' timelines.
    timeline: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, body: bytes | str, elapsed: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(elapsed)
            self.timeline.append((time.monotonic(), status, body))

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def summary(self) -> str:
        if not self.latencies:
            return "no requests"
        ordered = sorted(self.latencies)
        p95 = ordered[int(len(ordered) * 0.95) - 1] if len(ordered) > 1 else ordered[0]
        return (
            f"{self.requests} requests, statuses {dict(self.statuses)}, "
            f"{len(self.failures)} transport errors, p50 {statistics.median(ordered) * 1000:.0f} "
            f"ms, p95 {p95 * 1000:.0f} ms"
        )


def read_continuously(stack: Stack, paths: list[str], tally: Tally, stop: threading.Event):
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)]
        n += 1
        started = time.monotonic()
        try:
            status, body = stack.get(path)
        except OSError as error:  # connection refused/reset: gunicorn failed us
            with tally.lock:
                tally.failures.append(f"{path}: {error}")
            continue
        tally.record(status, body, time.monotonic() - started)


def run_clients(stack, paths, *, clients, seconds=None, until=None) -> tuple[Tally, callable]:
    """Start `clients` threads reading `paths` round-robin; returns the tally and a stopper."""
    tally, stop = Tally(), threading.Event()
    threads = [
        threading.Thread(
            target=read_continuously,
            args=(stack, paths[i % len(paths) :] + paths[: i % len(paths)], tally, stop),
            daemon=True,
        )
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()

    def finish():
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    return tally, finish


def reading_paths(stack: Stack) -> list[str]:
    return [
        "/",
        f"/meetings/{stack.meeting_slug}/",
        "/api/v1/meetings/?limit=50",
        f"/api/v1/meetings/{stack.meeting_uid}/",
        "/api/v1/participants/",
        "/healthz",
    ]


def test_fifty_concurrent_clients_get_no_errors(stack):
    tally, finish = run_clients(stack, reading_paths(stack), clients=LOAD_CLIENTS)
    time.sleep(LOAD_SECONDS)
    finish()
    print(f"\nload: {LOAD_CLIENTS} clients for {LOAD_SECONDS:.0f} s: {tally.summary()}")
    assert tally.failures == []
    assert set(tally.statuses) == {200}, tally.statuses
    assert tally.requests >= LOAD_CLIENTS


def answers_between(tally: Tally, start: float, end: float) -> list[tuple[float, int, bytes]]:
    return [entry for entry in tally.timeline if start <= entry[0] < end]


class TimedAnswer(NamedTuple):
    status: int
    body: bytes
    elapsed: float
    asked_at: float


def timed_get(stack: Stack, path: str) -> TimedAnswer:
    started = time.monotonic()
    status, body = stack.get(path, timeout=10)
    return TimedAnswer(status, body, time.monotonic() - started, started)


def one_at_a_time(stack: Stack, paths: list[str], rounds: int, stillness: Stillness) -> list[float]:
    """Each path `rounds` times, one request at a time (no queueing behind other clients):
    how long the server took for each."""
    latencies = []
    for path in paths * rounds:
        answer = timed_get(stack, path)
        assert answer.status == 200, path
        latencies.append(stillness.server_seconds(answer.asked_at, answer.elapsed))
    return latencies


def test_pages_and_api_keep_answering_while_redis_is_down(stack):
    assert stack.get("/readyz")[0] == 200
    with Stillness() as stillness:
        up = one_at_a_time(stack, reading_paths(stack), rounds=3, stillness=stillness)
        stack.redis.stop()
        try:
            tally, finish = run_clients(stack, reading_paths(stack), clients=10)
            time.sleep(5)
            readiness_while_down = stack.get("/readyz")
            finish()
            down = one_at_a_time(stack, reading_paths(stack), rounds=3, stillness=stillness)
        finally:
            stack.redis.start()
    print(
        f"\nredis down: {tally.summary()}; one at a time, slowest {max(down) * 1000:.0f} ms "
        f"(with Redis up {max(up) * 1000:.0f} ms); {stillness.summary()}"
    )
    assert tally.failures == []
    assert set(tally.statuses) == {200}, tally.statuses
    assert tally.requests >= 10
    assert max(down) < 1, "a page waited for Redis"
    assert readiness_while_down[0] == 503
    assert b'"broker": "unavailable"' in readiness_while_down[1]
    assert stack.get("/readyz")[0] == 200


def test_postgres_restart_gives_clean_503s_then_recovery_without_restarting_the_app(stack):
    master_before = stack.pid("web")
    # The pages that need the database. An API read the representation cache holds is
    # answered from Redis without a query (key, rate window and body), so it keeps answering
    # while PostgreSQL is away: checked on its own below.
    paths = [p for p in reading_paths(stack) if not p.startswith(("/healthz", "/api/"))]
    cached_api = f"/api/v1/meetings/{stack.meeting_uid}/"
    before_outage = stack.get(cached_api)
    assert before_outage[0] == 200
    with Stillness() as stillness:
        tally, finish = run_clients(stack, paths, clients=6)
        try:
            time.sleep(2)
            stopped_at = time.monotonic()
            stack.postgres.stop("immediate")
            time.sleep(0.5)
            # Fifty requests, five at a time, beside the six clients; and the liveness probe.
            with ThreadPoolExecutor(max_workers=5) as pool:
                fifty = list(pool.map(lambda path: timed_get(stack, path), (paths * 50)[:50]))
            cached_while_down = stack.get(cached_api)
            probes = []
            for _ in range(20):
                probes.append(timed_get(stack, "/healthz"))
                time.sleep(0.1)
            stack.postgres.start()
            started_at = time.monotonic()
            first_success = None
            while first_success is None and time.monotonic() - started_at < 30:
                if stack.get(f"/meetings/{stack.meeting_slug}/")[0] == 200:
                    first_success = time.monotonic() - started_at
                else:
                    time.sleep(0.05)
            # Read until the answers have been only 200 for two seconds running (at most 40 s).
            deadline = started_at + 40
            while time.monotonic() < deadline:
                time.sleep(0.5)
                now = time.monotonic()
                recent = answers_between(tally, now - 2, now)
                if now - started_at > 2 and recent and {s for _, s, _ in recent} == {200}:
                    break
        finally:
            finish()

    # Requests in flight when PostgreSQL went away may still have completed.
    while_down = answers_between(tally, stopped_at + 0.5, started_at)
    down_statuses = Counter(status for _, status, _ in while_down)
    after_up = answers_between(tally, started_at, float("inf"))
    last_failure = max((t for t, status, _ in after_up if status != 200), default=started_at)
    recovery = last_failure - started_at
    slowest = max(stillness.server_seconds(a.asked_at, a.elapsed) for a in fifty)
    slowest_probe = max(stillness.server_seconds(a.asked_at, a.elapsed) for a in probes)
    # Each answer's time is when it came: it was asked `elapsed` before.
    slowest_while_down = max(
        stillness.server_seconds(t - elapsed, elapsed)
        for (t, _, _), elapsed in zip(tally.timeline, tally.latencies, strict=True)
        if stopped_at + 0.5 <= t - elapsed and t < started_at
    )
    print(
        f"\npostgres down {started_at - stopped_at:.1f} s: {tally.summary()}; while down "
        f"{dict(down_statuses)}, slowest {slowest_while_down * 1000:.0f} ms; fifty requests "
        f"{dict(Counter(a.status for a in fifty))}, slowest {slowest * 1000:.0f} ms; "
        f"/healthz {dict(Counter(a.status for a in probes))}, slowest "
        f"{slowest_probe * 1000:.1f} ms; first success {first_success or float('nan'):.2f} s and "
        f"every answer "
        f"200 again {recovery:.2f} s after PostgreSQL accepted connections; "
        f"{stillness.summary()} (taken out of each request's time)"
    )
    assert tally.failures == []
    assert down_statuses and set(down_statuses) == {503}, down_statuses
    for _, _, body in while_down:
        assert DATABASE_MESSAGE.encode() in body and b"Traceback" not in body
    assert [a.status for a in fifty] == [503] * 50
    assert cached_while_down == before_outage
    assert slowest < 1 and slowest_while_down < 1
    assert [a.status for a in probes] == [200] * 20
    # The probe never waits on the database; a generous bound, because a loaded CI machine
    # once took 57 ms for an answer that needs no SQL.
    assert slowest_probe < 0.5
    assert first_success is not None and first_success < 5
    assert recovery < 5
    for _, status, body in after_up:
        assert status in (200, 503) and b"Traceback" not in body
    settled = [status for t, status, _ in after_up if t > last_failure]
    assert len(settled) >= 6 and set(settled) == {200}, Counter(settled)
    assert stack.pid("web") == master_before
    os.kill(master_before, 0)  # still the same gunicorn, never restarted


class SecretariatSession:
    """A logged-in secretariat user's browser: cookies and CSRF token, as the workspace sees it."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.get("/accounts/login/")
        status, body = self.post(
            "/accounts/login/", {"username": "ops", "password": "integration-only-password"}
        )
        assert status == 200 and b"/accounts/logout/" in body, body[:300]

    def _open(self, request) -> tuple[int, bytes]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def get(self, path: str) -> tuple[int, bytes]:
        return self._open(urllib.request.Request(self.stack.base_url + path))

    def post(self, path: str, data: dict) -> tuple[int, bytes]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        return self._open(urllib.request.Request(self.stack.base_url + path, data=body))

    def request_render(self, slug: str, kind: str) -> str:
        """Ask for a document from the meeting's documents tab; returns the new job's uid."""
        documents = f"/secretariat/meetings/{slug}/documents/"
        page = self.get(documents)[1].decode()
        before = set(RENDER_JOB.findall(page))
        # The field as the workspace's form names it (it may carry a prefix).
        generate_form = page[page.index(f'action="{documents}generate/"') :]
        field = re.search(r'<select name="([\w-]*kind)"', generate_form).group(1)
        status, body = self.post(f"{documents}generate/", {field: kind})
        assert status == 200, body[:500]
        [job] = set(RENDER_JOB.findall(body.decode())) - before
        return job

    def job_status(self, job: str) -> tuple[str, str | None]:
        """What the polled fragment says: the status label and the download link, if any."""
        status, body = self.get(f"/render-jobs/{job}/")
        assert status == 200, body[:300]
        text = body.decode()
        label = re.search(r'<span class="status">([^<]+)</span>', text).group(1)
        link = re.search(r'href="(/documents/[0-9a-f-]{36}/)"', text)
        return label, link.group(1) if link else None

    def wait_for(self, job: str, label: str, *, seconds: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if self.job_status(job)[0] == label:
                return time.monotonic() - started
            time.sleep(0.2)
        raise AssertionError(f"job {job} not {label} after {seconds} s: {self.job_status(job)}")


RENDER_JOB = re.compile(r"/render-jobs/([0-9a-f-]{36})/")


def test_a_pdf_asked_for_while_redis_is_down_waits_and_completes_after(stack):
    session = SecretariatSession(stack)
    stack.redis.stop()
    try:
        asked = time.monotonic()
        job = session.request_render(stack.meeting_slug, "agenda")
        asked_in = time.monotonic() - asked
        tally, finish = run_clients(stack, reading_paths(stack), clients=4)
        time.sleep(3)
        waiting = session.job_status(job)
        finish()
    finally:
        stack.redis.start()
    completed_in = session.wait_for(job, "Succeeded", seconds=90)
    label, link = session.job_status(job)
    status, pdf = session.get(link)
    print(
        f"\nPDF while redis down: asked (the documents tab, then the request) in "
        f"{asked_in * 1000:.0f} ms; job reported {waiting[0]!r}; reads meanwhile: "
        f"{tally.summary()}; completed {completed_in:.1f} s after Redis came back"
    )
    assert waiting == ("Queued", None)
    assert asked_in < 2, "asking for a PDF waited for the broker"
    assert tally.failures == [] and set(tally.statuses) == {200}
    assert status == 200 and pdf.startswith(b"%PDF")


def test_a_render_whose_worker_is_killed_completes_on_another_worker_with_one_file(stack):
    session = SecretariatSession(stack)
    job = session.request_render(stack.large_meeting_slug, "summary")
    session.wait_for(job, "Running", seconds=60)
    stack.serve_prod("start-worker", "spare")
    victim = stack.pid("worker-worker1")
    os.killpg(victim, signal.SIGKILL)  # the worker and the pool process rendering the job
    killed_at = time.monotonic()
    session.wait_for(job, "Succeeded", seconds=120)
    recovered_in = time.monotonic() - killed_at
    facts = json.loads(
        last_line(
            stack.manage(
                "shell",
                "-c",
                "import json; from meetings.models import Document, RenderJob;"
                f"job = RenderJob.objects.get(uid='{job}');"
                "docs = Document.objects.filter(meeting=job.meeting, kind='summary');"
                "print(json.dumps({'attempts': job.attempts, 'documents': docs.count(),"
                " 'file': job.document.file.name}))",
            )
        )
    )
    stored = sorted(p for p in (stack.run_dir / "media").rglob("*") if p.is_file())
    print(
        f"\nworker killed mid-render: job finished {recovered_in:.1f} s later on the spare "
        f"worker after {facts['attempts']} attempts; {facts['documents']} document, files "
        f"{[str(p.relative_to(stack.run_dir / 'media')) for p in stored]}"
    )
    assert facts["attempts"] == 2
    assert facts["documents"] == 1
    generated_for_job = [p for p in stored if p.name == Path(facts["file"]).name]
    assert len(generated_for_job) == 1
    # No half-written file left behind by the killed attempt.
    assert not any("tmp" in p.relative_to(stack.run_dir / "media").parts for p in stored), stored
