"""A web worker's memory is mostly the code it imported: libraries used by one export or one
background task are imported where they are used, so they stay out of every worker (#13: a
worker under 90 MiB after the benchmark)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each is used by one page, export or task, never by reading meetings, records or the API.
LOADED_ON_USE = [
    "weasyprint",  # PDFs render in Celery
    "openpyxl",  # spreadsheet imports
    "icalendar",  # calendar feeds
    "cobalt",  # Akoma Ntoso export
    "lxml",  # Akoma Ntoso and IATI exports
    "segno",  # the QR code shown while enrolling in two-factor
    "pypdf",  # development only
    "celery",  # loaded by the first task a worker sends (bpdialogue/task_queue.py)
    "kombu",
]

STARTUP = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpdialogue.settings")
from bpdialogue.wsgi import application
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as the first request loads them
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""
SENDING = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpdialogue.settings")
from bpdialogue.wsgi import application
from bpdialogue.task_queue import task_enqueue
from celery import current_app
from celery.signals import before_task_publish
before = before_task_publish.has_listeners()
task_enqueue("bpdialogue.tasks.prune_webhook_log")  # eager here: no broker
print(json.dumps([before, current_app.main, before_task_publish.has_listeners()]))
"""


def run_python(code: str, **env) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "test-only", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1]


def test_a_web_worker_starts_without_the_libraries_of_exports_and_tasks():
    loaded = set(json.loads(run_python(STARTUP, DJANGO_SETTINGS_MODULE="bpdialogue.settings")))
    assert loaded & set(LOADED_ON_USE) == set()
    assert "django" in loaded  # the probe did start the application


def test_the_first_task_sent_loads_the_project_s_celery_app_with_its_request_ids():
    # Not Celery's default app: the project's, configured from settings, and django-guid's
    # handler that puts the request's id on a task is connected before the task is sent.
    before, app, carries_request_id = json.loads(
        run_python(SENDING, DJANGO_SETTINGS_MODULE="bpdialogue.settings", CELERY_BROKER_URL="")
    )
    assert (before, app, carries_request_id) == (False, "bpdialogue", True)


SCHEMA = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpdialogue.settings")
from bpdialogue.wsgi import application
from django.urls import get_resolver
get_resolver().url_patterns
machinery = ["drf_spectacular.generators", "drf_spectacular.plumbing", "django.test"]
at_start = [name for name in machinery if name in sys.modules]
from django.test import Client
schema = Client(HTTP_HOST="localhost").get(
    "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
).json()
calendar = schema["paths"]["/api/v1/meetings.ics"]["get"]
print(json.dumps([at_start, calendar["summary"], list(schema["components"]["securitySchemes"])]))
"""


def test_the_schema_machinery_loads_at_the_first_request_for_the_schema():
    # drf-spectacular's generator (and django.test, which it imports) cost each worker
    # ~3.4 MiB for a page few callers fetch; what views say of themselves (@documented) and
    # the API key's scheme still reach the schema when it is asked for.
    at_start, calendar_summary, schemes = json.loads(
        run_python(SCHEMA, DJANGO_SETTINGS_MODULE="bpdialogue.settings", DEBUG="1")
    )
    assert at_start == []
    assert calendar_summary == "The meetings as an iCalendar feed"
    assert "apiKey" in schemes


# deploy/gunicorn.conf.py as `conf`, its hooks called as gunicorn would.
GUNICORN_CONF = """
import importlib.util
spec = importlib.util.spec_from_file_location("gunicorn_conf", "deploy/gunicorn.conf.py")
conf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(conf)
"""

FROZEN = """
import gc, json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpdialogue.settings")
from bpdialogue.wsgi import application
"""
FROZEN += (
    GUNICORN_CONF
    + """conf.post_worker_init(worker=None)
print(json.dumps([gc.get_freeze_count(), "meetings.api.views" in sys.modules]))
"""
)


def test_a_gunicorn_worker_loads_its_views_then_freezes_what_start_up_allocated():
    frozen, views_loaded = json.loads(
        run_python(FROZEN, DJANGO_SETTINGS_MODULE="bpdialogue.settings")
    )
    assert views_loaded and frozen > 50_000


def test_an_application_that_is_not_django_is_only_frozen():
    # The benchmarks' raw baseline runs under the same gunicorn settings.
    code = FROZEN.replace("from bpdialogue.wsgi import application\n", "").replace(
        '"meetings.api.views" in sys.modules', '"django.conf" in sys.modules'
    )
    frozen, imported_django = json.loads(run_python(code))
    assert frozen > 0 and not imported_django


TASKS = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpdialogue.settings")
import django
django.setup()
from meetings.tasks import render_document  # as `render_documents` and the demo import it
print(json.dumps([render_document.app.main, render_document.app.conf.task_always_eager]))
"""


def test_a_tasks_module_imported_alone_binds_its_tasks_to_the_project_s_app():
    # Celery's default app would send to a broker on localhost, whatever the settings say.
    app, eager = json.loads(run_python(TASKS, CELERY_BROKER_URL=""))
    assert (app, eager) == ("bpdialogue", True)


COLLECTED = (
    GUNICORN_CONF
    + """
import gc, json, weakref
gc.collect()
class Page:  # a template context and its dictionaries refer to each other, like this
    pass
page = Page()
page.cycle = page
page.figures = bytearray(10_000_000)
left = weakref.ref(page)
del page
before = left() is not None
conf.post_request(worker=None, req=None, environ={}, resp=None)
print(json.dumps([before, left() is not None]))
"""
)


def test_a_gunicorn_worker_frees_a_request_s_cyclic_garbage_once_it_has_answered():
    alive_before, alive_after = json.loads(run_python(COLLECTED))
    assert (alive_before, alive_after) == (True, False)


MAPPED = (
    GUNICORN_CONF
    + """
import ctypes, json
if HOOKED:
    conf.post_worker_init(worker=None)


def in_heap(block):
    address = ctypes.addressof((ctypes.c_char * len(block)).from_buffer(block))
    for line in open("/proc/self/maps"):
        span, *rest = line.split()
        start, end = (int(bound, 16) for bound in span.split("-"))
        if start <= address < end:
            return rest[-1] == "[heap]"
    return False


freed = bytearray(8 * 1024 * 1024)  # glibc raises its threshold to this when it is freed
del freed
page = bytearray(1024 * 1024)  # a megabyte page after that
print(json.dumps(in_heap(page)))
"""
)


def test_a_gunicorn_worker_keeps_megabyte_pages_out_of_the_heap():
    # Without the hook, a large block freed makes glibc cut the next ones from the heap,
    # whose holes keep the worker's memory up (the image, like this machine, runs on glibc).
    assert json.loads(run_python("HOOKED = False" + MAPPED)) is True
    assert json.loads(run_python("HOOKED = True" + MAPPED)) is False
