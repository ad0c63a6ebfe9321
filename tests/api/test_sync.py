"""A partner keeping a copy in step: paging while data changes, modified_since, the
deletions feed, conditional GETs, and writes that cannot overwrite newer work."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting, Statement
from tests.factories import (
    DialogueFactory,
    MeetingFactory,
    StatementFactory,
)

from .conftest import key_client, secretariat_client

pytestmark = pytest.mark.django_db


def all_pages(client, url, between_pages=None):
    """Follow `next` links to the end; returns the ids in the order delivered."""
    ids, page = [], 0
    while url:
        body = client.get(url).json()
        ids.extend(row["id"] for row in body["data"])
        url = body["links"].get("next")
        if between_pages and url:
            between_pages(page)
        page += 1
    return ids


def test_paging_through_a_changing_set_neither_skips_nor_loses_a_record(api):
    meetings = [MeetingFactory() for _ in range(7)]

    def meanwhile(page):
        if page == 0:
            # Someone edits a meeting already delivered and one not yet delivered, and
            # deletes another one not yet delivered.
            for meeting in (meetings[0], meetings[5]):
                meeting.title += " (revised)"
                meeting.save()
            meetings[4].delete()

    ids = all_pages(api, "/api/v1/meetings/?limit=3", meanwhile)

    survivors = {str(m.uid) for m in meetings if m is not meetings[4]}
    assert survivors <= set(ids), "no surviving meeting is skipped"
    # The meeting edited after it was delivered comes again, with its new version.
    assert ids.count(str(meetings[0].uid)) == 2
    assert str(meetings[4].uid) not in ids


def test_next_links_carry_every_filter_and_the_page_size(api):
    since = timezone.now() - datetime.timedelta(days=1)
    for _ in range(3):
        MeetingFactory(kind=Meeting.Kind.WORKING_GROUP)
    MeetingFactory(kind=Meeting.Kind.SENIOR_OFFICIALS)
    params = {
        "limit": 2,
        "kind": "working_group",
        "modified_since": since.isoformat(),
        "modified_until": (timezone.now() + datetime.timedelta(days=1)).isoformat(),
        "created_since": since.isoformat(),
    }
    body = api.get("/api/v1/meetings/", params).json()
    assert body["pagination"] == {"total_elements": 3, "elements_per_page": 2}
    following = body["links"]["next"]
    for name in params:
        assert f"{name}=" in following
    last = api.get(following).json()
    assert len(last["data"]) == 1 and "next" not in last["links"]
    assert last["links"]["first"].startswith("http://localhost/api/v1/meetings/?")
    assert "cursor" not in last["links"]["first"]


def test_page_size_has_a_limit(api, db):
    response = api.get("/api/v1/meetings/", {"limit": 1000})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"limit": ["A whole number from 1 to 200."]}


def test_incremental_sync_sees_changes_and_deletions_since_the_last_run():
    statement = StatementFactory()
    meeting = statement.agenda_item.meeting
    untouched = MeetingFactory(dialogue=meeting.dialogue)
    partner = key_client("read:participants")
    first_run = timezone.now()

    meeting.city = "Istanbul"
    meeting.save()
    statement.delete()

    changed = partner.get("/api/v1/meetings/", {"modified_since": first_run.isoformat()}).json()
    assert [row["id"] for row in changed["data"]] == [str(meeting.uid)]
    assert changed["data"][0]["city"] == "Istanbul"
    assert str(untouched.uid) not in {row["id"] for row in changed["data"]}

    deleted = partner.get("/api/v1/deletions/", {"since": first_run.isoformat()}).json()
    assert [(row["id"], row["model"]) for row in deleted["data"]] == [
        (str(statement.uid), "meetings.statement")
    ]


def test_publishing_a_record_counts_as_a_change_to_its_statements(api):
    statement = StatementFactory(agenda_item__meeting__record_status=Meeting.RecordStatus.DRAFT)
    before_publication = timezone.now()
    assert api.get("/api/v1/statements/").json()["data"] == []

    meeting = statement.agenda_item.meeting
    meeting.record_status = Meeting.RecordStatus.PUBLISHED
    meeting.save()

    since = api.get("/api/v1/statements/", {"modified_since": before_publication.isoformat()})
    assert [row["id"] for row in since.json()["data"]] == [str(statement.uid)]


def test_deletions_feed_shows_only_what_the_viewer_could_have_seen(api):
    dialogue = DialogueFactory()
    public = MeetingFactory(dialogue=dialogue)
    hidden = MeetingFactory(dialogue=dialogue, visibility="secretariat")
    for meeting in (public, hidden):
        meeting.delete()

    def deleted(client):
        return {row["id"] for row in client.get("/api/v1/deletions/").json()["data"]}

    assert deleted(api) == {str(public.uid)}
    assert deleted(secretariat_client()) == {str(public.uid), str(hidden.uid)}


def test_deletions_feed_rejects_a_malformed_since(api, db):
    response = api.get("/api/v1/deletions/", {"since": "yesterday"})
    assert response.status_code == 400
    assert "since" in response.json()["error"]["fields"]


@pytest.mark.parametrize("path", ["/api/v1/meetings/", "/api/v1/meetings/{uid}/"])
def test_conditional_get_answers_304_until_something_changes(api, path):
    meeting = MeetingFactory()
    url = path.format(uid=meeting.uid)
    first = api.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]

    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    not_modified = api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag

    Meeting.objects.filter(pk=meeting.pk).update(
        title="Renamed", updated_at=timezone.now() + datetime.timedelta(seconds=2)
    )
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200


def test_a_nested_change_changes_the_meetings_etag(api):
    statement = StatementFactory()
    url = f"/api/v1/meetings/{statement.agenda_item.meeting.uid}/"
    etag = api.get(url)["ETag"]
    Statement.objects.filter(pk=statement.pk).update(text="Reworded.")
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_updates_need_if_match_and_refuse_a_stale_version():
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    writer = key_client("write")
    url = f"/api/v1/meetings/{meeting.uid}/"
    etag = writer.get(url)["ETag"]

    missing = writer.patch(url, {"city": "Istanbul"}, format="json")
    assert missing.status_code == 428
    assert missing.json()["error"]["code"] == "precondition_required"

    # Someone else saves first.
    Meeting.objects.get(pk=meeting.pk).save()
    stale = writer.patch(url, {"city": "Istanbul"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Meeting.objects.get(pk=meeting.pk).city == "Antalya"

    fresh = writer.get(url)["ETag"]
    done = writer.patch(url, {"city": "Istanbul"}, format="json", HTTP_IF_MATCH=fresh)
    assert done.status_code == 200, done.content
    assert done.json()["city"] == "Istanbul"
    assert done["ETag"] == writer.get(url)["ETag"]
    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.city == "Istanbul" and stored.calendar_sequence == 1


def test_the_database_update_itself_is_conditional_on_the_version(monkeypatch):
    """Even if another save slips in between the If-Match check and the UPDATE."""
    from bpdialogue.api import viewsets

    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    writer = key_client("write")
    url = f"/api/v1/meetings/{meeting.uid}/"
    etag = writer.get(url)["ETag"]
    check = viewsets.ApiWriteViewSet.check_if_match

    def check_then_someone_else_saves(self, instance):
        version = check(self, instance)
        Meeting.objects.get(pk=meeting.pk).save()
        return version

    monkeypatch.setattr(viewsets.ApiWriteViewSet, "check_if_match", check_then_someone_else_saves)
    response = writer.patch(url, {"city": "Istanbul"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert Meeting.objects.get(pk=meeting.pk).city == "Antalya"


def test_creating_a_meeting_and_its_parts(demo):
    writer = key_client("write")
    created = writer.post(
        "/api/v1/meetings/",
        {
            "dialogue": str(demo.dialogue.uid),
            "kind": "senior_officials",
            "sequence_number": 25,
            "start_date": "2017-11-30",
            "visibility": "public",
            # In the chair, Türkiye may speak without a delegation of its own.
            "chair": str(demo.host_country.uid),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert meeting["title"] == "25th Meeting of the Senior Officials of the Budapest Process"
    assert created["Location"] == meeting["url"]

    item = writer.post(
        "/api/v1/agenda-items/", {"meeting": meeting["id"], "title": "Opening"}, format="json"
    )
    assert item.status_code == 201, item.content
    assert item.json()["position"] == 1
    statement = writer.post(
        "/api/v1/statements/",
        {
            "agenda_item": item.json()["id"],
            "text": "Türkiye opened the meeting.",
            "speakers": [str(demo.host_country.uid)],
        },
        format="json",
    )
    assert statement.status_code == 201, statement.content
    assert statement.json()["meeting"] == meeting["id"]


def test_invalid_writes_answer_400_naming_the_fields(demo):
    writer = key_client("write")
    response = writer.post(
        "/api/v1/meetings/",
        {
            "dialogue": "not-a-uid",
            "kind": "picnic",
            "start_date": "2017-11-30",
            "end_date": "2017-11-01",
        },
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) >= {"dialogue", "kind"}

    dates = writer.post(
        "/api/v1/meetings/",
        {
            "dialogue": str(demo.dialogue.uid),
            "kind": "thematic",
            "start_date": "2017-11-30",
            "end_date": "2017-11-01",
        },
        format="json",
    )
    assert dates.status_code == 400
    assert "end_date" in dates.json()["error"]["fields"]


def test_deleting_through_the_api_needs_if_match_and_feeds_the_deletions_list():
    # A published record is locked, and only the secretariat sees a draft one.
    statement = StatementFactory(agenda_item__meeting__record_status=Meeting.RecordStatus.DRAFT)
    writer = secretariat_client()
    url = f"/api/v1/statements/{statement.uid}/"
    assert writer.delete(url).status_code == 428
    etag = writer.get(url)["ETag"]
    assert writer.delete(url, HTTP_IF_MATCH=etag).status_code == 204
    # OParl's deletion marker, not a 404 (tests/api/test_deletion_markers.py).
    assert writer.get(url).json()["deleted"] is True
    deleted = writer.get("/api/v1/deletions/", {"model": "meetings.statement"}).json()["data"]
    assert [row["id"] for row in deleted] == [str(statement.uid)]


def test_main_lists_export_as_csv(demo, api):
    response = api.get("/api/v1/meetings/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["title"] for row in rows} >= {demo.title}
    assert rows[0]["id"] and rows[0]["start_date"]

    statements = api.get("/api/v1/statements/", {"format": "csv", "meeting": str(demo.uid)})
    rows = list(csv.DictReader(io.StringIO(statements.content.decode("utf-8-sig"))))
    assert len(rows) == Statement.objects.filter(agenda_item__meeting=demo).count()


def test_the_calendar_feed_takes_the_list_filters(api):
    in_2016 = MeetingFactory(start_date=datetime.date(2016, 12, 15))
    in_2017 = MeetingFactory(start_date=datetime.date(2017, 6, 1))
    MeetingFactory(visibility="secretariat")

    def uids(params):
        response = api.get("/api/v1/meetings.ics", params)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        return {str(event["UID"]).split("@")[0] for event in calendar.walk("VEVENT")}

    assert uids({}) == {str(in_2016.uid), str(in_2017.uid)}
    assert uids({"year": 2017}) == {str(in_2017.uid)}
