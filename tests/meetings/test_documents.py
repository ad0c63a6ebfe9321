"""The meeting's documents: generated as PDF from the record, stored once per content, and
served only through the access policy."""

import difflib
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.urls import reverse
from pypdf import PdfReader

from meetings import documents, rendering, services
from meetings.models import Document, Meeting, Registration, RenderJob
from tests.factories import (
    AgendaItemFactory,
    ConclusionFactory,
    DelegationFactory,
    MeetingFactory,
    PersonFactory,
    StatementFactory,
    UserFactory,
    delegate_user,
)

REFERENCE = "000_065bc013c54df5d8.txt"
# A list marker at the start of a reference line: "1.", "- i.", "-".
LINE_MARKER = re.compile(r"^\s*(?:-\s*)?(?:(?:\d+|[ivxl]+)\.\s+)?")
# Tokens that are list markers or dashes in either text; both sides lose them alike.
MARKER_TOKEN = re.compile(r"(?<!\S)(?:\d+\.|[ivxl]+\.|[–-])(?!\S)")


def normalise(text: str) -> str:
    text = text.replace("**", "").replace("\u00ad", "")
    text = MARKER_TOKEN.sub(" ", text)
    return " ".join(text.split())


def reference_units() -> list[str]:
    """The reference's paragraphs and sub-points, in order, without their markers."""
    lines = (Path(settings.REFERENCE_DIR) / REFERENCE).read_text(encoding="utf-8").splitlines()
    units = [normalise(LINE_MARKER.sub("", line)) for line in lines]
    return [unit for unit in units if unit]


def pdf_text(document: Document, meeting: Meeting) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    pages = [page.extract_text() for page in reader.pages]
    # The running footer ("Budapest Process · <title>  1 / 4") sits between the pages' texts.
    footer = re.compile(
        re.escape(f"{meeting.dialogue.name} · {meeting.title}")
        + r"(?: · Revision \d+, issued \d+ \w+ \d{4})?\s*\d+\s*/\s*\d+"
    )
    text = footer.sub(" ", "\n".join(pages))
    # A line that ends at a word's own hyphen ("needs-|based") is one word; the layout never
    # hyphenates by itself (hyphens: manual).
    return normalise(re.sub(r"-\s*\n", "-", text))


def render(meeting, kind, capture, **kwargs) -> RenderJob:
    with capture(execute=True):
        job = documents.document_request_render(meeting=meeting, kind=kind, **kwargs)
    job.refresh_from_db()
    return job


def generated_files(folder: str = documents.GENERATED_DIR) -> list[str]:
    """The names of the generated documents' files, in a folder or a bucket."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    inside = [name for sub in folders for name in generated_files(f"{folder}/{sub}")]
    return sorted([f"{folder}/{name}" for name in files] + inside)


def temporary_files(job: RenderJob) -> list[Path]:
    """What renders of `job` left on this host's disk."""
    return list(documents._temporary_path(job).parent.glob(f"{job.uid}.*"))


def test_summary_of_the_24th_meeting_reads_as_the_reference(
    demo, django_capture_on_commit_callbacks
):
    # The record published in 2016 (revision 1) issued again from the data, as revision 2.
    note = "Issued from the record kept here."
    with django_capture_on_commit_callbacks(execute=True):
        for status in (Meeting.RecordStatus.REOPENED, Meeting.RecordStatus.PUBLISHED):
            services.meeting_set_record_status(meeting=demo, status=status, by=None, reason=note)
    job = demo.render_jobs.get(purpose=RenderJob.Purpose.ISSUE)

    assert job.status == RenderJob.Status.SUCCEEDED, job.error
    text = pdf_text(job.document, demo)
    units = reference_units()
    similarity = difflib.SequenceMatcher(None, " ".join(units), text, autojunk=False).ratio()
    cursor, missing = 0, []
    for unit in units:
        found = text.find(unit, cursor)
        if found < 0:
            missing.append(unit[:100])
        else:
            cursor = found + len(unit)
    assert not missing, f"similarity {similarity:.3f}; not found in order: {missing}"
    assert similarity > 0.95, f"similarity to the reference only {similarity:.3f}"


def test_summary_numbers_paragraphs_and_sub_points_as_the_reference(
    demo, django_capture_on_commit_callbacks
):
    job = render(demo, Document.Kind.SUMMARY, django_capture_on_commit_callbacks)
    with job.document.file.open("rb") as handle:
        raw = "\n".join(page.extract_text() for page in PdfReader(handle).pages)

    # Nine numbered paragraphs: attendance, seven agenda items, the conclusions.
    numbers = [int(n) for n in re.findall(r"^(\d+)\.\s", raw, flags=re.MULTILINE)]
    assert numbers == list(range(1, 10))
    assert "viii." in raw  # the eighth statement of the discussion
    # The action-points table only when the secretariat chooses it (test_summary_pdf.py).
    assert "Action points" not in raw and "Istanbul" in raw


def test_summary_queries_do_not_grow_with_the_meeting(demo, django_assert_num_queries):
    # The meeting, its delegations, its record (agenda, statements, conclusions, action
    # points, the places of the speakers, presenters and responsible in one query: all of
    # them delegations), and the dated names of every participant in one query (not one per
    # list, nor again for the attendance).
    with django_assert_num_queries(8):
        rendering.document_source(meeting=demo, kind=Document.Kind.SUMMARY)
    for position in range(10, 20):
        item = AgendaItemFactory(meeting=demo, position=position)
        sub_item = AgendaItemFactory(meeting=demo, parent=item, position=1)
        for speaker in demo.delegations.all()[:3]:
            StatementFactory(agenda_item=sub_item, speakers=[speaker.participant])
    with django_assert_num_queries(8):
        rendering.document_source(meeting=demo, kind=Document.Kind.SUMMARY)


def test_agenda_lists_items_sessions_and_presenters(demo, django_capture_on_commit_callbacks):
    job = render(demo, Document.Kind.AGENDA, django_capture_on_commit_callbacks)
    text = pdf_text(job.document, demo)

    assert "Agenda" in text and "Antalya, 15 December 2016" in text
    for item in demo.agenda_items.filter(parent=None):
        assert normalise(item.title) in text
        assert normalise(item.session_label) in text
    assert "Presented by Turkey" in text  # the name in force in 2016


def test_list_of_participants_names_delegates_but_never_their_contacts(
    demo, django_capture_on_commit_callbacks
):
    delegation = demo.delegations.get(participant__iso_code="MK")
    delegate = PersonFactory(
        given_name="Elena",
        family_name="Petrovska",
        position="Head of Unit, Ministry of Interior",
        email="elena.petrovska@example.org",
        phone="+389 2 312 3456",
    )
    Registration.objects.create(
        meeting=demo,
        participant=delegation.participant,
        person=delegate,
        status=Registration.Status.CONFIRMED,
    )

    job = render(demo, Document.Kind.PARTICIPANTS, django_capture_on_commit_callbacks)
    text = pdf_text(job.document, demo)

    assert "50 participants from 22 countries and 5 organisations" in text
    assert "the former Yugoslav Republic of Macedonia" in text
    assert "North Macedonia" not in text
    assert "Elena Petrovska" in text and "Head of Unit, Ministry of Interior" in text
    assert "International Organization for Migration" in text
    assert "example.org" not in text and "312 3456" not in text and "@" not in text


@pytest.fixture
def draft_meeting(db):
    """A small meeting whose record is still a draft: rendered without PDF/A, quickly."""
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    item = AgendaItemFactory(
        meeting=meeting, position=1, record="The floor was opened for discussion."
    )
    StatementFactory(agenda_item=item, text="Germany welcomed the proposed cooperation.")
    ConclusionFactory(meeting=meeting, text="Participating states supported the conference.")
    return meeting


def test_same_content_gives_the_same_stored_file(draft_meeting, django_capture_on_commit_callbacks):
    first = render(draft_meeting, Document.Kind.SUMMARY, django_capture_on_commit_callbacks)
    second = render(draft_meeting, Document.Kind.SUMMARY, django_capture_on_commit_callbacks)

    assert second.status == RenderJob.Status.SUCCEEDED
    assert second.document_id == first.document_id
    assert Document.objects.filter(meeting=draft_meeting).count() == 1
    assert len(generated_files()) == 1
    stored = first.document
    assert stored.size == default_storage.size(stored.file.name)
    assert temporary_files(first) == []
    assert len(stored.sha256) == 64 and stored.generated and stored.published_at is None


def test_an_edit_gives_a_new_revision_and_keeps_the_old(
    draft_meeting, django_capture_on_commit_callbacks
):
    first = render(draft_meeting, Document.Kind.SUMMARY, django_capture_on_commit_callbacks)
    conclusion = draft_meeting.conclusions.get()
    conclusion.text = "Participating states unanimously supported a Ministerial Conference."
    conclusion.save()

    second = render(draft_meeting, Document.Kind.SUMMARY, django_capture_on_commit_callbacks)

    first, second = first.document, second.document
    assert second.pk != first.pk
    assert (first.revision, second.revision) == (1, 2)
    assert second.source_hash != first.source_hash and second.sha256 != first.sha256
    assert default_storage.exists(first.file.name) and default_storage.exists(second.file.name)
    assert "unanimously supported" in pdf_text(second, draft_meeting)
    assert "unanimously supported" not in pdf_text(first, draft_meeting)


def test_adopted_record_is_rendered_as_pdfa(demo, django_capture_on_commit_callbacks):
    demo.record_status = Meeting.RecordStatus.ADOPTED
    demo.save()

    job = render(demo, Document.Kind.SUMMARY, django_capture_on_commit_callbacks, archival=False)

    assert job.archival and job.document.is_archival
    with job.document.file.open("rb") as handle:
        xmp = PdfReader(handle).xmp_metadata
        assert xmp is not None
        assert b"pdfaid:part" in xmp.stream.get_data()


def test_draft_record_is_pdfa_only_when_asked(draft_meeting, django_capture_on_commit_callbacks):
    meeting = draft_meeting
    plain = render(meeting, Document.Kind.SUMMARY, django_capture_on_commit_callbacks)
    archival = render(
        meeting, Document.Kind.SUMMARY, django_capture_on_commit_callbacks, archival=True
    )

    assert not plain.document.is_archival and archival.document.is_archival
    assert plain.document_id != archival.document_id


def test_a_failed_render_marks_the_job_and_leaves_no_file(
    draft_meeting, django_capture_on_commit_callbacks, monkeypatch
):
    demo = draft_meeting

    def broken(html, *, archival=False):
        raise RuntimeError("the font could not be embedded")

    monkeypatch.setattr(rendering, "html_to_pdf", broken)
    job = render(demo, Document.Kind.SUMMARY, django_capture_on_commit_callbacks)

    assert job.status == RenderJob.Status.FAILED
    assert job.error == "RuntimeError: the font could not be embedded"
    assert job.attempts == 1 and job.finished_at is not None and job.document is None
    assert not Document.objects.filter(meeting=demo).exists()
    assert generated_files() == [] and temporary_files(job) == []


def test_a_transient_error_is_retried(
    draft_meeting, django_capture_on_commit_callbacks, monkeypatch
):
    demo = draft_meeting
    real = rendering.html_to_pdf
    calls = []

    def flaky(html, *, archival=False):
        calls.append(archival)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(html, archival=archival)

    monkeypatch.setattr(rendering, "html_to_pdf", flaky)
    job = render(demo, Document.Kind.AGENDA, django_capture_on_commit_callbacks)

    assert job.status == RenderJob.Status.SUCCEEDED, job.error
    assert job.attempts == 2 and len(calls) == 2
    assert len(generated_files()) == 1


def test_a_finished_job_delivered_again_does_nothing(
    draft_meeting, django_capture_on_commit_callbacks
):
    demo = draft_meeting
    job = render(demo, Document.Kind.AGENDA, django_capture_on_commit_callbacks)

    again = documents.document_render(job_id=job.pk)

    assert again.attempts == 1 and again.document_id == job.document_id
    assert len(generated_files()) == 1


def test_only_generated_kinds_can_be_requested(demo):
    with pytest.raises(ValidationError) as error:
        documents.document_request_render(meeting=demo, kind=Document.Kind.PRESENTATION)
    assert "kind" in error.value.message_dict


# -- downloads and job status ---------------------------------------------------------------


@pytest.fixture
def agenda(draft_meeting, django_capture_on_commit_callbacks):
    # An agenda may be published before the meeting; a Summary/conclusions only with its record.
    return render(draft_meeting, Document.Kind.AGENDA, django_capture_on_commit_callbacks).document


def download(client, document):
    return client.get(reverse("document-download", kwargs={"uid": document.uid}))


def test_the_secretariat_downloads_an_unpublished_document(client, agenda):
    client.force_login(UserFactory(secretariat=True))

    response = download(client, agenda)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "agenda" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_unpublished_document_does_not_exist_for_others(client, agenda):
    assert download(client, agenda).status_code == 404
    client.force_login(delegate_user(agenda.meeting.dialogue))
    assert download(client, agenda).status_code == 404


def test_a_published_public_document_is_downloaded_by_anyone(client, agenda):
    documents.document_publish(document=agenda, by=None)

    response = download(client, agenda)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_the_portal_and_the_api_stream_the_same_file_each_with_its_own_headers(client, agenda):
    client.force_login(UserFactory(secretariat=True))

    portal = download(client, agenda)
    api = client.get(f"/api/v1/documents/{agenda.uid}/file/")

    assert b"".join(portal.streaming_content) == b"".join(api.streaming_content)
    # The portal's link opens a PDF in the browser under the document's title; partners save
    # the stored file and revalidate it by its checksum.
    assert portal["Content-Disposition"].startswith("inline") and "ETag" not in portal
    assert api["Content-Disposition"].startswith("attachment")
    assert api["ETag"] == f'"{agenda.sha256}"' and api["Last-Modified"]
    assert portal["Cache-Control"] == api["Cache-Control"] == "private, no-cache"


def test_a_document_whose_file_is_gone_is_not_found_in_the_portal_nor_the_api(client, agenda):
    client.force_login(UserFactory(secretariat=True))
    default_storage.delete(agenda.file.name)

    assert download(client, agenda).status_code == 404
    api = client.get(f"/api/v1/documents/{agenda.uid}/file/", HTTP_ACCEPT="application/json")
    assert api.status_code == 404
    assert api.json()["error"]["message"] == "The document's file is missing."


def test_participants_documents_are_for_the_dialogues_delegates(client, agenda):
    agenda.visibility = "participants"
    agenda.save()
    documents.document_publish(document=agenda, by=None)

    assert download(client, agenda).status_code == 404
    client.force_login(UserFactory())
    assert download(client, agenda).status_code == 404
    client.force_login(delegate_user(agenda.meeting.dialogue))
    assert download(client, agenda).status_code == 200


def test_an_unpublished_document_is_withdrawn(client, agenda):
    documents.document_publish(document=agenda, by=None)
    documents.document_unpublish(document=agenda, by=None)

    assert download(client, agenda).status_code == 404


def test_an_unknown_document_is_404(client, db):
    client.force_login(UserFactory(secretariat=True))
    response = client.get(
        reverse("document-download", kwargs={"uid": "00000000-0000-0000-0000-000000000000"})
    )
    assert response.status_code == 404


def job_status(client, job):
    return client.get(reverse("render-job-status", kwargs={"uid": job.uid}))


def test_the_requester_follows_a_queued_job_until_it_is_done(client, draft_meeting):
    demo = draft_meeting
    requester = UserFactory(secretariat=True)
    client.force_login(requester)
    # Outside on_commit capture the job stays queued, as while a worker is busy.
    job = documents.document_request_render(
        meeting=demo, kind=Document.Kind.AGENDA, requested_by=requester
    )

    queued = job_status(client, job).content.decode()
    assert "Queued" in queued and 'hx-trigger="every 2s"' in queued

    documents.document_render(job_id=job.pk)
    done = job_status(client, job).content.decode()
    job.refresh_from_db()
    assert "Succeeded" in done and "every 2s" not in done
    assert reverse("document-download", kwargs={"uid": job.document.uid}) in done


def test_a_failed_job_shows_its_error(client, draft_meeting, monkeypatch):
    demo = draft_meeting
    monkeypatch.setattr(rendering, "html_to_pdf", lambda html, **kw: 1 / 0)
    client.force_login(UserFactory(secretariat=True))
    job = documents.document_request_render(meeting=demo, kind=Document.Kind.AGENDA)
    documents.document_render(job_id=job.pk)

    fragment = job_status(client, job).content.decode()

    assert "Failed" in fragment and "ZeroDivisionError: division by zero" in fragment


def test_a_job_is_seen_only_by_the_secretariat_and_its_requester(client, draft_meeting):
    demo = draft_meeting
    requester = delegate_user(demo.dialogue)
    job = documents.document_request_render(
        meeting=demo, kind=Document.Kind.AGENDA, requested_by=requester
    )

    assert job_status(client, job).status_code == 404
    client.force_login(delegate_user(demo.dialogue))
    assert job_status(client, job).status_code == 404
    client.force_login(requester)
    assert job_status(client, job).status_code == 200


# -- uploads --------------------------------------------------------------------------------


def upload(meeting, name: str, content: bytes, **overrides):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields = {
        "kind": Document.Kind.PRESENTATION,
        "title": "Return and reintegration in practice",
        "language": "en",
        "visibility": "participants",
        "uploaded_by": None,
    }
    return documents.document_upload(
        meeting=meeting, uploaded_file=SimpleUploadedFile(name, content), **{**fields, **overrides}
    )


def zip_file(entries: dict[str, str]) -> bytes:
    """A zip whose bytes do not depend on the clock (they name parametrized tests, which every
    test worker must collect alike)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, text in entries.items():
            package.writestr(zipfile.ZipInfo(name, date_time=(2016, 12, 15, 0, 0, 0)), text)
    return buffer.getvalue()


def office_file(folder: str) -> bytes:
    return zip_file({"[Content_Types].xml": "<Types/>", f"{folder}document.xml": "<document/>"})


def odf_file(mimetype: str) -> bytes:
    return zip_file({"mimetype": mimetype, "content.xml": "<office:document-content/>"})


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("slides.pdf", b"%PDF-1.7\n...", "application/pdf"),
        (
            "paper.docx",
            office_file("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "deck.pptx",
            office_file("ppt/"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (
            "note.odt",
            odf_file("application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
        ),
    ],
)
def test_an_upload_is_stored_with_its_type_size_and_hash(db, name, content, content_type):
    meeting = MeetingFactory()

    document = upload(meeting, name, content)

    assert document.content_type == content_type and document.size == len(content)
    assert document.published_at is None and not document.generated
    with document.file.open("rb") as handle:
        assert handle.read() == content
    assert len(document.sha256) == 64


def test_the_same_title_uploaded_again_is_the_next_revision(db):
    meeting = MeetingFactory()
    first = upload(meeting, "slides.pdf", b"%PDF-1.7 first")
    second = upload(meeting, "slides.pdf", b"%PDF-1.7 second")

    assert (first.revision, second.revision) == (1, 2)


def test_one_revision_of_a_paper_is_current_and_the_earlier_stays_downloadable(db, client):
    meeting = MeetingFactory(visibility="public")
    first = upload(meeting, "slides.pdf", b"%PDF-1.7 first", visibility="public")
    documents.document_publish(document=first, by=None)
    second = upload(meeting, "slides.pdf", b"%PDF-1.7 second", visibility="public")
    documents.document_publish(document=second, by=None)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.superseded_at == second.published_at and second.superseded_at is None
    assert download(client, first).status_code == 200
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.count("superseded on") == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"plain text", "Upload a PDF, Word (.docx)"),
        ("setup.exe", b"MZ\x90\x00", "Upload a PDF, Word (.docx)"),
        ("report.pdf", b"MZ\x90\x00 an executable", "its content is not a .pdf file"),
        ("paper.docx", office_file("ppt/"), "its content is not a .docx file"),
        ("paper.docx", b"PK\x03\x04 not really a zip", "its content is not a .docx file"),
        ("sheet.ods", odf_file("application/vnd.oasis.opendocument.text"), "not a .ods file"),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_an_upload_of_the_wrong_type_is_refused_with_a_reason(db, name, content, message):
    meeting = MeetingFactory()

    with pytest.raises(ValidationError) as error:
        upload(meeting, name, content)

    assert message in " ".join(error.value.message_dict["file"])
    assert not Document.objects.exists()


def test_an_upload_over_the_limit_is_refused(db, settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024
    meeting = MeetingFactory()

    with pytest.raises(ValidationError) as error:
        upload(meeting, "big.pdf", b"%PDF-" + b"0" * 2000)

    assert error.value.message_dict["file"] == ["The file is 2.0\xa0KB; the limit is 1.0\xa0KB."]


def test_a_file_just_over_the_limit_is_told_by_how_much(db, settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 25 * 1024 * 1024
    meeting = MeetingFactory()

    with pytest.raises(ValidationError) as error:
        upload(meeting, "big.pdf", b"%PDF-" + b"0" * (25 * 1024 * 1024 + 20 * 1024))

    # Not "The file is 25.0 MB; the limit is 25.0 MB."
    assert error.value.message_dict["file"] == [
        "The file is 20.0\xa0KB over the limit of 25.0\xa0MB."
    ]


def test_a_delegation_factory_meeting_renders_its_participants(
    db, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    DelegationFactory(meeting=meeting, headcount=3)

    job = render(meeting, Document.Kind.PARTICIPANTS, django_capture_on_commit_callbacks)

    assert job.status == RenderJob.Status.SUCCEEDED, job.error
    assert "3 participants from 1 country and 0 organisations" in pdf_text(job.document, meeting)


def test_sub_items_print_inside_their_parents_paragraph(
    draft_meeting, django_capture_on_commit_callbacks
):
    parent = draft_meeting.agenda_items.get()
    sub_item = AgendaItemFactory(
        meeting=draft_meeting, parent=parent, position=1, record="The working group reported."
    )
    StatementFactory(agenda_item=sub_item, text="Serbia hosted the meeting.")
    AgendaItemFactory(meeting=draft_meeting, position=2, record="The Chair closed the meeting.")

    job = render(draft_meeting, Document.Kind.SUMMARY, django_capture_on_commit_callbacks)
    with job.document.file.open("rb") as handle:
        raw = "\n".join(page.extract_text() for page in PdfReader(handle).pages)
    text = pdf_text(job.document, draft_meeting)

    order = [
        "The floor was opened for discussion.",
        "Germany welcomed the proposed cooperation.",
        "The working group reported.",
        "Serbia hosted the meeting.",
        "The Chair closed the meeting.",
        "Participating states supported the conference.",
    ]
    assert [text.find(sentence) for sentence in order] == sorted(
        text.find(sentence) for sentence in order
    )
    assert -1 not in [text.find(sentence) for sentence in order]
    # Attendance, the parent with its sub-item, the next item, the conclusions.
    assert re.findall(r"^(\d+)\.\s", raw, flags=re.MULTILINE) == ["1", "2", "3", "4"]
    # The sub-item is its parent's next sub-point, after the parent's own statement.
    assert re.findall(r"^([ivx]+)\.\s", raw, flags=re.MULTILINE) == ["i", "ii"]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((2016, 12, 15), (2016, 12, 15), "Antalya, 15 December 2016"),
        ((2016, 10, 12), (2016, 10, 13), "Antalya, 12–13 October 2016"),
        ((2016, 9, 30), (2016, 10, 1), "Antalya, 30 September – 1 October 2016"),
        ((2016, 12, 31), (2017, 1, 1), "Antalya, 31 December 2016 – 1 January 2017"),
    ],
)
def test_place_and_date_reads_as_the_record_writes_it(start, end, expected):
    import datetime

    meeting = Meeting(
        city="Antalya", start_date=datetime.date(*start), end_date=datetime.date(*end)
    )
    assert rendering.place_and_date(meeting) == expected


def test_a_job_whose_meeting_was_deleted_meanwhile_does_nothing(draft_meeting):
    job = documents.document_request_render(meeting=draft_meeting, kind=Document.Kind.AGENDA)
    draft_meeting.delete()

    assert documents.document_render(job_id=job.pk) is None
    assert generated_files() == []
