"""/api/v1/people/ for every kind of caller: without read:personal only the people of
published lists of participants, with their name, position and affiliation; e-mail, phone
and focal-point roles with read:personal; writes with write and read:personal, through the
people's services. Contacts reach nobody else: not the CSV export, the portal or search."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from meetings.models import Meeting, Registration
from participants.models import Person
from participants.personal_data import person_erase
from tests.factories import (
    DialogueFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
    delegate_user,
)

from .conftest import key_client, secretariat_client

pytestmark = pytest.mark.django_db

LISTED = {"id", "url", "name", "honorific", "given_name", "family_name", "position", "affiliation"}
STAMPS = {"created_at", "updated_at", "version"}


def registered(meeting, status=Registration.Status.CONFIRMED, **person):
    person = PersonFactory(affiliation=StateFactory(), **person)
    Registration.objects.create(
        meeting=meeting, participant=person.affiliation, person=person, status=status
    )
    return person


@pytest.fixture
def people():
    dialogue = DialogueFactory()
    public = MeetingFactory(dialogue=dialogue)
    closed = MeetingFactory(dialogue=dialogue, visibility="participants")
    draft = MeetingFactory(dialogue=dialogue, record_status=Meeting.RecordStatus.DRAFT)
    return SimpleNamespace(
        dialogue=dialogue,
        listed=registered(public, family_name="Listed", email="listed@example.org"),
        nominated=registered(public, Registration.Status.NOMINATED, family_name="Nominated"),
        in_draft=registered(draft, family_name="InDraft"),
        participants_only=registered(closed, family_name="ParticipantsOnly"),
        unregistered=PersonFactory(family_name="Unregistered", phone="+43 1 234"),
    )


def delegate_client(dialogue):
    client = APIClient(HTTP_HOST="localhost")
    client.force_login(delegate_user(dialogue))
    return client


def callers(people):
    return {
        "anonymous": APIClient(HTTP_HOST="localhost"),
        "read:public": key_client("read:public"),
        "write": key_client("write"),
        "read:participants": key_client("read:participants"),
        "read:participants of the dialogue": key_client(
            "read:participants", dialogue=people.dialogue
        ),
        "read:participants of another": key_client("read:participants", dialogue=DialogueFactory()),
        "delegate": delegate_client(people.dialogue),
        "read:personal": key_client("read:personal"),
        "write + read:personal": key_client("write", "read:personal"),
        "secretariat": secretariat_client(),
    }


EVERYONE = {"Listed", "Nominated", "InDraft", "ParticipantsOnly", "Unregistered"}
SEEN = {
    "anonymous": {"Listed"},
    "read:public": {"Listed"},
    "write": {"Listed"},
    "read:participants": {"Listed", "ParticipantsOnly"},
    "read:participants of the dialogue": {"Listed", "ParticipantsOnly"},
    "read:participants of another": {"Listed"},
    "delegate": {"Listed", "ParticipantsOnly"},
    "read:personal": EVERYONE,
    "write + read:personal": EVERYONE,
    "secretariat": EVERYONE,
}
PERSONAL = {"read:personal", "write + read:personal", "secretariat"}


def test_every_caller_sees_the_people_and_fields_the_policy_gives_them(people):
    for role, client in callers(people).items():
        body = client.get("/api/v1/people/").json()
        # (The delegate's and the secretariat's own people are not the fixture's.)
        seen = {row["family_name"] for row in body["data"]} & EVERYONE
        assert seen == SEEN[role], role
        for person in (people.listed, people.unregistered, people.nominated):
            response = client.get(f"/api/v1/people/{person.uid}/")
            expected = 200 if person.family_name in SEEN[role] else 404
            assert response.status_code == expected, role
        detail = client.get(f"/api/v1/people/{people.listed.uid}/").json()
        if role in PERSONAL:
            assert detail["email"] == "listed@example.org", role
            assert "phone" in detail and "is_focal_point" in detail
        else:
            assert set(detail) == LISTED | STAMPS, role
            assert "@" not in str(body), role


def test_the_csv_export_has_no_contacts_without_read_personal(people):
    anonymous = APIClient(HTTP_HOST="localhost").get("/api/v1/people/?format=csv")
    assert anonymous.status_code == 200
    text = anonymous.content.decode()
    assert "Listed" in text and "Unregistered" not in text
    assert "@" not in text and "email" not in text and "phone" not in text

    personal = key_client("read:personal").get("/api/v1/people/?format=csv").content.decode()
    assert "listed@example.org" in personal and "+43 1 234" in personal


def test_the_focal_point_filter_says_nothing_without_read_personal(people):
    anonymous = APIClient(HTTP_HOST="localhost")
    everyone = anonymous.get("/api/v1/people/").json()["data"]
    assert anonymous.get("/api/v1/people/?is_focal_point=true").json()["data"] == everyone


def test_an_erased_person_reads_as_a_representative_of_their_country(people):
    germany = people.listed.affiliation
    person_erase(person=people.listed, by=None)

    detail = APIClient(HTTP_HOST="localhost").get(f"/api/v1/people/{people.listed.uid}/").json()

    assert detail["name"] == f"A representative of {germany.name}"
    assert detail["given_name"] == detail["family_name"] == detail["position"] == ""


def body_for(participant, **fields):
    return {
        "honorific": "Ms",
        "given_name": "Sara",
        "family_name": "Novak",
        "position": "Adviser",
        "affiliation": str(participant.uid),
        "email": "sara.novak@example.si",
        **fields,
    }


def test_people_are_written_with_write_and_read_personal_only(people):
    state = StateFactory()
    refused = {
        "anonymous": 401,
        "read:public": 403,
        "read:participants": 403,
        "read:personal": 403,
        "write": 403,
        "delegate": 403,
    }
    all_callers = callers(people)
    for role, status in refused.items():
        response = all_callers[role].post("/api/v1/people/", body_for(state), format="json")
        assert response.status_code == status, role
        assert response.json()["error"], role
    assert "'write' and 'read:personal'" in str(
        all_callers["write"].post("/api/v1/people/", body_for(state), format="json").json()
    )
    assert not Person.objects.filter(family_name="Novak").exists()

    for role in ("write + read:personal", "secretariat"):
        client = all_callers[role]
        created = client.post("/api/v1/people/", body_for(state, family_name=role), format="json")
        assert created.status_code == 201, created.content
        assert created.json()["email"] == "sara.novak@example.si"
        url = created["Location"]
        etag = client.get(url)["ETag"]
        changed = client.patch(url, {"phone": "+386 1 555"}, format="json", HTTP_IF_MATCH=etag)
        assert changed.status_code == 200, changed.content
        assert Person.objects.get(uid=created.json()["id"]).phone == "+386 1 555"
        assert Person.history.filter(uid=created.json()["id"]).count() == 2
        assert changed.json()["language"] == "en"
        etag = changed["ETag"]
        russian = client.patch(url, {"language": "ru"}, format="json", HTTP_IF_MATCH=etag)
        assert russian.status_code == 200 and russian.json()["language"] == "ru"
        etag = russian["ETag"]
        unknown = client.patch(url, {"language": "fr"}, format="json", HTTP_IF_MATCH=etag)
        assert unknown.status_code == 400 and "language" in unknown.json()["error"]["fields"]
        assert Person.objects.get(uid=created.json()["id"]).language == "ru"


def test_a_write_key_without_personal_cannot_change_a_listed_person(people):
    writer = key_client("write")
    url = f"/api/v1/people/{people.listed.uid}/"
    response = writer.patch(
        url, {"email": "x@example.org"}, format="json", HTTP_IF_MATCH=writer.get(url)["ETag"]
    )
    assert response.status_code == 403
    assert Person.objects.get(pk=people.listed.pk).email == "listed@example.org"


def test_bad_input_and_deletes_are_answered_with_a_reason(people):
    client = key_client("write", "read:personal")
    bad = client.post(
        "/api/v1/people/", body_for(StateFactory(), email="not-an-address"), format="json"
    )
    assert bad.status_code == 400 and "email" in bad.json()["error"]["fields"]
    missing = client.post("/api/v1/people/", {"given_name": "Sara"}, format="json")
    assert missing.status_code == 400 and "family_name" in missing.json()["error"]["fields"]

    url = f"/api/v1/people/{people.listed.uid}/"
    gone = client.delete(url, HTTP_IF_MATCH=client.get(url)["ETag"])
    assert gone.status_code == 405 and "erase" in str(gone.json())

    person_erase(person=people.unregistered, by=None)
    url = f"/api/v1/people/{people.unregistered.uid}/"
    erased = client.patch(
        url, {"given_name": "Back"}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"]
    )
    assert erased.status_code == 400 and "erased" in str(erased.json())


def test_the_anonymous_list_takes_the_same_queries_whatever_the_number_of_people(
    people, django_assert_num_queries
):
    anonymous = APIClient(HTTP_HOST="localhost")
    # The count, the page, the latest deletion for Last-Modified.
    with django_assert_num_queries(3):
        assert len(anonymous.get("/api/v1/people/").json()["data"]) == 1
    meeting = people.listed.registrations.get().meeting
    for _ in range(5):
        registered(meeting)
    with django_assert_num_queries(3):
        assert len(anonymous.get("/api/v1/people/").json()["data"]) == 6


def test_contacts_reach_no_portal_page_nor_search(client, people):
    member = MembershipFactory(dialogue=people.dialogue, participant=people.listed.affiliation)
    pages = [
        reverse("participant-detail", args=[member.participant.slug]),
        f"{reverse('search')}?q={people.listed.family_name}",
    ]
    for viewer in (None, delegate_user(people.dialogue), UserFactory()):
        if viewer is not None:
            client.force_login(viewer)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            assert "listed@example.org" not in response.content.decode(), page
        # Searching for the address finds nobody by it (the page repeats only the query).
        found = client.get(f"{reverse('search')}?q=listed%40example.org").content.decode()
        assert "Listed" not in found
