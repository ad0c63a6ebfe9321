"""The meeting workspace: pages, forms, ordering, attendance, record, conflicts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Delegation, InvitationRound, Meeting
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    ConclusionFactory,
    DelegationFactory,
    DialogueFactory,
    FocalPointFactory,
    MeetingFactory,
    MembershipFactory,
    RegistrationFactory,
    StateFactory,
    StatementFactory,
    UserFactory,
)

# A published record is locked: tests that edit one start from a draft.
DRAFT = Meeting.RecordStatus.DRAFT
TABS = [
    "details",
    "agenda",
    "invitations",
    "attendance",
    "record",
    "conclusions",
    "documents",
    "translations",
    "history",
]


@pytest.fixture
def staff(client, db):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


def tab(meeting, name):
    return reverse(f"secretariat:meeting-{name}", kwargs={"slug": meeting.slug})


@pytest.mark.parametrize("name", TABS)
def test_every_tab_of_the_24th_meeting_renders(client, staff, demo, name):
    response = client.get(tab(demo, name))
    assert response.status_code == 200
    assert demo.title in response.content.decode()


def test_dashboard_lists_draft_records_and_open_action_points(client, staff, demo):
    demo.record_status = Meeting.RecordStatus.DRAFT
    demo.save()
    page = client.get(reverse("secretariat:dashboard")).content.decode()
    assert demo.title in page
    assert "Open action points" in page


def test_creating_a_meeting_derives_its_title(client, staff):
    dialogue = DialogueFactory(name="Budapest Process")
    response = client.post(
        reverse("secretariat:meeting-create"),
        {
            "dialogue": dialogue.pk,
            "kind": "senior_officials",
            "sequence_number": 24,
            "start_date": "2016-12-15",
            "end_date": "2016-12-15",
            "city": "Antalya",
            "visibility": "participants",
            "status": "planned",
        },
    )
    meeting = Meeting.objects.get()
    assert meeting.title == "24th Meeting of the Senior Officials of the Budapest Process"
    assert response.url == tab(meeting, "agenda")


def test_meeting_form_errors_are_shown_at_the_fields(client, staff):
    dialogue = DialogueFactory()
    MeetingFactory(dialogue=dialogue, sequence_number=24)
    response = client.post(
        reverse("secretariat:meeting-create"),
        {
            "dialogue": dialogue.pk,
            "kind": "senior_officials",
            "sequence_number": 24,
            "start_date": "2016-12-15",
            "end_date": "2016-12-14",
            "visibility": "participants",
            "status": "planned",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["end_date"] == ["The meeting cannot end before it starts."]
    assert Meeting.objects.count() == 1
    response = client.post(
        reverse("secretariat:meeting-create"),
        {
            "dialogue": dialogue.pk,
            "kind": "senior_officials",
            "sequence_number": 24,
            "start_date": "2017-12-15",
            "visibility": "participants",
            "status": "planned",
        },
    )
    assert response.status_code == 400
    assert "end_date" in response.context["form"].errors
    assert response.context["form"].errors["sequence_number"] == [
        "Another meeting of this series has number 24."
    ]


def test_a_stale_save_is_refused_and_shows_theirs_and_yours(client, staff):
    meeting = MeetingFactory(city="Antalya", venue="", record_status=DRAFT)
    started_from = meeting.version
    meeting.city = "Istanbul"
    meeting.save()  # somebody else's save meanwhile
    form = client.get(tab(meeting, "details")).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(start_date="2016-12-15", end_date="2016-12-15", city="Ankara", version=started_from)
    data["status"], data["visibility"], data["kind"] = meeting.status, "public", meeting.kind
    response = client.post(tab(meeting, "details"), data)
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.city == "Istanbul"
    changes = {c.label: (c.theirs, c.yours) for c in response.context["conflict"].changes}
    assert changes["City"] == ("Istanbul", "Ankara")
    page = response.content.decode()
    assert "Someone else saved this while you were editing" in page
    # The form now carries the stored version: saving again reapplies the edit knowingly.
    assert response.context["form"]["version"].value() == meeting.version
    data["version"] = meeting.version
    assert client.post(tab(meeting, "details"), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.city == "Ankara"
    assert meeting.history.first().history_user == staff


def test_agenda_items_are_added_and_reordered_by_keyboard_and_by_drag(client, staff):
    meeting = MeetingFactory(record_status=DRAFT)
    for title in ("Opening", "Discussion", "Closing"):
        client.post(tab(meeting, "agenda"), {"title": title})
    opening, discussion, closing = meeting.agenda_items.order_by("position")
    assert [i.position for i in (opening, discussion, closing)] == [1, 2, 3]

    move = reverse("secretariat:move", kwargs={"part": "agenda-item", "pk": closing.pk})
    client.post(move, {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert list(meeting.agenda_items.values_list("title", flat=True).order_by("position")) == [
        "Opening",
        "Closing",
        "Discussion",
    ]
    order = reverse("secretariat:order", kwargs={"part": "agenda-item"})
    client.post(order, {"ids": f"{discussion.pk},{opening.pk},{closing.pk}"})
    assert list(meeting.agenda_items.values_list("title", flat=True).order_by("position")) == [
        "Discussion",
        "Opening",
        "Closing",
    ]
    assert client.post(order, {"ids": "x"}).status_code == 400
    assert client.post(move, {"direction": "sideways"}).status_code == 400


def test_sub_items_are_numbered_under_their_parent_and_deleting_closes_the_gap(client, staff):
    meeting = MeetingFactory(record_status=DRAFT)
    parent = AgendaItemFactory(meeting=meeting, position=1)
    for title in ("a", "b", "c"):
        client.post(tab(meeting, "agenda"), {"title": title, "parent": parent.pk})
    subs = list(parent.sub_items.order_by("position"))
    assert [s.position for s in subs] == [1, 2, 3]
    client.post(reverse("secretariat:delete", kwargs={"part": "agenda-item", "pk": subs[0].pk}))
    assert list(parent.sub_items.order_by("position").values_list("title", "position")) == [
        ("b", 1),
        ("c", 2),
    ]


def test_ticking_attendance_updates_the_totals_as_the_record_will_say_them(client, staff):
    meeting = MeetingFactory(record_status=DRAFT)
    states = [StateFactory(name=n, sort_name=n) for n in ("Austria", "Bulgaria")]
    for state in states:
        MembershipFactory(dialogue=meeting.dialogue, participant=state)
    url = reverse(
        "secretariat:attendance-row", kwargs={"slug": meeting.slug, "participant_id": states[0].pk}
    )
    prefix = f"p{states[0].pk}"
    response = client.post(
        url,
        {
            f"{prefix}-attended": "on",
            f"{prefix}-headcount": "3",
            f"{prefix}-role": "participant",
            f"{prefix}-version": "0",  # no delegation yet
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "3 participants from 1 country" in response.content.decode()
    delegation = Delegation.objects.get(meeting=meeting)
    assert delegation.headcount == 3
    row = {f"{prefix}-role": "participant", f"{prefix}-version": delegation.version}
    response = client.post(url, {**row, f"{prefix}-headcount": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert Delegation.objects.filter(meeting=meeting).count() == 1
    client.post(url, {**row, f"{prefix}-headcount": "1"})
    assert not Delegation.objects.filter(meeting=meeting).exists()


def test_statements_are_recorded_under_an_item_with_their_speakers(client, staff):
    meeting = MeetingFactory(record_status=DRAFT)
    item = AgendaItemFactory(meeting=meeting, position=1)
    iran = DelegationFactory(meeting=meeting, participant__name="Iran").participant
    url = reverse("secretariat:statement-add", kwargs={"slug": meeting.slug, "item_id": item.pk})
    response = client.post(url, {f"s{item.pk}-text": "", f"s{item.pk}-speakers": [iran.pk]})
    assert response.status_code == 400
    assert response.context["sections"][0]["statement_form"].errors["text"]
    client.post(url, {f"s{item.pk}-text": "Iran welcomed it.", f"s{item.pk}-speakers": [iran.pk]})
    statement = item.statements.get()
    assert list(statement.speakers.all()) == [iran]


def test_the_markdown_preview_is_sanitised(client, staff):
    response = client.post(
        reverse("secretariat:preview") + "?field=r1-record",
        {"r1-record": "**bold** <script>alert(1)</script>"},
    )
    assert response.content.decode().startswith("<p><strong>bold</strong>")
    assert "<script>" not in response.content.decode()


def test_the_record_workflow_goes_step_by_step_and_remembers_who(client, staff):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    url = reverse("secretariat:meeting-workflow", kwargs={"slug": meeting.slug})
    client.post(url, {"status": "published"})
    meeting.refresh_from_db()
    assert meeting.record_status == "draft"
    for status in ("in_review", "adopted"):
        client.post(url, {"status": status})
    meeting.refresh_from_db()
    assert meeting.record_status == "adopted"
    assert meeting.record_status_changed_by == staff
    assert [step.to_status for step in meeting.transitions.order_by("id")] == [
        "in_review",
        "adopted",
    ]


def test_the_history_shows_who_changed_which_field(client, staff):
    meeting = MeetingFactory(city="Antalya", record_status=DRAFT)
    form = client.get(tab(meeting, "details")).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(start_date="2016-12-15", end_date="2016-12-15", city="Istanbul")
    client.post(tab(meeting, "details"), data)
    entries = client.get(tab(meeting, "history")).context["entries"]
    changed = next(e for e in entries if e.kind == "changed")
    assert changed.who == staff.username
    assert ("City [en]", "Antalya", "Istanbul") in changed.changes


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# Queries per tab, the session and the user included: pinned, so a change that adds one says
# so here.
TAB_QUERIES = {
    "details": 10,
    "agenda": 12,  # + who was at the meeting, offered first in the pickers
    "invitations": 11,
    "attendance": 12,
    "record": 15,  # + who was at the meeting, offered first in the pickers
    "conclusions": 14,  # + the references, the two pickers of the reference form; who was
    # at the meeting, offered first in the pickers
    "documents": 9,  # + the delegations and their dated names: those whose Russian genitive
    # is missing are listed
    "translations": 12,
    "history": 15,
}


@pytest.mark.parametrize("name", TAB_QUERIES)
def test_workspace_pages_run_the_same_queries_whatever_the_meeting_size(
    client, staff, name, django_assert_num_queries
):
    small, large = MeetingFactory(), MeetingFactory()
    for meeting, size in ((small, 1), (large, 6)):
        invitation = InvitationRound.objects.create(meeting=meeting, subject="S", text="T")
        for n in range(size):
            item = AgendaItemFactory(meeting=meeting, position=n + 1)
            AgendaItemFactory(meeting=meeting, parent=item, position=1)
            StatementFactory(agenda_item=item, position=1, speakers=[StateFactory()])
            delegation = DelegationFactory(meeting=meeting)
            membership = MembershipFactory(dialogue=meeting.dialogue)
            focal_point = FocalPointFactory(
                dialogue=meeting.dialogue, participant=membership.participant
            )
            invitation.deliveries.create(
                participant=membership.participant,
                focal_point=focal_point.person,
                email=focal_point.person.email,
            )
            for status in ("nominated", "confirmed"):
                RegistrationFactory(
                    meeting=meeting, participant=delegation.participant, status=status
                )
            ConclusionFactory(meeting=meeting, position=n + 1)
            ActionPointFactory(meeting=meeting, position=n + 1)
    with django_assert_num_queries(TAB_QUERIES[name]):
        client.get(tab(small, name))
    with django_assert_num_queries(TAB_QUERIES[name]):
        client.get(tab(large, name))


def test_the_dashboard_runs_the_same_queries_whatever_the_number_of_action_points(
    client, staff, django_assert_num_queries
):
    ActionPointFactory()
    expected = _page_queries(client, reverse("secretariat:dashboard"))
    for _ in range(5):
        point = ActionPointFactory()
        point.responsible.set([StateFactory()])
    with django_assert_num_queries(expected):
        client.get(reverse("secretariat:dashboard"))


def test_documents_are_uploaded_with_their_errors_shown_generated_and_published(
    client, staff, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, position=1)
    upload = {
        "upload-kind": "presentation",
        "upload-title": "Slides",
        "upload-language": "en",
        "upload-visibility": "public",
    }
    empty = SimpleUploadedFile("slides.pdf", b"", content_type="application/pdf")
    response = client.post(tab(meeting, "documents"), {**upload, "upload-file": empty})
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"]
    assert not meeting.documents.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(tab(meeting, "documents") + "generate/", {"generate-kind": "agenda"})
    job = meeting.render_jobs.get()
    assert job.status == "succeeded"
    document = meeting.documents.get(kind="agenda")
    assert document.published_at is None
    publication = reverse(
        "secretariat:document-publication", kwargs={"slug": meeting.slug, "uid": document.uid}
    )
    client.post(publication, {"action": "publish"})
    document.refresh_from_db()
    assert document.published_at is not None
    assert client.get(tab(meeting, "documents")).status_code == 200

    # A working copy of the Summary/conclusions is not published by itself.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(tab(meeting, "documents") + "generate/", {"generate-kind": "summary"})
    draft = meeting.documents.get(kind="summary")
    refused = client.post(
        reverse("secretariat:document-publication", args=[meeting.slug, draft.uid]),
        {"action": "publish"},
        follow=True,
    )
    assert "published by publishing the record" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.published_at is None


def test_the_attendance_grid_names_participants_as_on_the_meeting_date(client, staff, demo):
    response = client.get(tab(demo, "attendance"))
    rows = [row["name"] for row in response.context["rows"]]
    assert "Turkey" in rows and "Türkiye" not in rows
    assert len([r for r in response.context["rows"] if r["delegation"]]) == demo.delegations.count()
    assert "50 participants from 22 countries" in response.content.decode()


def test_a_stale_narrative_is_refused_on_the_record_page(client, staff):
    item = AgendaItemFactory(record="First draft.", meeting__record_status=DRAFT)
    started_from = item.version
    item.record = "Their wording."
    item.save()
    url = reverse("secretariat:record-save", kwargs={"slug": item.meeting.slug, "item_id": item.pk})
    prefix = f"r{item.pk}"
    data = {
        f"{prefix}-record": "My wording.",
        f"{prefix}-statement_layout": "numbered",
        f"{prefix}-version": started_from,
    }
    response = client.post(url, data)
    assert response.status_code == 409
    section = response.context["sections"][0]
    assert [(c.theirs, c.yours) for c in section["conflict"].changes] == [
        ("Their wording.", "My wording.")
    ]
    assert section["record_form"]["record"].value() == "My wording."
    assert section["record_form"]["version"].value() == item.version
    item.refresh_from_db()
    assert item.record == "Their wording."


def test_a_conflict_on_speakers_names_both_lists(client, staff):
    statement = StatementFactory(
        speakers=[StateFactory(name="Iraq")], agenda_item__meeting__record_status=DRAFT
    )
    started_from = statement.version
    # Both attended: only the conflict stands in the way.
    pakistan, iran = (
        DelegationFactory(meeting=statement.agenda_item.meeting, participant__name=name).participant
        for name in ("Pakistan", "Iran")
    )
    statement.speakers.set([pakistan])
    statement.text = "Pakistan spoke."
    statement.save()
    url = reverse("secretariat:edit", kwargs={"part": "statement", "pk": statement.pk})
    response = client.post(
        url, {"speakers": [iran.pk], "text": "Pakistan spoke.", "version": started_from}
    )
    assert response.status_code == 409
    assert [(c.label, c.theirs, c.yours) for c in response.context["conflict"].changes] == [
        ("Speakers", "Pakistan", "Iran")
    ]
    assert list(statement.speakers.all()) == [pakistan]


def test_the_whole_attendance_grid_is_saved_at_once_without_javascript(client, staff):
    meeting = MeetingFactory(record_status=DRAFT)
    austria, hungary = StateFactory(name="Austria"), StateFactory(name="Hungary")
    for state in (austria, hungary):
        MembershipFactory(dialogue=meeting.dialogue, participant=state)
    data = {
        f"p{austria.pk}-attended": "on",
        f"p{austria.pk}-headcount": "2",
        f"p{austria.pk}-role": "chair",
        f"p{austria.pk}-version": "0",
        f"p{hungary.pk}-headcount": "1",
        f"p{hungary.pk}-role": "participant",
        f"p{hungary.pk}-version": "0",
    }
    response = client.post(tab(meeting, "attendance"), data)
    assert response.status_code == 302
    delegation = Delegation.objects.get(meeting=meeting)
    assert (delegation.participant, delegation.headcount, delegation.role) == (austria, 2, "chair")


def test_adding_to_a_published_record_is_refused_with_a_message_not_a_crash(client, staff):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.PUBLISHED)
    item = AgendaItemFactory(meeting=meeting, position=1)
    response = client.post(
        tab(meeting, "conclusions"),
        {"add_conclusion": "1", "conclusion-kind": "agreement", "conclusion-text": "Agreed."},
    )
    assert response.status_code == 400
    assert "Reopen it for correction first" in str(response.context["conclusion_form"].errors)
    url = reverse("secretariat:statement-add", kwargs={"slug": meeting.slug, "item_id": item.pk})
    response = client.post(url, {f"s{item.pk}-text": "Iran welcomed it."})
    assert response.status_code == 400
    assert not meeting.conclusions.exists() and not item.statements.exists()
