"""Documents go through Django's storage API only, so any web or worker host serves what any
other stored: on this host's disk in the main pass, in a bucket of a local S3 server in the
S3 pass of .ci/run (DOCUMENTS_STORAGE=s3). Render a PDF, download it through the access
policy, back it up and restore it."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command

from meetings import documents
from meetings.models import Document, Meeting, RenderJob
from tests.api.conftest import key_client
from tests.factories import AgendaItemFactory, DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db

ON_S3 = settings.DOCUMENTS_STORAGE == "s3"


def in_bucket(name: str) -> bool:
    """Is the object there, asked of the S3 server itself, not through the storage?"""
    storage = default_storage
    client = storage.connection.meta.client
    listed = client.list_objects_v2(Bucket=storage.bucket_name, Prefix=f"{storage.location}/")
    return f"{storage.location}/{name}" in {entry["Key"] for entry in listed.get("Contents", [])}


def local_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def agenda(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT, visibility="participants")
    AgendaItemFactory(meeting=meeting, title="Return and reintegration")
    with django_capture_on_commit_callbacks(execute=True):
        job = documents.document_request_render(meeting=meeting, kind=Document.Kind.AGENDA)
    job.refresh_from_db()
    assert job.status == RenderJob.Status.SUCCEEDED, job.error
    return job.document


def test_a_rendered_pdf_is_stored_whole_through_the_storage(agenda):
    with default_storage.open(agenda.file.name, "rb") as handle:
        pdf = handle.read()

    assert pdf.startswith(b"%PDF-") and len(pdf) == agenda.size
    assert hashlib.sha256(pdf).hexdigest() == agenda.sha256
    if ON_S3:
        assert in_bucket(agenda.file.name)
        assert local_files() == [], "nothing of the document is on this host's disk"


def test_the_download_streams_from_the_storage_through_the_access_policy(client, agenda):
    documents.document_publish(document=agenda, by=None)
    with default_storage.open(agenda.file.name, "rb") as handle:
        stored = handle.read()
    portal = f"/documents/{agenda.uid}/"
    api = f"/api/v1/documents/{agenda.uid}/file/"

    # A participants-only meeting's agenda: not for anyone else.
    assert client.get(portal).status_code == 404
    assert key_client("read:public").get(api).status_code == 404

    delegate = key_client("read:participants", dialogue=agenda.meeting.dialogue)
    response = delegate.get(api)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert response["ETag"] == f'"{agenda.sha256}"'


def test_an_upload_goes_to_the_storage_under_a_name_of_its_own(agenda):
    first = DocumentFactory(meeting=agenda.meeting, file__filename="paper.pdf")
    second = DocumentFactory(meeting=agenda.meeting, file__filename="paper.pdf")

    assert first.file.name != second.file.name
    for document in (first, second):
        with default_storage.open(document.file.name, "rb") as handle:
            assert handle.read() == b"%PDF-1.4 test"
        assert not ON_S3 or in_bucket(document.file.name)


# A real transaction: PostgreSQL refuses to empty tables inside the test's wrapping one.
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_bring_back_every_stored_file(agenda, tmp_path):
    upload = DocumentFactory(meeting=agenda.meeting)
    files = {}
    for document in (agenda, upload):
        with default_storage.open(document.file.name, "rb") as handle:
            files[document.file.name] = handle.read()
    archive = tmp_path / "backup.tar.gz"

    call_command("backup_data", output=str(archive), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    for name in files:
        default_storage.delete(name)
        assert not default_storage.exists(name)
    call_command("restore_data", str(archive), verbosity=0)

    assert set(Document.objects.values_list("file", flat=True)) == set(files)
    for name, content in files.items():
        with default_storage.open(name, "rb") as handle:
            assert handle.read() == content
        assert not ON_S3 or in_bucket(name)


S3_SETTINGS = """
from django.conf import settings
default = settings.STORAGES["default"]
print(default["BACKEND"])
print(sorted(default["OPTIONS"].items()))
"""


def settings_with(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{S3_SETTINGS}"],
        env={
            "PATH": "/usr/bin:/bin",
            "SECRET_KEY": "x",
            "DJANGO_SETTINGS_MODULE": "bpdialogue.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_documents_storage_s3_takes_its_settings_from_the_environment():
    configured = settings_with(
        DOCUMENTS_STORAGE="s3",
        S3_BUCKET="bpdialogue-documents",
        S3_ENDPOINT_URL="http://minio:9000",
        S3_REGION="eu-central-1",
        S3_ADDRESSING_STYLE="path",
    )
    assert configured.returncode == 0, configured.stderr
    backend, options = configured.stdout.splitlines()
    assert backend == "storages.backends.s3.S3Storage"
    for option in (
        "('bucket_name', 'bpdialogue-documents')",
        "('endpoint_url', 'http://minio:9000')",
        "('region_name', 'eu-central-1')",
        "('addressing_style', 'path')",
        "('default_acl', None)",
        "('querystring_auth', False)",
        "('file_overwrite', False)",
    ):
        assert option in options

    local = settings_with()
    assert local.stdout.splitlines()[0] == "django.core.files.storage.FileSystemStorage"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DOCUMENTS_STORAGE": "s3"}, "DOCUMENTS_STORAGE=s3 needs S3_BUCKET"),
        ({"DOCUMENTS_STORAGE": "ftp"}, "DOCUMENTS_STORAGE is 'local' or 's3', not 'ftp'."),
    ],
)
def test_an_incomplete_storage_setting_stops_the_start_with_the_reason(env, message):
    refused = settings_with(**env)
    assert refused.returncode != 0 and message in refused.stderr


def test_the_render_command_says_where_it_stored_the_file(capsys):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    AgendaItemFactory(meeting=meeting, title="Return and reintegration")

    call_command("render_documents", "--meeting", meeting.slug, "--kind", "agenda")

    stored = Document.objects.get(meeting=meeting, kind=Document.Kind.AGENDA).file.name
    where = capsys.readouterr().out.strip().splitlines()[-1]
    # A bucket has names, not paths: the command prints the object's name there.
    assert where == (stored if ON_S3 else str(Path(settings.MEDIA_ROOT) / stored))
