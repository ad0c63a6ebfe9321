"""Uploads are checked without expanding them, and each upload of a paper takes its own
revision number, also when twelve arrive at once."""

import io
import struct
import threading
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from meetings import documents
from meetings.models import Document
from tests.factories import DocumentFactory, MeetingFactory, UserFactory
from tests.meetings.test_documents import upload, zip_file

ODT = "application/vnd.oasis.opendocument.text"
MiB = 1024**2


def odt_bomb(*, expands_to: int = 200 * MiB, declares: int | None = None) -> bytes:
    """A small .odt whose `mimetype` names the right type, then runs on in spaces for
    `expands_to` bytes: a check that read it whole and stripped it would accept it. With
    `declares`, its headers understate that size (as a crafted file's may)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        info = zipfile.ZipInfo("mimetype", date_time=(2016, 12, 15, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with package.open(info, "w") as entry:
            entry.write(ODT.encode())
            spaces = b" " * MiB
            for left in range(expands_to - len(ODT), 0, -MiB):
                entry.write(spaces[:left])
        package.writestr("content.xml", "<office:document-content/>")
    data = bytearray(buffer.getvalue())
    if declares is not None:
        # The uncompressed size in the local header (offset 22) and the directory's (24).
        local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
        struct.pack_into("<I", data, local + 22, declares)
        struct.pack_into("<I", data, central + 24, declares)
    return bytes(data)


def held_while(call) -> tuple[int, Exception | None]:
    """The peak of memory allocated while `call` runs, and what it raised."""
    tracemalloc.start()
    raised = None
    try:
        call()
    except Exception as error:
        raised = error
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, raised


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return odt_bomb()


def test_a_decompression_bomb_is_refused_by_its_declared_size_without_expanding_it(db, bomb):
    meeting = MeetingFactory()
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo("mimetype").file_size == 200 * MiB

    peak, refused = held_while(lambda: upload(meeting, "note.odt", bomb))

    print(f"a {len(bomb) / 1024:.0f} KB .odt expanding to 200 MiB: {peak / MiB:.2f} MiB held")
    assert isinstance(refused, ValidationError), refused
    (message,) = refused.message_dict["file"]
    assert message.startswith("Its part mimetype would expand")
    assert "to 200.0\xa0MB" in message and "decompression bomb" in message
    assert peak < 20 * MiB
    assert not Document.objects.exists()


def test_a_bomb_whose_headers_understate_it_is_read_no_further_than_a_few_kilobytes(db):
    meeting = MeetingFactory()
    # Exactly 1 MiB declared: too small for the ratio to count, so only reading tells.
    understated = odt_bomb(declares=MiB)

    peak, refused = held_while(lambda: upload(meeting, "note.odt", understated))

    print(f"a bomb declaring 1 MiB, expanding to 200 MiB: {peak / MiB:.2f} MiB held")
    assert isinstance(refused, ValidationError), refused
    (message,) = refused.message_dict["file"]
    assert message.startswith("Its part mimetype holds more than 4.0\xa0KB.")
    assert peak < 20 * MiB


def test_a_package_listing_more_parts_than_an_office_file_has_is_refused(db):
    meeting = MeetingFactory()
    crowded = zip_file({"mimetype": ODT, **{f"part{n}.xml": "" for n in range(10_000)}})

    with pytest.raises(ValidationError) as error:
        upload(meeting, "note.odt", crowded)

    assert error.value.message_dict["file"][0].startswith("It lists 10,001 parts")


def test_a_package_whose_directory_points_outside_it_is_not_an_office_file(db):
    damaged = bytearray(zip_file({"mimetype": ODT, "content.xml": "<document/>"}))
    # The end record's offset of the directory (a fuzzed byte found this 500).
    struct.pack_into("<I", damaged, damaged.rfind(b"PK\x05\x06") + 16, 0xFFFFFFFF)

    with pytest.raises(ValidationError) as error:
        upload(MeetingFactory(), "note.odt", bytes(damaged))

    assert error.value.message_dict["file"] == [
        "The file is called .odt but its content is not a .odt file."
    ]


def test_a_package_in_a_compression_zipfile_cannot_read_is_not_an_office_file(db):
    packed = bytearray(zip_file({"mimetype": ODT, "content.xml": "<document/>"}))
    # The `mimetype` part's compression method, in its local header (offset 8) and the
    # directory (10): 99 is none that zipfile knows, so reading it raises NotImplementedError.
    struct.pack_into("<H", packed, packed.find(b"PK\x03\x04") + 8, 99)
    struct.pack_into("<H", packed, packed.find(b"PK\x01\x02") + 10, 99)

    with pytest.raises(ValidationError) as error:
        upload(MeetingFactory(), "note.odt", bytes(packed))

    assert error.value.message_dict["file"] == [
        "The file is called .odt but its content is not a .odt file."
    ]


def test_the_workspace_refuses_a_bomb_at_the_file_field(client, db, bomb):
    client.force_login(UserFactory(secretariat=True))
    meeting = MeetingFactory()

    response = client.post(
        reverse("secretariat:meeting-documents", kwargs={"slug": meeting.slug}),
        {
            "upload-kind": "presentation",
            "upload-title": "Slides",
            "upload-language": "en",
            "upload-visibility": "public",
            "upload-file": SimpleUploadedFile("note.odt", bomb, content_type=ODT),
        },
    )

    assert response.status_code == 400
    assert "decompression bomb" in " ".join(response.context["upload_form"].errors["file"])
    assert "decompression bomb" in response.content.decode()
    assert not meeting.documents.exists()


# -- revision numbers -----------------------------------------------------------------------


def test_a_revision_number_taken_meanwhile_is_refused_with_a_reason(db, monkeypatch):
    meeting = MeetingFactory()
    upload(meeting, "slides.pdf", b"%PDF-1.7 first")
    monkeypatch.setattr(documents, "_next_revision", lambda **same: 1)

    with pytest.raises(ValidationError) as error:
        upload(meeting, "slides.pdf", b"%PDF-1.7 second")

    assert error.value.message_dict["revision"] == [
        "Return and reintegration in practice already has a revision 1; upload it again to "
        "store it as the next one."
    ]
    assert meeting.documents.count() == 1


def test_the_database_refuses_a_second_revision_with_the_same_number(db):
    first = DocumentFactory(revision=1)
    same = {"meeting": first.meeting, "kind": first.kind, "title": first.title}
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(**same, revision=1)
    # Other languages, other titles and generated documents number their own revisions.
    DocumentFactory(**same, revision=1, language="fr")
    DocumentFactory(**{**same, "title": "Another paper"}, revision=1)
    DocumentFactory(**same, revision=1, generated=True)


# SQLite writes one transaction at a time: only PostgreSQL lets the uploads overlap.
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_twelve_uploads_of_one_title_at_once_are_revisions_one_to_twelve():
    meeting = MeetingFactory()
    start = threading.Barrier(12)
    outcome = {}

    def send(number):
        start.wait()
        try:
            outcome[number] = upload(meeting, "slides.pdf", f"%PDF-1.7 {number}".encode())
        except Exception as error:
            outcome[number] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(number,)) for number in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    failed = {n: error for n, error in outcome.items() if isinstance(error, Exception)}
    assert not failed, failed
    revisions = sorted(meeting.documents.values_list("revision", flat=True))
    print(f"twelve uploads at once stored revisions {revisions}")
    assert revisions == list(range(1, 13))
