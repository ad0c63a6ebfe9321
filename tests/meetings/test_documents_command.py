"""`manage.py render_documents`: renders in its own process and prints what it stored."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.models import Document


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command("render_documents", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().split()


def test_renders_one_kind_of_one_meeting_and_prints_the_stored_path(demo):
    paths = run("--meeting", demo.slug, "--kind", "agenda")

    assert len(paths) == 1 and Path(paths[0]).read_bytes().startswith(b"%PDF-")
    document = Document.objects.get(meeting=demo, kind="agenda")
    assert paths[0] == document.file.path
    # Unchanged content: the same file again, no second revision.
    assert run("--meeting", str(demo.pk), "--kind", "agenda") == paths
    assert Document.objects.filter(meeting=demo).count() == 1


def test_all_meetings_get_the_requested_kind(demo):
    from meetings.models import Meeting

    paths = run("--all", "--kind", "participants")

    assert len(paths) == Meeting.objects.count()
    assert all(Path(path).exists() for path in paths)


def test_an_unknown_meeting_is_an_error(db):
    with pytest.raises(CommandError, match="No meeting 'no-such-meeting'"):
        run("--meeting", "no-such-meeting")
