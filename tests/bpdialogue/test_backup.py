"""backup_data and restore_data: the demo data and a stored document survive the round trip."""

import tarfile

import pytest
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

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
