"""The API's representation cache (bpdialogue/representations.py): nothing a caller may not
see is served from it, every kind of write invalidates it, and the guarantees of a request
(keys, throttling, conditional requests) hold on a hit as on a miss."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from bpdialogue import representations
from bpdialogue.api.viewsets import body_etag
from meetings.models import Meeting
from tests.factories import MeetingFactory, UserFactory, delegate_user

from .conftest import key_client, secretariat_client

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/meetings/"


def uids(response) -> set[str]:
    assert response.status_code == 200
    return {row["id"] for row in response.json()["data"]}


def cached_entries() -> int:
    """Representations stored, in whichever cache the run has: LocMemCache keeps its entries in
    a dict of its own; django-redis lists keys by pattern (the suite's Redis pass)."""
    if hasattr(cache, "keys"):
        return len(cache.keys(f"{representations.ENTRY_PREFIX}*"))
    return sum(representations.ENTRY_PREFIX in key for key in cache._cache)


@pytest.fixture
def two_audiences():
    public = MeetingFactory(visibility="public")
    closed = MeetingFactory(visibility="participants", dialogue=public.dialogue)
    return public, closed


@pytest.mark.parametrize("partner_first", [True, False])
def test_callers_who_see_more_never_share_an_entry_with_those_who_see_less(
    api, two_audiences, partner_first
):
    public, closed = two_audiences
    partner = key_client("read:participants")
    everyone = {str(public.uid), str(closed.uid)}
    answers = {}
    for name in ("partner", "public") if partner_first else ("public", "partner"):
        client = partner if name == "partner" else api
        # Twice each: the second answer is the cached one.
        answers[name] = [uids(client.get(MEETINGS)) for _ in range(2)]
    assert answers["partner"] == [everyone, everyone]
    assert answers["public"] == [{str(public.uid)}, {str(public.uid)}]
    assert cached_entries() == 2
    # The detail of the closed meeting: the partner's never reaches the public.
    detail = f"{MEETINGS}{closed.uid}/"
    if partner_first:
        assert partner.get(detail).status_code == 200
    assert api.get(detail).status_code == 404
    assert partner.get(detail).status_code == 200


def test_a_delegate_session_and_the_public_each_have_their_own_entry(api, two_audiences):
    public, closed = two_audiences
    delegate = APIClient(HTTP_HOST="localhost")
    delegate.force_login(delegate_user(closed.dialogue))

    assert uids(api.get(MEETINGS)) == {str(public.uid)}
    assert uids(delegate.get(MEETINGS, HTTP_ACCEPT="application/json")) == {
        str(public.uid),
        str(closed.uid),
    }
    assert uids(api.get(MEETINGS)) == {str(public.uid)}


def test_a_write_through_the_api_invalidates(api):
    meeting = MeetingFactory(city="Budapest", record_status=Meeting.RecordStatus.DRAFT)
    writer = key_client("write")
    url = f"{MEETINGS}{meeting.uid}/"
    etag = writer.get(url)["ETag"]
    assert api.get(url).json()["city"] == "Budapest"

    changed = writer.patch(url, {"city": "Istanbul"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.json()
    assert api.get(url).json()["city"] == "Istanbul"
    assert [row["city"] for row in api.get(MEETINGS).json()["data"]] == ["Istanbul"]
    # The ETag a write answers is the one the next read (built anew) sends.
    assert writer.get(url)["ETag"] == changed["ETag"]


def test_a_write_through_the_workspace_invalidates(api):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    url = f"{MEETINGS}{meeting.uid}/"
    assert api.get(url).json()["agenda_items"] == []

    staff = APIClient()
    staff.force_login(UserFactory(secretariat=True))
    agenda = reverse("secretariat:meeting-agenda", kwargs={"slug": meeting.slug})
    staff.post(agenda, {"title": "Opening of the meeting"})

    assert [item["title"] for item in api.get(url).json()["agenda_items"]] == [
        "Opening of the meeting"
    ]


def test_a_management_command_invalidates(demo):
    secretariat = secretariat_client()
    url = f"{MEETINGS}{demo.uid}/"
    before = {document["kind"] for document in secretariat.get(url).json()["documents"]}
    assert "agenda" not in before

    call_command(
        "render_documents", "--meeting", demo.slug, "--kind", "agenda", stdout=io.StringIO()
    )

    after = {document["kind"] for document in secretariat.get(url).json()["documents"]}
    assert after == before | {"agenda"}


def test_writes_that_bypass_the_services_invalidate_too(api):
    meeting = MeetingFactory(city="Budapest")
    url = f"{MEETINGS}{meeting.uid}/"
    assert api.get(url).json()["city"] == "Budapest"
    Meeting.objects.filter(pk=meeting.pk).update(city="Antalya")
    assert api.get(url).json()["city"] == "Antalya"
    Meeting.objects.filter(pk=meeting.pk).delete()
    # Gone: the deletion marker at its URL.
    assert api.get(url).json()["deleted"] is True


def test_later_writes_in_one_transaction_invalidate_what_was_read_in_between(api):
    meeting = MeetingFactory(city="Budapest")
    url = f"{MEETINGS}{meeting.uid}/"
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(city="Antalya")
        assert api.get(url).json()["city"] == "Antalya"
        Meeting.objects.filter(pk=meeting.pk).update(city="Istanbul")
        assert api.get(url).json()["city"] == "Istanbul"


@pytest.mark.django_db(transaction=True)
def test_the_counter_moves_again_when_a_transaction_commits():
    meeting = MeetingFactory()
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(city="Antalya")
        during = representations.change_counter()
    assert representations.change_counter() > during


def test_what_no_representation_shows_does_not_invalidate(api):
    MeetingFactory()
    partner = key_client("read:public")
    partner.get(MEETINGS)
    counter = representations.change_counter()
    # A key's first use is noted (an UPDATE of its row); sessions and sign-in attempts
    # likewise change nothing the API shows.
    assert representations.change_counter() == counter
    assert not representations.is_write('UPDATE "bpdialogue_apikey" SET "last_used_at" = 1')
    assert not representations.is_write('INSERT INTO "django_session" ("session_key") VALUES')
    assert representations.is_write('UPDATE "meetings_meeting" SET "city" = %s')
    assert representations.is_write('DELETE FROM "meetings_statement" WHERE 1')
    assert not representations.is_write('SELECT 1 FROM "meetings_meeting"')


def test_a_hit_still_refuses_invalid_keys_and_counts_against_the_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"key": "2/min", "user": "2/min", "anon": "2/min"},
    }
    MeetingFactory()
    partner = key_client("read:public")
    assert partner.get(MEETINGS).status_code == 200
    assert cached_entries() == 1

    wrong = APIClient(HTTP_HOST="localhost")
    wrong.credentials(HTTP_AUTHORIZATION="Bearer bpd_not_a_key")
    assert wrong.get(MEETINGS).status_code == 401

    second, third = partner.get(MEETINGS), partner.get(MEETINGS)
    assert second.status_code == 200 and second["X-RateLimit-Remaining"] == "0"
    assert third.status_code == 429


def test_a_304_is_answered_from_the_cached_validators(api):
    meeting = MeetingFactory()
    url = f"{MEETINGS}{meeting.uid}/"
    first = api.get(url)
    with CaptureQueriesContext(connection) as queries:
        not_modified = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        since = api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert not_modified.status_code == 304 and since.status_code == 304
    assert not_modified["ETag"] == first["ETag"]
    assert not_modified["Last-Modified"] == first["Last-Modified"]
    assert "X-RateLimit-Remaining" in not_modified
    # Nothing was built: no query at all for an anonymous caller.
    assert queries.captured_queries == []


def test_the_body_is_rendered_once_and_the_etag_hashes_it(api):
    meeting = MeetingFactory()
    url = f"{MEETINGS}{meeting.uid}/"
    for response in (api.get(url), api.get(url)):
        assert response["ETag"] == body_etag(response.content)
        assert response["Content-Type"] == "application/json"


def test_hosts_and_formats_are_kept_apart(api):
    MeetingFactory()
    here = api.get(MEETINGS).json()["links"]["self"]
    there = APIClient(HTTP_HOST="testserver").get(MEETINGS).json()["links"]["self"]
    assert here.startswith("http://localhost/") and there.startswith("http://testserver/")
    csv = api.get(MEETINGS, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")


def test_turned_off_with_zero_seconds(api, settings):
    settings.API_REPRESENTATION_CACHE_SECONDS = 0
    MeetingFactory()
    api.get(MEETINGS)
    assert cached_entries() == 0


def test_a_key_revoked_by_any_write_is_refused_at_the_next_request():
    from django.utils import timezone

    from bpdialogue.models import ApiKey

    MeetingFactory()
    partner = key_client("read:public")
    assert partner.get(MEETINGS).status_code == 200
    assert partner.get(MEETINGS).status_code == 200  # the key read from the cache
    ApiKey.objects.update(revoked_at=timezone.now())
    assert partner.get(MEETINGS).status_code == 401
