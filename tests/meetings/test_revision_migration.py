"""meetings 0004 adds the constraint on uploaded documents' revision numbers to a database
where uploads sent at once may already share one: the later of two moves up past it.

Run in its own process, on a database migrated to the migration before it (tests/own_process.py)."""

import datetime
import json
import sys
from pathlib import Path

from tests.own_process import django_on, migrated_to, run_in_own_process

BEFORE = ("meetings", "0003_registrations")
AFTER = ("meetings", "0004_document_revision_unique")


def test_duplicate_revisions_left_by_a_race_are_numbered_apart(tmp_path):
    revisions = run_in_own_process("tests.meetings.test_revision_migration", tmp_path / "db")

    # In the order they were stored.
    assert revisions == {
        "Slides": [1, 2, 3, 4],  # were 1, 2, 2, 3
        "Concept note": [1, 3],  # a gap (revision 2 deleted) is no duplicate
        "Slides in French": [1, 2],
        "Agenda (generated)": [1, 1],  # generated documents are not constrained
    }


def main(database: Path) -> dict:
    django_on(database)
    apps = migrated_to(BEFORE)
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

    Document = migrated_to(AFTER).get_model("meetings", "Document")
    revisions = {}
    for title, pk in stored:
        revisions.setdefault(title, []).append(Document.objects.get(pk=pk).revision)
    return revisions


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
