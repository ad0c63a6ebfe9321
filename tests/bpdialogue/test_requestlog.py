import json
import logging
import threading
import uuid

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django_guid import clear_guid, get_guid, set_guid
from django_guid.log_filters import CorrelationId

from bpdialogue.celery import app as project_app
from bpdialogue.requestlog import JsonFormatter

pytestmark = pytest.mark.django_db

REQUEST_ID = uuid.uuid4().hex


class JsonLines(logging.Handler):
    """The log lines as settings.LOGGING writes them: the request id filter, then JSON."""

    def __init__(self):
        super().__init__()
        self.addFilter(CorrelationId(correlation_id_field="request_id"))
        self.setFormatter(JsonFormatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def render_log():
    """What the logger of renders writes during the test."""
    handler = JsonLines()
    logger = logging.getLogger("meetings.rendering")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)
    clear_guid()


def test_every_response_carries_a_fresh_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_the_proxys_request_id_is_kept_and_a_malformed_one_replaced(client):
    # nginx's $request_id (32 hex digits) and the UUIDs of Envoy or Heroku.
    for proxys in (REQUEST_ID, str(uuid.uuid4())):
        assert client.get("/healthz", HTTP_X_REQUEST_ID=proxys)["X-Request-ID"] == proxys
    for malformed in ("<script>", "lb-1234abcd"):
        replaced = client.get("/healthz", HTTP_X_REQUEST_ID=malformed)["X-Request-ID"]
        assert replaced != malformed and len(replaced) == 32


def test_log_lines_are_json_with_the_request_id_and_extra_fields(render_log):
    set_guid(REQUEST_ID)
    logging.getLogger("meetings.rendering").warning(
        "slow %s", "render", extra={"path": "/meetings/"}
    )
    [entry] = render_log
    assert entry["message"] == "slow render"
    assert entry["request_id"] == REQUEST_ID
    assert entry["level"] == "WARNING" and entry["logger"] == "meetings.rendering"
    assert entry["path"] == "/meetings/"
    assert entry["ts"].endswith("+00:00")


def test_a_task_run_eagerly_logs_under_the_id_of_the_request_that_sent_it(render_log):
    eager = Celery("eager", set_as_current=False)
    eager.conf.task_always_eager = True

    @eager.task(name="tests.render_eagerly")
    def render():
        logging.getLogger("meetings.rendering").info("rendered")

    set_guid(REQUEST_ID)
    render.delay()
    assert [line["request_id"] for line in render_log] == [REQUEST_ID]
    # The request goes on under its own id once the task is done.
    assert get_guid() == REQUEST_ID


def test_a_worker_logs_a_task_under_the_id_of_the_request_that_sent_it(render_log):
    worker_app = Celery("worker", broker="memory://", set_as_current=False)
    done = threading.Event()

    @worker_app.task(name="tests.render_in_a_worker")
    def render():
        logging.getLogger("meetings.rendering").info("rendered")
        done.set()

    try:
        with start_worker(worker_app, pool="solo", perform_ping_check=False):
            set_guid(REQUEST_ID)
            render.delay()
            assert done.wait(timeout=10)
    finally:
        # The embedded worker made its app the current one; the project's tasks need theirs.
        project_app.set_current()
        project_app.set_default()
    assert [line["request_id"] for line in render_log] == [REQUEST_ID]
