"""A database or Redis outage is answered cleanly, never with a traceback."""

import time
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django_redis.cache import RedisCache
from django_redis.client import DefaultClient

from bpdialogue.database.base import DatabaseWrapper
from bpdialogue.outage import Circuit, database_circuit, server_error
from tests.factories import UserFactory
from tests.stillness import Stillness

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


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch("bpdialogue.outage.time.monotonic", clock):
        yield clock


def test_after_a_failure_the_circuit_refuses_at_once_then_lets_one_caller_try(clock):
    circuit = Circuit("database", open_seconds=2)
    assert circuit.allows()
    circuit.failed()
    clock.now += 1.9
    assert not circuit.allows()
    clock.now += 0.2
    assert circuit.allows()  # the one that tries again
    assert not circuit.allows()  # the others, while it tries
    circuit.failed()
    assert not circuit.allows()
    clock.now += 2.1
    assert circuit.allows()
    circuit.succeeded()
    assert circuit.allows() and circuit.allows() and not circuit.is_open


def test_an_error_that_is_not_an_outage_ends_the_try_without_a_verdict(clock):
    circuit = Circuit("database", open_seconds=2)
    circuit.failed()
    clock.now += 3
    assert circuit.allows()
    with pytest.raises(ValueError), circuit.attempt(failures=(OSError,)):
        raise ValueError("a bug")
    assert circuit.is_open and circuit.allows()  # the next caller tries


@pytest.fixture
def unreachable_postgresql():
    """The backend as settings.DATABASES configures it, on a port nobody listens on, with the
    process's circuit closed before and after."""
    database_circuit.succeeded()
    wrapper = DatabaseWrapper(
        {
            "ENGINE": "bpdialogue.database",
            "NAME": "bpdialogue",
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": 1,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {"connect_timeout": 2, "pool": {"min_size": 1, "timeout": 0.5}},
            "TIME_ZONE": None,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "PASSWORD": "",
            "TEST": {},
        },
        alias="unreachable",
    )
    yield wrapper
    wrapper._connection_pools.pop("unreachable", None)
    database_circuit.succeeded()


def test_an_unreachable_database_costs_one_pool_timeout_then_answers_at_once(
    unreachable_postgresql,
):
    with Stillness() as stillness:
        started = time.monotonic()
        with pytest.raises(OperationalError):
            unreachable_postgresql.ensure_connection()
        first = stillness.server_seconds(started, time.monotonic() - started)
        assert database_circuit.is_open
        # The pool that failed is dropped: the next try starts afresh, not on its back-off.
        assert "unreachable" not in unreachable_postgresql._connection_pools

        started = time.monotonic()
        for _ in range(50):
            with pytest.raises(OperationalError, match="unreachable a moment ago"):
                unreachable_postgresql.ensure_connection()
        fifty = stillness.server_seconds(started, time.monotonic() - started)
    print(f"\nfirst refusal {first * 1000:.0f} ms, the next fifty {fifty * 1000:.1f} ms")
    assert first < 1
    # Fifty refusals together cost less than the one pool timeout (0.5 s) they each skip.
    assert fifty < 0.25


def test_trying_again_while_the_server_does_not_listen_costs_no_pool_timeout(
    unreachable_postgresql,
):
    with pytest.raises(OperationalError):
        unreachable_postgresql.ensure_connection()
    database_circuit._open_until = time.monotonic()  # the two seconds are over
    with Stillness() as stillness:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="does not listen"):
            unreachable_postgresql.ensure_connection()
        took = stillness.server_seconds(started, time.monotonic() - started)
    assert took < 0.25  # under the pool's 0.5 s timeout
    assert database_circuit.is_open and not database_circuit.allows()
    assert "unreachable" not in unreachable_postgresql._connection_pools


def test_once_the_database_answers_again_the_circuit_closes(unreachable_postgresql):
    with pytest.raises(OperationalError):
        unreachable_postgresql.ensure_connection()
    database_circuit._open_until = time.monotonic()  # the two seconds are over
    with (
        mock.patch.object(DatabaseWrapper, "_server_listens", return_value=True),
        mock.patch(
            "django.db.backends.postgresql.base.DatabaseWrapper.get_new_connection"
        ) as connect,
    ):
        unreachable_postgresql.get_new_connection({})
    assert connect.called
    assert not database_circuit.is_open


def test_healthz_answers_while_no_database_connection_can_be_made(client):
    # Signed in: the session cookie must not make the probe read the session.
    client.force_login(UserFactory(secretariat=True))
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=OperationalError("refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 200
