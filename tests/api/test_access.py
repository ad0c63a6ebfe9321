"""Every endpoint for anonymous callers, each key scope and the secretariat: what is seen
and what is not. The rules themselves live in bpdialogue/access.py; these tests prove the
API goes through them everywhere."""

from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from bpdialogue.models import ApiKey
from meetings.models import Meeting, Registration
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    ConclusionFactory,
    DelegationFactory,
    DialogueFactory,
    DocumentFactory,
    MeetingFactory,
    PersonFactory,
    StatementFactory,
)

from .conftest import key_client, secretariat_client

pytestmark = pytest.mark.django_db


def meeting_with_record(label, **kwargs):
    meeting = MeetingFactory(title=label, **kwargs)
    item = AgendaItemFactory(meeting=meeting, record=f"record of {label}")
    return SimpleNamespace(
        meeting=meeting,
        item=item,
        statement=StatementFactory(agenda_item=item, text=f"statement at {label}"),
        conclusion=ConclusionFactory(meeting=meeting, text=f"conclusion of {label}"),
        action_point=ActionPointFactory(meeting=meeting, text=f"action of {label}"),
        delegation=DelegationFactory(meeting=meeting),
        document=DocumentFactory(meeting=meeting, published_at=timezone.now()),
    )


@pytest.fixture
def world():
    dialogue = DialogueFactory()
    other = DialogueFactory()
    return SimpleNamespace(
        dialogue=dialogue,
        public=meeting_with_record("public", dialogue=dialogue),
        draft=meeting_with_record(
            "draft", dialogue=dialogue, record_status=Meeting.RecordStatus.DRAFT
        ),
        participants=meeting_with_record(
            "participants", dialogue=dialogue, visibility="participants"
        ),
        other_dialogue=meeting_with_record("other", dialogue=other, visibility="participants"),
        secretariat=meeting_with_record("secretariat", dialogue=dialogue, visibility="secretariat"),
        unpublished_document=DocumentFactory(title="unpublished"),
    )


def viewers(world):
    return {
        "anonymous": APIClient(HTTP_HOST="localhost"),
        "read:public": key_client("read:public"),
        "read:participants": key_client("read:participants"),
        "read:participants bound": key_client("read:participants", dialogue=world.dialogue),
        "secretariat": secretariat_client(),
    }


# Which meetings' rows each viewer sees, as labels of the world's meetings.
MEETING_LEVEL = {
    "anonymous": {"public", "draft"},
    "read:public": {"public", "draft"},
    "read:participants": {"public", "draft", "participants", "other"},
    "read:participants bound": {"public", "draft", "participants"},
    "secretariat": {"public", "draft", "participants", "other", "secretariat"},
}
# Rows of the record also need the record to be published.
RECORD_LEVEL = {name: labels - {"draft"} for name, labels in MEETING_LEVEL.items()}
RECORD_LEVEL["secretariat"] = MEETING_LEVEL["secretariat"]


def listed(client, path):
    response = client.get(path, {"limit": 200})
    assert response.status_code == 200, response.content
    return response.json()["data"]


def labels_of(world, attribute, uids):
    by_uid = {
        str(getattr(getattr(world, label), attribute).uid): getattr(world, label).meeting.title
        for label in LABELS
    }
    return {by_uid[uid] for uid in uids if uid in by_uid}


LISTS = [
    ("/api/v1/meetings/", "meeting", MEETING_LEVEL),
    ("/api/v1/agenda-items/", "item", MEETING_LEVEL),
    ("/api/v1/delegations/", "delegation", RECORD_LEVEL),
    ("/api/v1/statements/", "statement", RECORD_LEVEL),
    ("/api/v1/conclusions/", "conclusion", RECORD_LEVEL),
    ("/api/v1/action-points/", "action_point", RECORD_LEVEL),
    ("/api/v1/documents/", "document", MEETING_LEVEL),
]
LABELS = ("public", "draft", "participants", "other_dialogue", "secretariat")


@pytest.mark.parametrize("viewer", list(MEETING_LEVEL))
def test_lists_and_details_show_each_viewer_exactly_what_the_policy_allows(world, viewer):
    client = viewers(world)[viewer]
    for path, attribute, level in LISTS:
        seen = labels_of(world, attribute, [row["id"] for row in listed(client, path)])
        assert seen == level[viewer], path
        for label in LABELS:
            row = getattr(getattr(world, label), attribute)
            response = client.get(f"{path}{row.uid}/")
            visible = getattr(world, label).meeting.title in level[viewer]
            assert response.status_code == (200 if visible else 404), (path, label)
            if not visible:
                assert response.json()["error"]["status"] == 404


def test_unpublished_documents_are_for_the_secretariat_only(world):
    clients = viewers(world)
    uid = str(world.unpublished_document.uid)
    assert uid not in {d["id"] for d in listed(clients["read:participants"], "/api/v1/documents/")}
    assert uid in {d["id"] for d in listed(clients["secretariat"], "/api/v1/documents/")}


def test_meeting_detail_nests_the_record_only_once_published(world):
    anonymous = viewers(world)["anonymous"]
    published = anonymous.get(f"/api/v1/meetings/{world.public.meeting.uid}/").json()
    draft = anonymous.get(f"/api/v1/meetings/{world.draft.meeting.uid}/").json()

    assert published["agenda_items"][0]["record"] == "record of public"
    assert [s["text"] for s in published["agenda_items"][0]["statements"]] == [
        "statement at public"
    ]
    assert [c["text"] for c in published["conclusions"]] == ["conclusion of public"]
    assert [a["text"] for a in published["action_points"]] == ["action of public"]
    assert len(published["delegations"]) == 1
    assert published["attendance"].startswith("The ")
    assert [d["id"] for d in published["documents"]] == [str(world.public.document.uid)]

    # The draft meeting's agenda is public; its record, attendance included, is not yet.
    assert draft["agenda_items"][0]["title"] == world.draft.item.title
    assert draft["agenda_items"][0]["record"] is None
    assert draft["agenda_items"][0]["statements"] == []
    assert draft["conclusions"] == [] and draft["action_points"] == []
    assert draft["delegations"] == [] and draft["attendance"] is None


def test_people_show_contact_details_only_with_read_personal():
    person = PersonFactory(email="amina@example.org", phone="+43 1 234")
    # In a published list of participants, so known to everyone (tests/api/test_people.py).
    Registration.objects.create(
        meeting=MeetingFactory(),
        participant=person.affiliation,
        person=person,
        status=Registration.Status.CONFIRMED,
    )
    without = key_client("read:participants").get(f"/api/v1/people/{person.uid}/").json()
    with_personal = key_client("read:personal").get(f"/api/v1/people/{person.uid}/").json()

    assert without["family_name"] == person.family_name
    assert "email" not in without and "phone" not in without
    assert with_personal["email"] == "amina@example.org"
    assert with_personal["phone"] == "+43 1 234"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/dialogues/",
        "/api/v1/participants/",
        "/api/v1/regions/",
        "/api/v1/memberships/",
        "/api/v1/roles/",
        "/api/v1/working-groups/",
        "/api/v1/projects/",
        "/api/v1/sites/",
        "/api/v1/frameworks/",
        "/api/v1/thematic-focuses/",
        "/api/v1/workplans/",
        "/api/v1/activities/",
    ],
)
def test_reference_data_is_public(demo, api, path):
    response = api.get(path)
    assert response.status_code == 200
    body = response.json()
    assert body["data"], f"the demo has {path} rows"
    first = body["data"][0]
    assert api.get(first["url"]).json()["id"] == first["id"]


def test_writing_needs_the_write_scope(world):
    body = {"meeting": str(world.draft.meeting.uid), "text": "New."}
    anonymous = viewers(world)["anonymous"]

    assert anonymous.post("/api/v1/conclusions/", body, format="json").status_code == 401
    reader = key_client("read:participants", "read:personal")
    forbidden = reader.post("/api/v1/conclusions/", body, format="json")
    assert forbidden.status_code == 403
    assert "write" in forbidden.json()["error"]["message"]
    assert key_client("write").post("/api/v1/conclusions/", body, format="json").status_code == 201


def test_a_write_key_cannot_attach_rows_to_meetings_it_cannot_see(world):
    body = {"meeting": str(world.secretariat.meeting.uid), "text": "Sneaky."}
    response = key_client("write").post("/api/v1/conclusions/", body, format="json")
    assert response.status_code == 400
    assert "meeting" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer bpd_abc_def", "Bearer "],
)
def test_bad_keys_are_refused_with_401(api, db, header):
    response = api.get("/api/v1/meetings/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_and_expired_keys_are_refused(db):
    from bpdialogue.api.services import api_key_create, api_key_revoke

    revoked, revoked_key = api_key_create(name="old", scopes=["read:public"])
    api_key_revoke(api_key=revoked)
    expired, expired_key = api_key_create(name="expired", scopes=["read:public"])
    # A new key cannot be given an expiry already past: this one runs out after creation.
    ApiKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    for key in (revoked_key, expired_key):
        response = APIClient(HTTP_HOST="localhost").get(
            "/api/v1/meetings/", HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        assert response.status_code == 401
        assert "expired or was revoked" in response.json()["error"]["message"]


def test_partners_download_documents_they_may_see_and_nothing_else(world):
    document = world.participants.document
    partner = key_client("read:participants")
    metadata = partner.get(f"/api/v1/documents/{document.uid}/").json()

    download = partner.get(metadata["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert download["ETag"] and download["Last-Modified"]

    for client in (viewers(world)["anonymous"], key_client("read:public")):
        refused = client.get(metadata["download_url"], HTTP_ACCEPT="application/pdf")
        assert refused.status_code == 404
        assert refused.json()["error"]["status"] == 404
    unpublished = f"/api/v1/documents/{world.unpublished_document.uid}/file/"
    assert partner.get(unpublished).status_code == 404
