"""meetings 0004 adds the constraint on uploaded documents' revision numbers to a database
where uploads sent at once may already share one: the later of two moves up past it.

The suite's SQLite database is built from the models (where the constraint already holds), so
the migration runs in its own process (this module, run with `python -m`) on a database
migrated from zero to the migration before it."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BEFORE = ("meetings", "0003_registrations")
AFTER = ("meetings", "0004_document_revision_unique")


def test_duplicate_revisions_left_by_a_race_are_numbered_apart(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "tests.meetings.test_revision_migration", str(tmp_path / "db")],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bpdialogue.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    revisions = json.loads(done.stdout.strip().splitlines()[-1])

    # In the order they were stored.
    assert revisions == {
        "Slides": [1, 2, 3, 4],  # were 1, 2, 2, 3
        "Concept note": [1, 3],  # a gap (revision 2 deleted) is no duplicate
        "Slides in French": [1, 2],
        "Agenda (generated)": [1, 1],  # generated documents are not constrained
    }


def main(database: Path) -> dict:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    dialogue = apps.get_model("participants", "Dialogue").objects.create(
        name="Budapest Process", acronym="BP", slug="bp"
    )
    meeting = apps.get_model("meetings", "Meeting").objects.create(
        dialogue=dialogue,
        kind="senior_officials",
        title="24th SOM",
        slug="som-24",
        start_date=datetime.date(2016, 12, 15),
        end_date=datetime.date(2016, 12, 15),
        city="Antalya",
    )
    Document = apps.get_model("meetings", "Document")
    stored = []
    for title, revision, language, generated in [
        ("Slides", 1, "en", False),
        ("Slides", 2, "en", False),
        ("Slides", 2, "en", False),
        ("Slides", 3, "en", False),
        ("Concept note", 1, "en", False),
        ("Concept note", 3, "en", False),
        ("Slides in French", 1, "fr", False),
        ("Slides in French", 2, "fr", False),
        ("Agenda (generated)", 1, "en", True),
        ("Agenda (generated)", 1, "en", True),
    ]:
        document = Document.objects.create(
            meeting=meeting,
            kind="presentation",
            title=title,
            language=language,
            file="documents/2016/paper.pdf",
            revision=revision,
            generated=generated,
        )
        stored.append((title, document.pk))

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    Document = executor.loader.project_state([AFTER]).apps.get_model("meetings", "Document")
    revisions = {}
    for title, pk in stored:
        revisions.setdefault(title, []).append(Document.objects.get(pk=pk).revision)
    return revisions


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
