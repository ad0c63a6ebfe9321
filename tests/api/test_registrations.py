"""/api/v1/registrations/: who reads which nominations, a `write` key nominates and
withdraws, the secretariat confirms and declines, each write at the version it read."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Delegation, Meeting, Registration
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
)

from .conftest import key_client, secretariat_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/registrations/"


@pytest.fixture
def planned():
    return MeetingFactory(
        status=Meeting.Status.PLANNED,
        record_status=Meeting.RecordStatus.DRAFT,
        start_date=timezone.localdate() + datetime.timedelta(days=30),
    )


@pytest.fixture
def member(planned):
    return MembershipFactory(dialogue=planned.dialogue).participant


@pytest.fixture
def rows(planned, member):
    """A nomination to the planned meeting; confirmed and declined ones of a published
    record; a confirmed one of a published record shared with the secretariat only."""
    published = MeetingFactory(dialogue=planned.dialogue)
    hidden = MeetingFactory(dialogue=planned.dialogue, visibility="secretariat")
    return {
        "nominated": RegistrationFactory(meeting=planned, participant=member),
        "published": RegistrationFactory(meeting=published, participant=member, status="confirmed"),
        "declined": RegistrationFactory(meeting=published, participant=member, status="declined"),
        "hidden": RegistrationFactory(meeting=hidden, participant=member, status="confirmed"),
    }


def listed(client) -> set[str]:
    response = client.get(URL)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["data"]}


def uids(rows, *names) -> set[str]:
    return {str(rows[name].uid) for name in names}


def test_the_public_sees_only_the_confirmed_registrations_of_published_records(api, rows):
    assert listed(api) == uids(rows, "published")
    assert listed(key_client("read:public")) == uids(rows, "published")
    assert api.get(f"{URL}{rows['nominated'].uid}/").status_code == 404
    row = api.get(f"{URL}{rows['published'].uid}/").json()
    assert set(row) >= {"meeting", "participant", "person", "role", "status"}
    assert "email" not in row and "phone" not in row


@pytest.mark.parametrize("scopes", [("read:personal",), ("write",)])
def test_keys_that_read_personal_data_or_nominate_see_every_status(rows, scopes):
    # Not the meeting shared with the secretariat only.
    assert listed(key_client(*scopes)) == uids(rows, "nominated", "published", "declined")


def test_the_secretariat_sees_them_all_and_filters_by_status(rows):
    client = secretariat_client()
    assert listed(client) == uids(rows, "nominated", "published", "declined", "hidden")
    response = client.get(URL, {"status": "nominated"})
    assert {row["id"] for row in response.json()["data"]} == uids(rows, "nominated")


def test_a_write_key_nominates_and_the_nomination_starts_as_nominated(planned, member):
    person = PersonFactory(affiliation=member)
    writer = key_client("write")
    body = {
        "meeting": str(planned.uid),
        "participant": str(member.uid),
        "person": str(person.uid),
        "role": "head",
    }

    response = writer.post(URL, body, format="json")

    assert response.status_code == 201, response.content
    registration = Registration.objects.get(uid=response.json()["id"])
    assert (registration.status, registration.role, registration.position) == (
        "nominated",
        "head",
        person.position,
    )
    assert response["ETag"] and response["Location"].endswith(f"{registration.uid}/")
    again = writer.post(URL, {**body, "status": "confirmed"}, format="json")
    assert again.status_code == 400 and "status" in again.json()["error"]["fields"]


def test_a_write_key_is_held_to_the_deadline_and_the_participant_s_people(planned, member):
    writer = key_client("write")
    body = {"meeting": str(planned.uid), "participant": str(member.uid)}

    stranger = writer.post(URL, {**body, "person": str(PersonFactory().uid)}, format="json")
    assert stranger.status_code == 400 and "person" in stranger.json()["error"]["fields"]

    Meeting.objects.filter(pk=planned.pk).update(
        registration_deadline=timezone.localdate() - datetime.timedelta(1)
    )
    late = writer.post(
        URL, {**body, "person": str(PersonFactory(affiliation=member).uid)}, format="json"
    )
    assert late.status_code == 400 and "Nominations closed" in late.json()["error"]["message"]
    assert not Registration.objects.exists()


def test_confirming_is_the_secretariat_s_at_the_version_it_read(rows):
    url = f"{URL}{rows['nominated'].uid}/"
    writer = key_client("write")
    refused = writer.patch(
        url, {"status": "confirmed"}, format="json", HTTP_IF_MATCH=writer.get(url)["ETag"]
    )
    assert refused.status_code == 403

    secretariat = secretariat_client()
    assert secretariat.patch(url, {"status": "confirmed"}, format="json").status_code == 428
    etag = secretariat.get(url)["ETag"]
    confirmed = secretariat.patch(url, {"status": "confirmed"}, format="json", HTTP_IF_MATCH=etag)
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed" and confirmed.json()["decided_at"]
    assert Delegation.objects.get(meeting=rows["nominated"].meeting).headcount == 1

    stale = secretariat.patch(
        url, {"status": "declined", "note": "No."}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412


def test_declining_through_the_api_needs_a_note(rows):
    url = f"{URL}{rows['nominated'].uid}/"
    secretariat = secretariat_client()
    response = secretariat.patch(
        url, {"status": "declined"}, format="json", HTTP_IF_MATCH=secretariat.get(url)["ETag"]
    )
    assert response.status_code == 400 and "note" in response.json()["error"]["fields"]


def test_a_nomination_stays_as_made(rows):
    url = f"{URL}{rows['nominated'].uid}/"
    secretariat = secretariat_client()
    response = secretariat.patch(
        url, {"role": "adviser"}, format="json", HTTP_IF_MATCH=secretariat.get(url)["ETag"]
    )
    assert response.status_code == 400 and "role" in response.json()["error"]["fields"]


def test_a_write_key_withdraws_with_if_match_and_leaves_a_tombstone(rows):
    url = f"{URL}{rows['nominated'].uid}/"
    writer = key_client("write")
    assert writer.delete(url).status_code == 428

    assert writer.delete(url, HTTP_IF_MATCH=writer.get(url)["ETag"]).status_code == 204
    assert not Registration.objects.filter(pk=rows["nominated"].pk).exists()
    deletions = secretariat_client().get("/api/v1/deletions/").json()["data"]
    assert str(rows["nominated"].uid) in {row["id"] for row in deletions}


def test_reading_keys_and_the_public_cannot_write(planned, member, api):
    body = {
        "meeting": str(planned.uid),
        "participant": str(member.uid),
        "person": str(PersonFactory(affiliation=member).uid),
    }
    assert api.post(URL, body, format="json").status_code == 401
    assert key_client("read:personal").post(URL, body, format="json").status_code == 403
