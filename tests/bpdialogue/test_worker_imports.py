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
]

STARTUP = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpdialogue.settings")
from bpdialogue.wsgi import application
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as the first request loads them
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_a_web_worker_starts_without_the_libraries_of_exports_and_tasks():
    env = {**os.environ, "SECRET_KEY": "test-only", "DJANGO_SETTINGS_MODULE": "bpdialogue.settings"}
    result = subprocess.run(
        [sys.executable, "-c", STARTUP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert loaded & set(LOADED_ON_USE) == set()
    assert "django" in loaded  # the probe did start the application
