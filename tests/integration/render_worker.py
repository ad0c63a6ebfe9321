"""A real Celery worker for tests/integration/test_render_worker.py, started as
`python -m tests.integration.render_worker <worker options>`.

It is `celery -A bpdialogue worker` with three test-only settings: Redis gives an
unacknowledged message back after a few seconds (instead of minutes) so a killed worker's job is
redelivered within the test; tasks the worker itself queues (a lost render sent again) go to
the test's queue (BPD_QUEUE); and, when BPD_SLOW_DIR holds a file named `arm`, the first render
to see it writes its process id to `rendering.pid` and sleeps, so the test can kill it mid-task.
"""

import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpdialogue.settings")
django.setup()

from bpdialogue.celery import app  # noqa: E402
from meetings import rendering  # noqa: E402

REDELIVERY_SECONDS = 8
real_html_to_pdf = rendering.html_to_pdf


def slow_once_html_to_pdf(html, *, archival=False):
    slow_dir = Path(os.environ["BPD_SLOW_DIR"])
    try:
        (slow_dir / "arm").unlink()
    except FileNotFoundError:
        return real_html_to_pdf(html, archival=archival)
    (slow_dir / "rendering.pid").write_text(str(os.getpid()))
    time.sleep(120)
    return real_html_to_pdf(html, archival=archival)


if __name__ == "__main__":
    rendering.html_to_pdf = slow_once_html_to_pdf
    app.conf.broker_transport_options = {
        "visibility_timeout": REDELIVERY_SECONDS,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    app.conf.task_always_eager = False
    app.conf.task_default_queue = os.environ["BPD_QUEUE"]
    app.worker_main(["worker", *sys.argv[1:]])
