"""One regression test per loose end of the API (and its neighbours on the portal): what a
caller may not see stays out of every corner of an answer, and bad requests get a clear 400."""

import csv
import datetime
import io
import wsgiref.headers
from unittest import mock

import pytest
import yaml
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from bpdialogue.models import Deletion
from meetings.models import Meeting
from tests.factories import (
    ActionPointFactory,
    ActivityFactory,
    AgendaItemFactory,
    CooperationFrameworkFactory,
    DelegationFactory,
    MeetingFactory,
    StatementFactory,
    ThematicFocusFactory,
    UserFactory,
    WorkplanFactory,
)

from .conftest import key_client, secretariat_client
from .test_schema import COMMITTED

pytestmark = pytest.mark.django_db

DRAFT = Meeting.RecordStatus.DRAFT


# Every link to a meeting outside the meeting's own parts: (endpoint, factory, link fields).
MEETING_LINKS = [
    ("action-points", lambda meeting: ActionPointFactory(fulfilled_by=meeting), ["fulfilled_by"]),
    ("activities", lambda meeting: ActivityFactory(realised_by=meeting), ["realised_by"]),
    (
        "workplans",
        lambda meeting: WorkplanFactory(presented_at=meeting, adopted_at=meeting),
        ["presented_at", "adopted_at"],
    ),
    (
        "frameworks",
        lambda meeting: CooperationFrameworkFactory(presented_at=meeting, adopted_at=meeting),
        ["presented_at", "adopted_at"],
    ),
    (
        "thematic-focuses",
        lambda meeting: ThematicFocusFactory(proposed_at=meeting, accepted_at=meeting),
        ["proposed_at", "accepted_at"],
    ),
]


@pytest.mark.parametrize(("endpoint", "make", "links"), MEETING_LINKS)
def test_a_link_to_a_meeting_the_caller_may_not_see_is_null(endpoint, make, links):
    hidden = MeetingFactory(visibility="secretariat")
    row = make(hidden)
    url = f"/api/v1/{endpoint}/{row.uid}/"

    public = key_client("read:participants").get(url).json()
    secretariat = secretariat_client().get(url).json()

    for link in links:
        assert public[link] is None, link
        assert secretariat[link] == str(hidden.uid), link


def test_a_link_to_a_visible_meeting_stays():
    shown = MeetingFactory()
    action_point = ActionPointFactory(fulfilled_by=shown)
    body = key_client("read:public").get(f"/api/v1/action-points/{action_point.uid}/").json()
    assert body["fulfilled_by"] == str(shown.uid)


@pytest.mark.parametrize(
    ("make", "draft_audience"),
    [
        (lambda meeting: StatementFactory(agenda_item__meeting=meeting), "secretariat"),
        (lambda meeting: DelegationFactory(meeting=meeting), "secretariat"),
        # The agenda is public before the record is: so is the deletion of an item.
        (lambda meeting: AgendaItemFactory(meeting=meeting), "participants"),
    ],
)
def test_the_deletions_feed_takes_its_audience_from_the_containing_meeting(make, draft_audience):
    draft_row = make(MeetingFactory(visibility="participants", record_status=DRAFT))
    published_row = make(MeetingFactory(visibility="participants"))
    draft_row.delete()
    published_row.delete()

    audience = dict(Deletion.objects.values_list("object_uid", "audience"))
    assert audience[draft_row.uid] == draft_audience
    assert audience[published_row.uid] == "participants"
    seen = {
        row["id"]
        for row in key_client("read:participants").get("/api/v1/deletions/").json()["data"]
    }
    assert str(published_row.uid) in seen
    assert (str(draft_row.uid) in seen) == (draft_audience == "participants")


def test_last_modified_comes_only_from_what_the_caller_may_see():
    meeting = MeetingFactory()
    Meeting.objects.filter(pk=meeting.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=2)
    )
    secret = MeetingFactory(visibility="secretariat")
    secret.delete()

    response = key_client("read:public").get(f"/api/v1/meetings/{meeting.uid}/")

    stored = Meeting.objects.get(pk=meeting.pk).updated_at
    assert response["Last-Modified"] == http_date(stored.timestamp())
    deleted_at = Deletion.objects.get(object_uid=secret.uid).deleted_at
    seen_by_secretariat = secretariat_client().get(f"/api/v1/meetings/{meeting.uid}/")
    assert seen_by_secretariat["Last-Modified"] == http_date(deleted_at.timestamp())


def test_an_unpublished_records_attendance_is_hidden_as_on_the_portal():
    delegation = DelegationFactory(meeting__record_status=DRAFT)
    meeting = delegation.meeting
    public = key_client("read:public")

    detail = public.get(f"/api/v1/meetings/{meeting.uid}/").json()
    listed = public.get("/api/v1/delegations/", {"meeting": str(meeting.uid)}).json()["data"]

    assert detail["attendance"] is None and detail["delegations"] == []
    assert listed == []
    assert public.get(f"/api/v1/delegations/{delegation.uid}/").status_code == 404
    secretariat = secretariat_client().get(f"/api/v1/meetings/{meeting.uid}/").json()
    assert secretariat["attendance"] and len(secretariat["delegations"]) == 1


def test_a_created_records_location_is_a_header_a_wsgi_server_accepts():
    """runserver's wsgiref refuses header values that are not exactly `str` (it answered 500
    after the row was created)."""
    meeting = MeetingFactory(record_status=DRAFT)
    response = key_client("write").post(
        "/api/v1/conclusions/", {"meeting": str(meeting.uid), "text": "Agreed."}, format="json"
    )
    assert response.status_code == 201, response.content
    headers = wsgiref.headers.Headers(list(response.items()))
    assert headers["Location"] == response.json()["url"]


def test_if_match_compares_strong_etags_only():
    meeting = MeetingFactory(record_status=DRAFT)
    writer = key_client("write")
    url = f"/api/v1/meetings/{meeting.uid}/"
    etag = writer.get(url)["ETag"]

    weak = writer.patch(url, {"city": "Istanbul"}, format="json", HTTP_IF_MATCH=f"W/{etag}")
    strong = writer.patch(url, {"city": "Istanbul"}, format="json", HTTP_IF_MATCH=etag)

    assert weak.status_code == 412
    assert strong.status_code == 200


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(api):
    for title in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "Plain title"):
        MeetingFactory(title=title)
    response = api.get("/api/v1/meetings/", {"format": "csv"})
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert {row["title"] for row in rows} == {
        "'=HYPERLINK(1)",
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "Plain title",
    }


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('{"city": "' + "x" * 20_000 + '"}', "larger than 9.8"),
        ('{"city": "\\ud800"}', "U+D800"),
        ('{"\\udfff": 1}', "U+DFFF"),
        ('{"kind": "\\ud800"}', "U+D800"),
        ("[" * 4_000 + "]" * 4_000, "nested"),
        ('{"city": ' + "[" * 40 + "]" * 40 + "}", "nested"),
    ],
    ids=["oversize", "lone surrogate", "surrogate key", "surrogate choice", "deep", "nested"],
)
def test_bodies_the_api_cannot_take_get_the_json_400(settings, body, says):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    meeting = MeetingFactory(record_status=DRAFT)
    writer = key_client("write")
    url = f"/api/v1/meetings/{meeting.uid}/"
    response = writer.generic(
        "PATCH",
        url,
        body,
        content_type="application/json",
        HTTP_IF_MATCH=writer.get(url)["ETag"],
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert says in response.json()["error"]["message"]


@pytest.mark.parametrize("year", ["99999", "0", "-5", "next"])
def test_the_portal_calendar_refuses_an_absurd_year(client, year):
    response = client.get("/calendar/", {"year": year})
    assert response.status_code == 400
    assert "give a year from 1900 to 2200" in response.text


def test_the_portal_calendar_shows_a_sane_year(client, db):
    assert client.get("/calendar/", {"year": "2016"}).status_code == 200
    assert client.get("/calendar/").status_code == 200


def test_the_schema_says_reads_work_without_a_key():
    schema = yaml.safe_load(COMMITTED.read_text())
    meetings = schema["paths"]["/api/v1/meetings/"]
    assert {} in meetings["get"]["security"]
    assert {} not in meetings["post"]["security"]


class CountingHasher(PBKDF2PasswordHasher):
    """Counts the password hashes computed (each the slow part of a login)."""

    iterations = 1
    computed = 0

    def encode(self, password, salt, iterations=None):
        type(self).computed += 1
        return super().encode(password, salt, iterations)


def test_login_hashes_once_for_a_known_and_an_unknown_user(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    UserFactory(username="amina")

    def hashes_for(username):
        CountingHasher.computed = 0
        response = Client().post(
            "/accounts/login/", {"username": username, "password": "wrong password"}
        )
        assert response.status_code == 200  # the form again, with its error
        return CountingHasher.computed

    assert hashes_for("amina") == hashes_for("nobody") == 1


def test_a_password_reset_request_does_the_same_work_for_known_and_unknown_addresses(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="amina@example.org")
    with mock.patch("participants.tasks.send_password_reset.apply_async") as enqueue:
        for email in ("amina@example.org", "nobody@example.org"):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post("/accounts/password_reset/", {"email": email})
            assert response.status_code == 302

    # Both requests only hand the address to the task; neither looks it up or sends mail.
    assert [call.kwargs["kwargs"]["email"] for call in enqueue.call_args_list] == [
        "amina@example.org",
        "nobody@example.org",
    ]
    assert mailoutbox == []
