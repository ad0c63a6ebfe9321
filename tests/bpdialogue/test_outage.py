"""A database or Redis outage is answered cleanly, never with a traceback."""

from unittest import mock

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from bpdialogue.outage import ResilientRedisCache, server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_that_cannot_reach_the_database_answers_503_with_a_message(client, error):
    with mock.patch("meetings.views.selectors.meetings_visible_to", side_effect=error("gone")):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "The database is unavailable" in body
    assert "Traceback" not in body and "gone" not in body


def test_a_json_client_gets_the_message_as_json(client):
    with mock.patch(
        "meetings.views.selectors.meetings_visible_to", side_effect=OperationalError("gone")
    ):
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


def test_an_unreachable_redis_cache_reads_as_a_miss_and_drops_writes():
    cache = ResilientRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.5}}
    )
    assert cache.get("throttle", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    cache.set("a", 1)
    cache.delete("a")
    assert cache.incr("counter", 3) == 3


def test_the_resilient_cache_still_raises_errors_that_are_not_an_outage():
    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {})
    with mock.patch.object(RedisCache, "get", side_effect=ValueError("bad key")):
        with pytest.raises(ValueError):
            cache.get("a")
