"""Publishing a record is one act, a published record is stable, and a correction is the
next revision: nothing that is not published reaches the public, a delegate or a partner."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from meetings import documents, services
from meetings.models import Document, Meeting, RecordRevision, RenderJob, Statement
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    ConclusionFactory,
    DelegationFactory,
    MeetingFactory,
    StateFactory,
    StatementFactory,
    UserFactory,
    delegate_user,
)

pytestmark = pytest.mark.django_db
RS = Meeting.RecordStatus


@pytest.fixture(autouse=True)
def _tasks_run_in_the_test(monkeypatch):
    # With REDIS_URL set (CI's PostgreSQL pass) Celery would queue to a broker no worker here
    # reads; the render and the e-mail run in-process.
    from bpdialogue.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)


@pytest.fixture
def staff():
    return UserFactory(secretariat=True, username="editor")


@pytest.fixture
def adopted(db):
    meeting = MeetingFactory(
        title="25th Meeting of the Senior Officials",
        city="Istanbul",
        visibility="public",
        record_status=RS.DRAFT,
    )
    DelegationFactory(meeting=meeting, headcount=3)
    item = AgendaItemFactory(meeting=meeting, record="The meeting opened with welcome remarks.")
    StatementFactory(agenda_item=item, text="Hungary thanked the hosts.")
    ConclusionFactory(meeting=meeting, text="The participants agreed to meet again in spring.")
    ActionPointFactory(meeting=meeting, text="Hold a consultation meeting in Istanbul.")
    Meeting.objects.filter(pk=meeting.pk).update(record_status=RS.ADOPTED)
    meeting.refresh_from_db()
    return meeting


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def move(meeting, status, by, capture, reason=""):
    """One step of the workflow, with what it queues run as it would after the commit."""
    with capture(execute=True):
        services.meeting_set_record_status(meeting=meeting, status=status, by=by, reason=reason)
    meeting.refresh_from_db()


def publish_then_correct(meeting, staff, capture):
    """Publish the record, reopen it and correct its statement (not yet published)."""
    move(meeting, RS.PUBLISHED, staff, capture)
    move(meeting, RS.REOPENED, staff, capture, reason="A typo.")
    statement = meeting.agenda_items.get().statements.get()
    services.record_part_update(
        part=statement,
        expected_version=statement.version,
        changes={"text": "Hungary warmly thanked the hosts."},
    )


def test_publishing_issues_the_final_pdf_and_publishes_record_and_pdf_together(
    adopted, staff, django_capture_on_commit_callbacks
):
    move(adopted, RS.PUBLISHED, staff, django_capture_on_commit_callbacks)

    adopted.refresh_from_db()
    assert adopted.record_status == RS.PUBLISHED
    assert adopted.record_status_changed_by == staff
    revision = RecordRevision.objects.get(meeting=adopted)
    issued = revision.document
    assert revision.number == 1 and issued.revision == 1
    assert issued.kind == Document.Kind.SUMMARY and issued.is_archival
    assert issued.issued_at == issued.published_at == revision.issued_at
    with issued.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == issued.sha256
    text = pdf_text(issued)
    assert "DRAFT" not in text
    assert "Revision 1, issued" in text
    assert "Hungary thanked the hosts." in text
    step = adopted.transitions.get()
    assert (step.from_status, step.to_status, step.by) == (RS.ADOPTED, RS.PUBLISHED, staff)
    # The public reads both at once.
    page = reverse("meeting-detail", kwargs={"slug": adopted.slug})
    from django.test import Client

    public = Client()
    assert "Hungary thanked the hosts." in public.get(page).content.decode()
    download = public.get(reverse("document-download", kwargs={"uid": issued.uid}))
    assert download.status_code == 200


def test_a_draft_summary_is_marked_draft_on_every_page_and_never_leaves_the_secretariat(
    adopted, staff, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = documents.document_request_render(
            meeting=adopted, kind=Document.Kind.SUMMARY, requested_by=staff
        )
    draft = RenderJob.objects.get(pk=job.pk).document
    with draft.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
        assert all("DRAFT" in page.extract_text() for page in pages)
    # Publishing it by itself is refused, through the service and the workspace alike.
    with pytest.raises(ValidationError, match="published by publishing the record"):
        documents.document_publish(document=draft, by=staff)
    client.force_login(staff)
    url = reverse("secretariat:document-publication", args=[adopted.slug, draft.uid])
    client.post(url, {"action": "publish"})
    draft.refresh_from_db()
    assert draft.published_at is None
    # Even a draft marked published (by a write outside the services) is not served.
    Document.objects.filter(pk=draft.pk).update(published_at=adopted.created_at)
    download = reverse("document-download", kwargs={"uid": draft.uid})
    client.logout()
    assert client.get(download).status_code == 404
    client.force_login(delegate_user(adopted.dialogue))
    assert client.get(download).status_code == 404
    api = client.get(f"/api/v1/documents/{draft.uid}/")
    assert api.status_code == 404


def test_a_published_record_is_locked_but_its_action_points_are_followed_up(
    adopted, staff, django_capture_on_commit_callbacks
):
    move(adopted, RS.PUBLISHED, staff, django_capture_on_commit_callbacks)
    item = adopted.agenda_items.get()
    statement = item.statements.get()
    with pytest.raises(ValidationError, match="Reopen it for correction"):
        services.statement_create(agenda_item=item, text="Added afterwards.")
    with pytest.raises(ValidationError, match="Reopen it for correction"):
        services.record_part_update(
            part=statement, expected_version=statement.version, changes={"text": "Changed."}
        )
    with pytest.raises(ValidationError, match="Reopen it for correction"):
        services.record_part_delete(part=statement)
    with pytest.raises(ValidationError, match="Reopen it for correction"):
        services.meeting_update(
            meeting=adopted, expected_version=adopted.version, changes={"city": "Ankara"}
        )
    # What the issued PDF does not print may still change: the meeting's status, say.
    services.meeting_update(
        meeting=adopted, expected_version=adopted.version, changes={"status": "held"}
    )
    point = adopted.action_points.get()
    services.record_part_update(
        part=point, expected_version=point.version, changes={"status": "done"}
    )
    point.refresh_from_db()
    assert point.status == "done"
    with pytest.raises(ValidationError, match="Reopen it for correction"):
        services.record_part_update(
            part=point, expected_version=point.version, changes={"text": "Another action."}
        )


def test_only_one_step_at_a_time_and_never_back_from_published(adopted, staff):
    with pytest.raises(ValidationError, match="cannot become draft"):
        services.meeting_set_record_status(meeting=adopted, status=RS.DRAFT, by=staff)
    draft = MeetingFactory(record_status=RS.DRAFT)
    with pytest.raises(ValidationError, match="cannot become published"):
        services.meeting_set_record_status(meeting=draft, status=RS.PUBLISHED, by=staff)
    with pytest.raises(ValidationError, match="Unknown record status"):
        services.meeting_set_record_status(meeting=draft, status="gone", by=staff)
    published = MeetingFactory(record_status=RS.PUBLISHED)
    with pytest.raises(ValidationError, match="cannot become adopted"):
        services.meeting_set_record_status(meeting=published, status=RS.ADOPTED, by=staff)
    with pytest.raises(ValidationError) as refused:
        services.meeting_set_record_status(meeting=published, status=RS.REOPENED, by=staff)
    assert "reason" in refused.value.message_dict


def test_while_reopened_everyone_else_reads_the_published_revision_until_the_correction(
    adopted, staff, client, django_capture_on_commit_callbacks
):
    publish_then_correct(adopted, staff, django_capture_on_commit_callbacks)
    first = RecordRevision.objects.get(meeting=adopted).document
    services.meeting_update(
        meeting=adopted, expected_version=adopted.version, changes={"city": "Ankara"}
    )
    page = reverse("meeting-detail", kwargs={"slug": adopted.slug})

    public = client.get(page).content.decode()
    assert "Hungary thanked the hosts." in public
    assert "warmly" not in public
    assert "Istanbul" in public and "Ankara" not in public
    assert "This is revision 1 of the record" in public
    api = client.get(f"/api/v1/meetings/{adopted.uid}/").json()
    statements = [s["text"] for item in api["agenda_items"] for s in item["statements"]]
    assert statements == ["Hungary thanked the hosts."]
    assert api["city"] == "Istanbul"
    assert api["attendance"].startswith("The Senior Officials meeting gathered 3 participants")
    # The rows being corrected are not listed anywhere else either.
    assert client.get("/api/v1/statements/", {"meeting": str(adopted.uid)}).json()["data"] == []
    client.force_login(staff)
    assert "warmly" in client.get(page).content.decode()
    client.logout()

    # Publishing the correction needs a change note, and issues revision 2.
    with pytest.raises(ValidationError) as refused:
        services.meeting_set_record_status(meeting=adopted, status=RS.PUBLISHED, by=staff)
    assert "reason" in refused.value.message_dict
    move(adopted, RS.PUBLISHED, staff, django_capture_on_commit_callbacks, reason="Typo fixed.")
    second = RecordRevision.objects.get(meeting=adopted, number=2)
    assert second.change_note == "Typo fixed."
    assert "warmly" in pdf_text(second.document)
    assert "Revision 2, issued" in pdf_text(second.document)
    assert "warmly" in client.get(page).content.decode()
    # The first revision stays downloadable, marked superseded with its date.
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert client.get(reverse("document-download", kwargs={"uid": first.uid})).status_code == 200
    assert "superseded on" in client.get(page).content.decode()
    with pytest.raises(ValidationError, match="stays published"):
        documents.document_unpublish(document=first, by=staff)


def test_a_record_edited_while_its_pdf_renders_is_not_published(
    adopted, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from meetings import rendering

    real = rendering.html_to_pdf
    conclusion = adopted.conclusions.get()

    def render_while_someone_edits(html, **options):
        pdf = real(html, **options)
        # Someone saves a correction while the final PDF is being rendered.
        type(conclusion).objects.filter(pk=conclusion.pk).update(text="Changed meanwhile.")
        return pdf

    monkeypatch.setattr(rendering, "html_to_pdf", render_while_someone_edits)
    move(adopted, RS.PUBLISHED, staff, django_capture_on_commit_callbacks)

    adopted.refresh_from_db()
    assert adopted.record_status == RS.ADOPTED
    job = adopted.render_jobs.get(purpose=RenderJob.Purpose.ISSUE)
    assert job.status == RenderJob.Status.FAILED
    assert "changed while its Summary/conclusions was being rendered" in job.error
    assert not RecordRevision.objects.filter(meeting=adopted).exists()
    assert not Document.objects.filter(meeting=adopted, published_at__isnull=False).exists()


def test_publishing_is_confirmed_in_the_workspace_and_reopening_asks_why(
    adopted, staff, client, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    workflow = reverse("secretariat:meeting-workflow", args=[adopted.slug])
    confirm = client.get(workflow, {"status": "published", "tab": "details"})
    assert confirm.status_code == 200
    assert "Publish revision 1" in confirm.content.decode()
    # Without the confirmation nothing happens.
    client.post(workflow, {"status": "published", "tab": "details"})
    adopted.refresh_from_db()
    assert adopted.record_status == RS.ADOPTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(workflow, {"status": "published", "confirmed": "true", "tab": "details"})
    adopted.refresh_from_db()
    assert adopted.record_status == RS.PUBLISHED

    refused = client.post(workflow, {"status": "reopened", "confirmed": "true", "reason": ""})
    assert refused.status_code == 400
    assert "Say what is to be corrected" in refused.content.decode()
    client.post(workflow, {"status": "reopened", "confirmed": "true", "reason": "Wrong date."})
    adopted.refresh_from_db()
    assert adopted.record_status == RS.REOPENED
    history = client.get(reverse("secretariat:meeting-history", args=[adopted.slug]))
    assert "Wrong date." in history.content.decode()
    assert "Revision 1, issued" in history.content.decode()


def test_a_record_published_before_revisions_were_kept_is_frozen_when_reopened(
    demo, staff, client, django_capture_on_commit_callbacks
):
    move(demo, RS.REOPENED, staff, django_capture_on_commit_callbacks, reason="Check names.")
    baseline = demo.revisions.get()
    assert baseline.number == 1 and baseline.document is None
    statement = Statement.objects.filter(agenda_item__meeting=demo).first()
    services.record_part_update(
        part=statement, expected_version=statement.version, changes={"text": "Rewritten."}
    )
    page = client.get(reverse("meeting-detail", kwargs={"slug": demo.slug})).content.decode()
    assert "Rewritten." not in page
    assert "gathered <strong>50 participants from 22 countries</strong>" in page


def test_the_admin_shows_the_record_but_changes_it_only_through_the_workspace(adopted, client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    statement = StatementFactory(agenda_item=adopted.agenda_items.get())
    change = reverse("admin:meetings_statement_change", args=[statement.pk])
    assert client.get(change).status_code == 200  # shown, read-only
    refused = client.post(change, {"text": "Changed in the admin.", "position": 9})
    assert refused.status_code == 403
    statement.refresh_from_db()
    assert statement.text != "Changed in the admin."
    assert client.get(reverse("admin:meetings_meeting_add")).status_code == 403
    delete = reverse("admin:meetings_statement_delete", args=[statement.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Statement.objects.filter(pk=statement.pk).exists()
    # Reference data stays the admin's.
    assert client.get(reverse("admin:participants_participant_add")).status_code == 200


def test_search_finds_the_published_text_of_a_record_being_corrected(
    adopted, staff, client, django_capture_on_commit_callbacks
):
    Statement.objects.get(agenda_item__meeting=adopted).speakers.set([StateFactory(name="Hungary")])
    publish_then_correct(adopted, staff, django_capture_on_commit_callbacks)
    search = reverse("search")

    response = client.get(search, {"q": "thanked hosts"})
    found = response.content.decode()
    assert "Hungary <mark>thanked</mark> the <mark>hosts</mark>." in found
    # The hit is titled, linked, dated and spoken as the published revision has it.
    [hit] = [hit for result in response.context["results"] for hit in result.hits]
    assert hit.url.startswith(f"{adopted.get_absolute_url()}#statement-")
    assert hit.title.endswith(f" — {adopted.title}")
    assert hit.date == adopted.start_date
    assert hit.speakers == ["Hungary"]
    assert "warmly" not in found
    assert "Hungary <mark>warmly</mark>" not in client.get(search, {"q": "warmly"}).content.decode()
    client.force_login(staff)
    assert "Hungary <mark>warmly</mark>" in client.get(search, {"q": "warmly"}).content.decode()
