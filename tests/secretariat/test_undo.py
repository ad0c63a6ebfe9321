"""Mistakes can be undone: a meeting deleted (never published) or cancelled or withdrawn (once
published), a document deleted or replaced, parts of the record deleted with the rest
renumbered; duplicates are flagged and meeting pickers say which meeting is which."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bpdialogue.models import Deletion
from meetings.models import Document, Meeting, Statement
from meetings.services import meeting_delete
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    ConclusionFactory,
    DelegationFactory,
    DialogueFactory,
    DocumentFactory,
    MeetingFactory,
    RegistrationFactory,
    StateFactory,
    StatementFactory,
    UserFactory,
)

DRAFT = Meeting.RecordStatus.DRAFT


@pytest.fixture
def staff(client, db):
    user = UserFactory(username="clerk", secretariat=True)
    client.force_login(user)
    return user


def tab(meeting, name):
    return reverse(f"secretariat:meeting-{name}", kwargs={"slug": meeting.slug})


def _meeting_with_record(statements: int) -> Meeting:
    meeting = MeetingFactory(record_status=DRAFT)
    speaker = StateFactory()
    for n in range(1, 5):
        item = AgendaItemFactory(meeting=meeting, position=n)
        item.presenters.set([speaker])
        AgendaItemFactory(meeting=meeting, parent=item, position=1)
        for position in range(1, statements // 4 + 1):
            StatementFactory(agenda_item=item, position=position, speakers=[speaker])
        delegation = DelegationFactory(meeting=meeting)
        RegistrationFactory(meeting=meeting, participant=delegation.participant, status="confirmed")
        ConclusionFactory(meeting=meeting, position=n)
        ActionPointFactory(meeting=meeting, position=n).responsible.set([speaker])
    DocumentFactory(meeting=meeting, published_at=None)
    return meeting


@pytest.mark.parametrize("statements", [8, 64])
def test_deleting_a_meeting_takes_the_same_few_queries_whatever_its_size(
    statements, staff, django_assert_max_num_queries
):
    meeting = _meeting_with_record(statements)
    statement_ids = list(
        Statement.objects.filter(agenda_item__meeting=meeting).values_list("id", flat=True)
    )
    assert len(statement_ids) == statements
    # 52 since the conclusions' references and the action points' status changes and
    # reminders go with them (a query each, whatever their number).
    with django_assert_max_num_queries(52):
        meeting_delete(meeting=meeting, by=staff)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Statement.objects.filter(pk__in=statement_ids).exists()
    # Each row leaves its tombstone for partners and its entry in the change history.
    tombstones = Deletion.objects.filter(model="meetings.statement", object_id__in=statement_ids)
    assert tombstones.count() == statements
    assert set(tombstones.values_list("audience", flat=True)) == {"secretariat"}
    gone = Statement.history.filter(id__in=statement_ids, history_type="-")
    assert gone.count() == statements
    assert {record.history_user for record in gone} == {staff}
    assert Deletion.objects.filter(model="meetings.meeting", object_id=meeting.pk).exists()


def test_a_meeting_never_published_is_deleted_after_a_confirmation_page(client, staff):
    meeting = _meeting_with_record(statements=4)
    url = reverse("secretariat:meeting-delete", kwargs={"slug": meeting.slug})
    assert "Delete this meeting…" in client.get(tab(meeting, "details")).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "4 statements" in page.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()  # asking deletes nothing

    response = client.post(url, {"version": meeting.version})
    assert response.url == reverse("secretariat:meetings")
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert Meeting.history.filter(id=meeting.pk, history_type="-").get().history_user == staff


def test_a_meeting_changed_since_the_confirmation_page_is_not_deleted(client, staff):
    meeting = MeetingFactory(record_status=DRAFT)
    shown = meeting.version
    meeting.city = "Istanbul"
    meeting.save()
    url = reverse("secretariat:meeting-delete", kwargs={"slug": meeting.slug})
    response = client.post(url, {"version": shown})
    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in response.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.parametrize(
    "published",
    [
        {"record_status": Meeting.RecordStatus.PUBLISHED},
        {"record_status": Meeting.RecordStatus.REOPENED},
        {"summary": True},
    ],
    ids=["published", "reopened", "summary issued"],
)
def test_a_meeting_whose_record_was_published_is_not_deleted(client, staff, published):
    meeting = MeetingFactory(record_status=published.get("record_status", DRAFT))
    if published.get("summary"):
        DocumentFactory(
            meeting=meeting, kind=Document.Kind.SUMMARY, published_at="2017-01-10T10:00Z"
        )
    url = reverse("secretariat:meeting-delete", kwargs={"slug": meeting.slug})
    assert "Delete this meeting…" not in client.get(tab(meeting, "details")).content.decode()
    assert "Cancel it or withdraw it from view instead" in client.get(url).content.decode()
    client.post(url, {"version": meeting.version})
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    with pytest.raises(ValidationError):
        meeting_delete(meeting=meeting, by=staff)


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [("cancel", "status", "cancelled"), ("withdraw", "visibility", "secretariat")],
)
def test_a_published_meeting_is_cancelled_or_withdrawn_after_confirmation(
    client, staff, action, field, value
):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.PUBLISHED)
    url = reverse(f"secretariat:meeting-{action}", kwargs={"slug": meeting.slug})
    assert client.get(url).status_code == 200
    assert getattr(Meeting.objects.get(pk=meeting.pk), field) != value
    response = client.post(url, {"version": meeting.version})
    assert response.url == tab(meeting, "details")
    meeting.refresh_from_db()
    assert getattr(meeting, field) == value
    assert meeting.record_status == Meeting.RecordStatus.PUBLISHED
    assert meeting.history.first().history_user == staff


def _pdf(name="slides.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 slides", content_type="application/pdf")


def test_an_uploaded_document_is_replaced_by_its_next_revision_and_the_old_one_kept(client, staff):
    meeting = MeetingFactory(record_status=DRAFT)
    upload = {
        "upload-kind": "presentation",
        "upload-title": "Return and reintegration",
        "upload-language": "en",
        "upload-visibility": "participants",
    }
    client.post(tab(meeting, "documents"), {**upload, "upload-file": _pdf()})
    first = meeting.documents.get()
    page = client.get(tab(meeting, "documents")).content.decode()
    assert f"?replace={first.uid}" in page

    response = client.get(tab(meeting, "documents") + f"?replace={first.uid}")
    form = response.context["upload_form"]
    assert form["title"].value() == "Return and reintegration"
    assert form["kind"].value() == "presentation"
    assert "Replace “Return and reintegration”" in response.content.decode()
    client.post(
        tab(meeting, "documents") + f"?replace={first.uid}",
        {
            **{f"upload-{k}": form[k].value() for k in ("kind", "title", "language", "visibility")},
            "upload-file": _pdf("slides-v2.pdf"),
        },
    )
    assert sorted(meeting.documents.values_list("revision", flat=True)) == [1, 2]


def test_an_unpublished_document_is_deleted_and_a_published_one_is_not(client, staff):
    meeting = MeetingFactory(record_status=DRAFT)
    draft = DocumentFactory(meeting=meeting, published_at=None)
    public = DocumentFactory(meeting=meeting, published_at="2017-01-10T10:00Z")
    page = client.get(tab(meeting, "documents")).content.decode()
    assert (
        reverse("secretariat:document-delete", kwargs={"slug": meeting.slug, "uid": draft.uid})
        in page
    )
    assert f'data-confirm="Delete “{draft.title}”' in page
    for document in (draft, public):
        url = reverse(
            "secretariat:document-delete", kwargs={"slug": meeting.slug, "uid": document.uid}
        )
        client.post(url, {"version": document.version})
    assert list(meeting.documents.all()) == [public]
    assert Deletion.objects.filter(model="meetings.document", object_id=draft.pk).exists()


@pytest.mark.parametrize(
    ("part", "build", "page"),
    [
        ("agenda-item", lambda m, n: AgendaItemFactory(meeting=m, position=n), "agenda"),
        (
            "statement",
            lambda m, n: StatementFactory(
                agenda_item=m.agenda_items.get_or_create(
                    position=1, parent=None, defaults={"title": "Item"}
                )[0],
                position=n,
            ),
            "record",
        ),
        ("conclusion", lambda m, n: ConclusionFactory(meeting=m, position=n), "conclusions"),
        ("action-point", lambda m, n: ActionPointFactory(meeting=m, position=n), "conclusions"),
    ],
)
def test_record_parts_are_deleted_from_their_tab_with_a_confirmation_and_renumbered(
    client, staff, part, build, page
):
    meeting = MeetingFactory(record_status=DRAFT)
    rows = [build(meeting, n) for n in (1, 2, 3)]
    html = client.get(tab(meeting, page)).content.decode()
    url = reverse("secretariat:delete", kwargs={"part": part, "pk": rows[0].pk})
    assert f'action="{url}" class="inline" data-confirm="Delete' in html
    client.post(url, {"version": rows[0].version})
    model = type(rows[0])
    assert not model.objects.filter(pk=rows[0].pk).exists()
    remaining = model.objects.filter(pk__in=[r.pk for r in rows[1:]]).order_by("position")
    assert [(r.pk, r.position) for r in remaining] == [(rows[1].pk, 1), (rows[2].pk, 2)]


def test_a_part_changed_since_the_page_was_shown_is_not_deleted(client, staff):
    conclusion = ConclusionFactory(meeting__record_status=DRAFT)
    shown = conclusion.version
    conclusion.text = "Changed meanwhile."
    conclusion.save()
    url = reverse("secretariat:delete", kwargs={"part": "conclusion", "pk": conclusion.pk})
    response = client.post(url, {"version": shown}, follow=True)
    assert "Not deleted:" in response.content.decode()
    assert type(conclusion).objects.filter(pk=conclusion.pk).exists()


def _meeting_fields(dialogue, **fields):
    return {
        "dialogue": dialogue.pk,
        "kind": "senior_officials",
        "start_date": "2016-12-15",
        "end_date": "2016-12-15",
        "city": "Antalya",
        "visibility": "participants",
        "status": "planned",
        **fields,
    }


def test_a_meeting_like_an_existing_one_is_created_only_once_confirmed(client, staff):
    dialogue = DialogueFactory()
    existing = MeetingFactory(
        dialogue=dialogue, kind="senior_officials", start_date=datetime.date(2016, 12, 15)
    )
    url = reverse("secretariat:meeting-create")
    response = client.post(url, _meeting_fields(dialogue, city="antalya "))
    assert response.status_code == 400
    page = response.content.decode()
    assert "A Senior Officials Meeting in Antalya on 15 December 2016 exists already" in page
    assert reverse("secretariat:meeting-details", kwargs={"slug": existing.slug}) in page
    assert 'type="checkbox" name="confirm_duplicate"' in page
    assert Meeting.objects.count() == 1

    response = client.post(url, _meeting_fields(dialogue, confirm_duplicate="on"))
    assert response.status_code == 302
    assert Meeting.objects.count() == 2
    # Another city or another day is another meeting: no question asked.
    assert client.post(url, _meeting_fields(dialogue, city="Istanbul")).status_code == 302


def test_meeting_pickers_show_title_date_and_place(client, staff):
    dialogue = DialogueFactory()
    meeting = MeetingFactory(dialogue=dialogue, record_status=DRAFT)
    MeetingFactory(
        dialogue=dialogue,
        title="25th Meeting of the Senior Officials",
        start_date=datetime.date(2017, 12, 12),
        city="Istanbul",
    )
    point = ActionPointFactory(meeting=meeting)
    page = client.get(reverse("secretariat:edit", kwargs={"part": "action-point", "pk": point.pk}))
    assert (
        "25th Meeting of the Senior Officials — 12 December 2017, Istanbul" in page.content.decode()
    )
    focus_page = client.get(reverse("secretariat:create", kwargs={"part": "thematic-focus"}))
    choices = [label for _, label in focus_page.context["form"].fields["proposed_at"].choices]
    assert "25th Meeting of the Senior Officials — 12 December 2017, Istanbul" in choices
