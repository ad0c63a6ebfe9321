"""A database or Redis outage is answered cleanly, never with a traceback."""

import time
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django_redis.cache import RedisCache
from django_redis.client import DefaultClient

from bpdialogue.outage import server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_that_cannot_reach_the_database_answers_503_with_a_message(client, error):
    with mock.patch("meetings.selectors.meetings_visible_to", side_effect=error("gone")):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "The database is unavailable" in body
    assert "Traceback" not in body and "gone" not in body


def test_a_json_client_gets_the_message_as_json(client):
    with mock.patch("meetings.selectors.meetings_visible_to", side_effect=OperationalError("gone")):
        response = client.get("/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response.json() == {
        "error": {
            "status": 503,
            "code": "database_unavailable",
            "message": "The database is unavailable at the moment. Please try again in a minute.",
        }
    }


def test_a_database_error_outside_a_view_is_an_outage_too():
    request = RequestFactory().get("/meetings/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503


def test_any_other_error_stays_a_plain_500():
    request = RequestFactory().get("/meetings/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500


@pytest.fixture
def unreachable_redis():
    """The cache as settings.CACHES configures it with REDIS_URL, on a port nobody listens on."""
    return RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5}})


def test_an_unreachable_redis_cache_reads_as_a_miss_and_drops_writes(unreachable_redis):
    cache = unreachable_redis
    assert cache.get("throttle", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert not cache.add("a", 1)
    assert not cache.has_key("a")
    cache.set("a", 1)
    cache.delete("a")


def test_a_redis_outage_logs_one_warning_a_minute_not_one_per_request(unreachable_redis, caplog):
    # Later than any warning an earlier test logged, so the minute starts here.
    start = time.monotonic() + 3600
    with mock.patch("bpdialogue.outage.time.monotonic") as clock:
        for now in (start, start + 1, start + 59, start + 61):
            clock.return_value = now
            unreachable_redis.get("throttle")
    warnings = [r for r in caplog.records if r.name == "bpdialogue.cache"]
    assert [(r.levelname, r.getMessage(), r.exc_info) for r in warnings] == [
        ("WARNING", "cache unavailable (ConnectionError)", None),
    ] * 2


def test_the_cache_still_raises_errors_that_are_not_an_outage(unreachable_redis):
    with mock.patch.object(DefaultClient, "get", side_effect=ValueError("bad key")):
        with pytest.raises(ValueError):
            unreachable_redis.get("a")
