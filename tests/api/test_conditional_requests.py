"""Conditional reads by RFC 9110's rules: If-None-Match compares weakly and wins over
If-Modified-Since, If-Match compares strongly, and a 304 still tells the caller's allowance."""

import pytest

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_url():
    return f"/api/v1/meetings/{MeetingFactory().uid}/"


def test_a_304_keeps_the_validators_and_the_rate_limit_headers(api, meeting_url):
    etag = api.get(meeting_url)["ETag"]
    not_modified = api.get(meeting_url, HTTP_IF_NONE_MATCH=f'"other", W/{etag}')
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == etag and "Last-Modified" in not_modified
    assert not_modified["Vary"].startswith("Accept, Authorization, Cookie")
    assert int(not_modified["X-RateLimit-Remaining"]) < int(not_modified["X-RateLimit-Limit"])


def test_if_none_match_wins_over_if_modified_since(api, meeting_url):
    last_modified = api.get(meeting_url)["Last-Modified"]
    response = api.get(
        meeting_url, HTTP_IF_NONE_MATCH='"other"', HTTP_IF_MODIFIED_SINCE=last_modified
    )
    assert response.status_code == 200


def test_a_read_under_a_stale_if_match_is_refused_in_the_apis_error_shape(api, meeting_url):
    etag = api.get(meeting_url)["ETag"]
    assert api.get(meeting_url, HTTP_IF_MATCH=etag).status_code == 200
    # A weak validator never matches If-Match, even the current one.
    for stale in ('"other"', f"W/{etag}"):
        response = api.get(meeting_url, HTTP_IF_MATCH=stale)
        assert response.status_code == 412
        assert response.json()["error"]["code"] == "precondition_failed"
