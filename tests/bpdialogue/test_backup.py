"""backup_data and restore_data: the demo data and a stored document survive the round trip."""

import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from bpdialogue.backup import _backed_up_models
from meetings.models import Document, Meeting
from meetings.selectors import meeting_attendance
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, list]:
    """Every backed-up row, as the serializer sees it (users and content types by natural key,
    so ids of rows `migrate` recreates do not matter)."""
    return {
        model._meta.label: serializers.serialize(
            "python",
            model._default_manager.order_by("pk"),
            use_natural_foreign_keys=True,
        )
        for model in _backed_up_models()
    }


@pytest.fixture
def demo_with_document(demo):
    clerk = UserFactory(secretariat=True, username="clerk")
    document = DocumentFactory(
        meeting=demo, kind=Document.Kind.SUMMARY, title="Summary/conclusions", uploaded_by=clerk
    )
    document.title = "Summary/conclusions of the 24th SOM"
    document.save()  # a second history row
    return demo, document


# A real transaction: PostgreSQL refuses to empty tables inside the test's wrapping one.
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_everything_back(
    demo_with_document, tmp_path
):
    meeting, document = demo_with_document
    before = snapshot()
    paragraph = meeting_attendance(meeting=meeting).paragraph()
    file_name, file_bytes = document.file.name, document.file.read()
    archive = tmp_path / "backup.tar.gz"

    call_command("backup_data", output=str(archive), verbosity=0)
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "data.bpjson", f"files/{file_name}"} <= set(tar.getnames())

    call_command("flush", interactive=False, verbosity=0)
    default_storage.delete(file_name)
    assert not Meeting.objects.exists()

    call_command("restore_data", str(archive), verbosity=0)

    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    # Not vacuous: the demo is hundreds of rows over dozens of models, history included.
    assert sum(len(rows) for rows in after.values()) > 500
    assert len(after["meetings.HistoricalDocument"]) == 2
    restored = Meeting.objects.get(pk=meeting.pk)
    assert meeting_attendance(meeting=restored).paragraph() == paragraph
    with default_storage.open(file_name, "rb") as handle:
        assert handle.read() == file_bytes


def test_restore_refuses_a_database_that_holds_data(demo, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_data", output=str(archive), verbosity=0)
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore_data", str(archive), verbosity=0)


def test_restore_refuses_something_that_is_not_a_backup(db, tmp_path):
    archive = tmp_path / "other.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(__file__, arcname="notes.txt")
    with pytest.raises(CommandError, match="The archive has no manifest.json"):
        call_command("restore_data", str(archive), verbosity=0)


# Each restore waits, set up, for the gate to open, so that the three overlap.
RESTORE_AT_THE_GATE = """
import sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import execute_from_command_line
gate, archive = Path(sys.argv[1]), sys.argv[2]
(gate.parent / (gate.name + "." + sys.argv[3])).touch()
while not gate.exists():
    time.sleep(0.005)
execute_from_command_line(["manage.py", "restore_data", archive])
"""


def restores_at_once(archive: Path, gate: Path, count: int) -> list[subprocess.CompletedProcess]:
    """`count` restore_data processes into this test's database, started at one moment."""
    # The server and credentials of DATABASE_URL, and the test database pytest made there.
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{connection.settings_dict['NAME']}")
    env = {
        **os.environ,
        "DATABASE_URL": url.geturl(),
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "DJANGO_SETTINGS_MODULE": "bpdialogue.settings",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RESTORE_AT_THE_GATE, str(gate), str(archive), str(number)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(count)
    ]
    deadline = time.monotonic() + 60
    while len(list(gate.parent.glob(gate.name + ".*"))) < count:
        assert time.monotonic() < deadline, "the restores did not start"
        time.sleep(0.01)
    gate.touch()
    return [
        subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate())
        for p in processes
    ]


# SQLite writes one transaction at a time; PostgreSQL lets three restores overlap.
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_three_restores_at_once_into_one_empty_database_one_wins_and_two_are_refused(
    demo_with_document, tmp_path
):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_data", output=str(archive), verbosity=0)
    rows = sum(len(rows) for rows in snapshot().values())
    call_command("flush", interactive=False, verbosity=0)

    finished = restores_at_once(archive, tmp_path / "gate", 3)

    for number, process in enumerate(finished):
        said = (process.stderr if process.returncode else process.stdout).strip().splitlines()[-1]
        print(f"restore {number}: exit {process.returncode}: {said}")
    won = [p for p in finished if p.returncode == 0]
    refused = [p for p in finished if p.returncode != 0]
    assert len(won) == 1 and won[0].stdout.startswith("Restored ")
    for process in refused:
        assert "Traceback" not in process.stderr and "IntegrityError" not in process.stderr
        said = process.stderr.splitlines()[-1]  # after the apps' start-up logging
        assert said.startswith("CommandError: ")
        assert "nothing was restored" in said or "The database is not empty" in said
    assert sum(len(rows) for rows in snapshot().values()) == rows
