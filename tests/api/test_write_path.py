"""Every URL of the API that writes goes through the owning app's services: their rules
apply to partners exactly as to the workspace (the record's workflow and lock, the agenda's
two levels, renumbering, the atomic version check)."""

import threading

import pytest
from django.db import connection

from bpdialogue.models import Deletion
from meetings.models import ActionPoint, AgendaItem, Meeting, RecordTransition, Statement
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    DelegationFactory,
    MeetingFactory,
    StatementFactory,
)

from .conftest import key_client, secretariat_client

pytestmark = pytest.mark.django_db

DRAFT = Meeting.RecordStatus.DRAFT


def etag_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


def error_fields(response):
    return response.json()["error"]["fields"]


def test_a_patch_cannot_publish_a_draft_record():
    meeting = MeetingFactory(record_status=DRAFT)
    writer = key_client("write")
    url = f"/api/v1/meetings/{meeting.uid}/"

    response = writer.patch(
        url, {"record_status": "published"}, format="json", HTTP_IF_MATCH=etag_of(writer, url)
    )

    assert response.status_code == 400
    assert "record-status" in error_fields(response)["record_status"][0]
    assert Meeting.objects.get(pk=meeting.pk).record_status == DRAFT


def test_a_patch_may_send_the_record_status_back_unchanged():
    meeting = MeetingFactory(record_status=DRAFT)
    writer = key_client("write")
    url = f"/api/v1/meetings/{meeting.uid}/"

    response = writer.patch(
        url,
        {"record_status": "draft", "city": "Istanbul"},
        format="json",
        HTTP_IF_MATCH=etag_of(writer, url),
    )

    assert response.status_code == 200, response.content
    assert Meeting.objects.get(pk=meeting.pk).city == "Istanbul"


def test_the_record_status_action_moves_a_draft_into_review_with_who_and_when():
    meeting = MeetingFactory(record_status=DRAFT)
    secretariat = secretariat_client()
    url = f"/api/v1/meetings/{meeting.uid}/"
    action = f"{url}record-status/"

    assert secretariat.post(action, {"status": "in_review"}, format="json").status_code == 428
    response = secretariat.post(
        action,
        {"status": "in_review", "reason": "Ready for the Chair."},
        format="json",
        HTTP_IF_MATCH=etag_of(secretariat, url),
    )

    assert response.status_code == 200, response.content
    assert response.json()["record_status"] == "in_review"
    assert response["ETag"] == etag_of(secretariat, url)
    stored = Meeting.objects.get(pk=meeting.pk)
    user = response.wsgi_request.user
    assert stored.record_status == Meeting.RecordStatus.IN_REVIEW
    assert stored.record_status_changed_by == user
    assert stored.record_status_changed_at is not None
    transition = RecordTransition.objects.get(meeting=meeting)
    assert (transition.from_status, transition.to_status) == ("draft", "in_review")
    assert transition.by == user and transition.reason == "Ready for the Chair."


def test_the_record_status_action_refuses_a_skipped_step_and_a_reopening_without_reason():
    draft = MeetingFactory(record_status=DRAFT)
    published = MeetingFactory()
    writer = key_client("write")

    def move(meeting, body):
        url = f"/api/v1/meetings/{meeting.uid}/"
        return writer.post(
            f"{url}record-status/", body, format="json", HTTP_IF_MATCH=etag_of(writer, url)
        )

    skipped = move(draft, {"status": "published"})
    assert skipped.status_code == 400
    assert "cannot become published" in error_fields(skipped)["status"][0]
    unknown = move(draft, {"status": "final"})
    assert unknown.status_code == 400 and "status" in error_fields(unknown)
    no_reason = move(published, {"status": "reopened"})
    assert no_reason.status_code == 400 and "reason" in error_fields(no_reason)
    assert Meeting.objects.get(pk=draft.pk).record_status == DRAFT
    assert Meeting.objects.get(pk=published.pk).record_status == Meeting.RecordStatus.PUBLISHED


def test_the_record_status_action_needs_the_write_scope():
    meeting = MeetingFactory(record_status=DRAFT)
    reader = key_client("read:participants")
    url = f"/api/v1/meetings/{meeting.uid}/"
    response = reader.post(
        f"{url}record-status/",
        {"status": "in_review"},
        format="json",
        HTTP_IF_MATCH=etag_of(reader, url),
    )
    assert response.status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).record_status == DRAFT


def test_a_published_records_statement_is_locked_but_its_action_points_progress_is_not():
    statement = StatementFactory(text="As published.")
    meeting = statement.agenda_item.meeting
    action_point = ActionPointFactory(meeting=meeting)
    writer = key_client("write")

    statement_url = f"/api/v1/statements/{statement.uid}/"
    refused = writer.patch(
        statement_url,
        {"text": "Rewritten."},
        format="json",
        HTTP_IF_MATCH=etag_of(writer, statement_url),
    )
    action_url = f"/api/v1/action-points/{action_point.uid}/"
    accepted = writer.patch(
        action_url, {"status": "done"}, format="json", HTTP_IF_MATCH=etag_of(writer, action_url)
    )

    assert refused.status_code == 400
    assert "Reopen it for correction" in refused.json()["error"]["message"]
    assert Statement.objects.get(pk=statement.pk).text == "As published."
    assert accepted.status_code == 200, accepted.content
    assert ActionPoint.objects.get(pk=action_point.pk).status == ActionPoint.Status.DONE


def test_a_published_record_takes_no_new_parts():
    meeting = MeetingFactory()
    response = key_client("write").post(
        "/api/v1/conclusions/", {"meeting": str(meeting.uid), "text": "Late."}, format="json"
    )
    assert response.status_code == 400
    assert not meeting.conclusions.exists()


def test_the_api_refuses_a_third_level_agenda_item():
    item = AgendaItemFactory(meeting__record_status=DRAFT)
    sub_item = AgendaItemFactory(meeting=item.meeting, parent=item)

    response = key_client("write").post(
        "/api/v1/agenda-items/",
        {"meeting": str(item.meeting.uid), "parent": str(sub_item.uid), "title": "Too deep"},
        format="json",
    )

    assert response.status_code == 400
    assert "top-level item" in error_fields(response)["parent"][0]
    assert not AgendaItem.objects.filter(title="Too deep").exists()


def test_new_parts_go_at_the_end_and_positions_cannot_be_chosen():
    item = AgendaItemFactory(meeting__record_status=DRAFT)
    StatementFactory(agenda_item=item, position=1, text="First.")
    writer = secretariat_client()

    created = writer.post(
        "/api/v1/statements/", {"agenda_item": str(item.uid), "text": "Second."}, format="json"
    )
    chosen = writer.post(
        "/api/v1/statements/",
        {"agenda_item": str(item.uid), "text": "First!", "position": 1},
        format="json",
    )
    url = created.json()["url"]
    moved = writer.patch(url, {"position": 1}, format="json", HTTP_IF_MATCH=etag_of(writer, url))

    assert created.status_code == 201 and created.json()["position"] == 2
    assert chosen.status_code == 400 and "assigned" in error_fields(chosen)["position"][0]
    assert moved.status_code == 400 and "position" in error_fields(moved)
    assert list(item.statements.order_by("position").values_list("text", flat=True)) == [
        "First.",
        "Second.",
    ]


def test_a_part_cannot_move_to_another_meeting_by_patch():
    meeting = MeetingFactory(record_status=DRAFT)
    other = MeetingFactory(record_status=DRAFT)
    item = AgendaItemFactory(meeting=meeting)
    writer = key_client("write")
    url = f"/api/v1/agenda-items/{item.uid}/"

    response = writer.patch(
        url, {"meeting": str(other.uid)}, format="json", HTTP_IF_MATCH=etag_of(writer, url)
    )

    assert response.status_code == 400 and "meeting" in error_fields(response)
    assert AgendaItem.objects.get(pk=item.pk).meeting == meeting


def test_deleting_a_statement_through_the_api_renumbers_the_rest():
    item = AgendaItemFactory(meeting__record_status=DRAFT)
    first, second, third = (
        StatementFactory(agenda_item=item, position=n, text=f"Statement {n}") for n in (1, 2, 3)
    )
    secretariat = secretariat_client()
    url = f"/api/v1/statements/{first.uid}/"

    response = secretariat.delete(url, HTTP_IF_MATCH=etag_of(secretariat, url))

    assert response.status_code == 204
    assert list(item.statements.order_by("position").values_list("text", "position")) == [
        ("Statement 2", 1),
        ("Statement 3", 2),
    ]
    assert Deletion.objects.filter(object_uid=first.uid).exists()


def test_a_meeting_whose_record_was_published_cannot_be_deleted():
    meeting = MeetingFactory()
    writer = key_client("write")
    url = f"/api/v1/meetings/{meeting.uid}/"
    response = writer.delete(url, HTTP_IF_MATCH=etag_of(writer, url))
    assert response.status_code == 400
    assert "cancel it" in response.json()["error"]["message"]
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_delegation_for_a_participant_already_there_is_refused_not_overwritten():
    existing = DelegationFactory(meeting__record_status=DRAFT, headcount=3)
    response = secretariat_client().post(
        "/api/v1/delegations/",
        {
            "meeting": str(existing.meeting.uid),
            "participant": str(existing.participant.uid),
            "headcount": 9,
        },
        format="json",
    )
    assert response.status_code == 400
    existing.refresh_from_db()
    assert existing.headcount == 3


# -- DELETE and PATCH racing with one ETag: exactly one wins --------------------------------


def race_outcome(statement, delete_first: bool):
    secretariat = secretariat_client()
    url = f"/api/v1/statements/{statement.uid}/"
    etag = etag_of(secretariat, url)

    def delete():
        return secretariat.delete(url, HTTP_IF_MATCH=etag).status_code

    def patch():
        return secretariat.patch(
            url, {"text": "Edited."}, format="json", HTTP_IF_MATCH=etag
        ).status_code

    first, then = (delete, patch) if delete_first else (patch, delete)
    return first(), then()


def test_after_a_delete_a_patch_with_the_same_etag_loses():
    statement = StatementFactory(agenda_item__meeting__record_status=DRAFT)
    deleted, patched = race_outcome(statement, delete_first=True)
    assert (deleted, patched) == (204, 404)
    assert not Statement.objects.filter(pk=statement.pk).exists()


def test_after_a_patch_a_delete_with_the_same_etag_loses():
    statement = StatementFactory(agenda_item__meeting__record_status=DRAFT)
    patched, deleted = race_outcome(statement, delete_first=False)
    assert (patched, deleted) == (200, 412)
    assert Statement.objects.get(pk=statement.pk).text == "Edited."


# SQLite runs one writer at a time: the two sequential tests above are the race there.
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_delete_and_a_patch_sent_at_once_with_one_etag_exactly_one_wins():
    statement = StatementFactory(agenda_item__meeting__record_status=DRAFT)
    url = f"/api/v1/statements/{statement.uid}/"
    clients = [secretariat_client(), secretariat_client()]
    etag = etag_of(clients[0], url)
    start = threading.Barrier(2)
    outcome = {}

    def send(name, client, call):
        start.wait()
        try:
            outcome[name] = call(client).status_code
        finally:
            connection.close()

    calls = {
        "delete": lambda client: client.delete(url, HTTP_IF_MATCH=etag),
        "patch": lambda client: client.patch(
            url, {"text": "Edited."}, format="json", HTTP_IF_MATCH=etag
        ),
    }
    threads = [
        threading.Thread(target=send, args=(name, client, call))
        for (name, call), client in zip(calls.items(), clients, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    won = {name for name, status in outcome.items() if status < 300}
    assert len(won) == 1, outcome
    stored = Statement.objects.filter(pk=statement.pk).first()
    if won == {"delete"}:
        assert stored is None
        assert outcome["patch"] in (404, 412)
    else:
        assert stored.text == "Edited."
        assert outcome["delete"] == 412
