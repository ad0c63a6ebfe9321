"""Deletion markers at a record's URL (OParl): a record the caller could see answers, once
deleted or out of their sight, with `{"id", "type", "deleted": true, "modified"}`; anyone
else gets a 404. A record whose audience narrows is in the deletions feed of the audience
that lost it, and leaves it when that audience sees it again."""

import pytest
from django.utils import timezone

from meetings.documents import document_delete, document_publish, document_unpublish
from meetings.models import Meeting
from meetings.services import meeting_update
from tests.factories import (
    DialogueFactory,
    DocumentFactory,
    MeetingFactory,
    ProjectFactory,
    StatementFactory,
)

from .conftest import key_client, secretariat_client

pytestmark = pytest.mark.django_db

AUDIENCES = ("anonymous", "public key", "participants key", "other dialogue's key", "secretariat")


@pytest.fixture
def dialogue():
    return DialogueFactory()


@pytest.fixture
def clients(api, dialogue):
    return {
        "anonymous": api,
        "public key": key_client("read:public"),
        "participants key": key_client("read:participants", dialogue=dialogue),
        "other dialogue's key": key_client("read:participants", dialogue=DialogueFactory()),
        "secretariat": secretariat_client(),
    }


def answers(clients, url):
    """Each audience's answer at `url`: 'marker', 'record' or the status code."""
    seen = {}
    for audience, client in clients.items():
        response = client.get(url)
        if response.status_code != 200:
            seen[audience] = response.status_code
        else:
            seen[audience] = "marker" if response.json().get("deleted") else "record"
    return seen


def in_feed(clients, uid):
    """The audiences whose deletions feed lists `uid`."""
    return {
        audience
        for audience, client in clients.items()
        if str(uid) in {row["id"] for row in client.get("/api/v1/deletions/").json()["data"]}
    }


def published_document(meeting):
    return DocumentFactory(meeting=meeting, published_at=timezone.now())


def delete_statement(meeting):
    statement = StatementFactory(agenda_item__meeting=meeting)
    statement.delete()
    return f"/api/v1/statements/{statement.uid}/", statement.uid


def delete_meeting(meeting):
    meeting.delete()
    return f"/api/v1/meetings/{meeting.uid}/", meeting.uid


def delete_document(meeting):
    # A published document is withdrawn before it may go.
    document = published_document(meeting)
    document_unpublish(document=document, by=None)
    document_delete(document=document)
    return f"/api/v1/documents/{document.uid}/", document.uid


def delete_project(meeting):
    project = ProjectFactory(dialogue=meeting.dialogue)
    project.delete()
    return f"/api/v1/projects/{project.uid}/", project.uid


@pytest.mark.parametrize(
    "delete", [delete_meeting, delete_statement, delete_document, delete_project]
)
def test_a_deleted_public_record_answers_everyone_with_a_marker(clients, dialogue, delete):
    url, uid = delete(MeetingFactory(dialogue=dialogue))

    assert answers(clients, url) == dict.fromkeys(AUDIENCES, "marker")
    marker = clients["anonymous"].get(url).json()
    assert marker == {
        "id": str(uid),
        "type": url.split("/")[3].removesuffix("s").replace("-", "_"),
        "deleted": True,
        "modified": marker["modified"],
    }
    assert marker["modified"].startswith(str(timezone.now().year))


@pytest.mark.parametrize("delete", [delete_meeting, delete_statement, delete_document])
def test_a_deleted_participants_record_is_a_marker_for_its_dialogue_and_a_404_for_others(
    clients, dialogue, delete
):
    url, _ = delete(MeetingFactory(dialogue=dialogue, visibility="participants"))

    assert answers(clients, url) == {
        "anonymous": 404,
        "public key": 404,
        "participants key": "marker",
        "other dialogue's key": 404,
        "secretariat": "marker",
    }


def test_a_record_nobody_outside_the_secretariat_saw_stays_a_404_for_them(clients, dialogue):
    url, _ = delete_statement(
        MeetingFactory(dialogue=dialogue, record_status=Meeting.RecordStatus.DRAFT)
    )

    assert answers(clients, url) == {**dict.fromkeys(AUDIENCES, 404), "secretariat": "marker"}


def test_an_unknown_id_is_a_404_for_everyone(clients):
    url = "/api/v1/meetings/00000000-0000-4000-8000-000000000000/"
    assert answers(clients, url) == dict.fromkeys(AUDIENCES, 404)


def narrow(meeting, visibility):
    meeting.refresh_from_db()
    return meeting_update(
        meeting=meeting, expected_version=meeting.version, changes={"visibility": visibility}
    )


def test_a_meeting_narrowed_step_by_step_is_gone_for_each_audience_that_lost_it(clients, dialogue):
    meeting = MeetingFactory(dialogue=dialogue)
    statement = StatementFactory(agenda_item__meeting=meeting)
    document = published_document(meeting)
    urls = {
        "meeting": f"/api/v1/meetings/{meeting.uid}/",
        "statement": f"/api/v1/statements/{statement.uid}/",
        "document": f"/api/v1/documents/{document.uid}/",
    }

    narrow(meeting, "participants")
    lost_by_the_public = {
        "anonymous": "marker",
        "public key": "marker",
        "participants key": "record",
        "other dialogue's key": "marker",
        "secretariat": "record",
    }
    for url in urls.values():
        assert answers(clients, url) == lost_by_the_public
    for uid in (meeting.uid, statement.uid, document.uid):
        assert in_feed(clients, uid) == {"anonymous", "public key", "other dialogue's key"}

    narrow(meeting, "secretariat")
    for url in urls.values():
        assert answers(clients, url) == {**lost_by_the_public, "participants key": "marker"}
    for uid in (meeting.uid, statement.uid, document.uid):
        assert in_feed(clients, uid) == set(AUDIENCES) - {"secretariat"}

    narrow(meeting, "participants")
    for url in urls.values():
        assert answers(clients, url) == lost_by_the_public
    assert in_feed(clients, meeting.uid) == {"anonymous", "public key", "other dialogue's key"}

    narrow(meeting, "public")
    for url in urls.values():
        assert answers(clients, url) == dict.fromkeys(AUDIENCES, "record")
    for uid in (meeting.uid, statement.uid, document.uid):
        assert in_feed(clients, uid) == set()


def test_a_meeting_narrowed_then_deleted_stays_a_marker_for_those_who_lost_it_first(
    clients, dialogue
):
    meeting = MeetingFactory(dialogue=dialogue)
    narrow(meeting, "participants")
    meeting.delete()

    assert answers(clients, f"/api/v1/meetings/{meeting.uid}/") == {
        **dict.fromkeys(AUDIENCES, "marker")
    }


def test_a_withdrawn_document_is_gone_for_its_audience_until_published_again(clients, dialogue):
    document = published_document(MeetingFactory(dialogue=dialogue, visibility="participants"))
    url = f"/api/v1/documents/{document.uid}/"

    document_unpublish(document=document, by=None)
    assert answers(clients, url) == {
        "anonymous": 404,
        "public key": 404,
        "participants key": "marker",
        "other dialogue's key": 404,
        "secretariat": "record",
    }
    assert in_feed(clients, document.uid) == {"participants key"}

    document_publish(document=document, by=None)
    assert answers(clients, url)["participants key"] == "record"
    assert in_feed(clients, document.uid) == set()


def test_a_public_document_of_a_participants_meeting_was_seen_by_its_dialogue_only(
    clients, dialogue
):
    document = published_document(MeetingFactory(dialogue=dialogue, visibility="participants"))
    document_unpublish(document=document, by=None)

    assert in_feed(clients, document.uid) == {"participants key"}


def test_the_deletions_feed_and_markers_keep_a_fixed_number_of_queries(
    clients, dialogue, django_assert_num_queries
):
    meetings = [MeetingFactory(dialogue=dialogue) for _ in range(3)]
    for meeting in meetings:
        StatementFactory(agenda_item__meeting=meeting)
        narrow(meeting, "participants")
    anonymous = clients["anonymous"]
    # The count, the page, the last deletion for Last-Modified; telling the rows still there
    # from deleted ones costs no query of its own.
    with django_assert_num_queries(3):
        assert len(anonymous.get("/api/v1/deletions/").json()["data"]) == 9
    # The miss, the tombstone, the last deletion.
    with django_assert_num_queries(3):
        assert anonymous.get(f"/api/v1/meetings/{meetings[0].uid}/").json()["deleted"]
