"""Invalid API keys are counted per address like failed sign-ins: after the limit the
address is refused for the cool-off before any key it sends is looked up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bpdialogue.api.services import api_key_create

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/meetings/"


def call(key, address="10.0.0.1"):
    return APIClient(HTTP_HOST="localhost").get(
        MEETINGS, HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR=address
    )


def test_after_five_invalid_keys_the_address_is_refused_without_looking_keys_up():
    _, good = api_key_create(name="partner", scopes=["read:public"])
    assert [call("bpd_guess_wrong").status_code for _ in range(5)] == [401] * 5

    with CaptureQueriesContext(connection) as queries:
        refused = call(good)
    assert refused.status_code == 429
    assert not [q for q in queries.captured_queries if "apikey" in q["sql"].lower()]
    assert refused.json() == {
        "error": {
            "status": 429,
            "code": "too_many_invalid_keys",
            "message": refused.json()["error"]["message"],
        }
    }
    assert "Too many invalid API keys from this address" in refused.json()["error"]["message"]
    assert 14 * 60 < int(refused["Retry-After"]) <= 15 * 60

    # Another address, and callers without a key, are not affected.
    assert call(good, address="10.0.0.2").status_code == 200
    assert APIClient(HTTP_HOST="localhost").get(MEETINGS, REMOTE_ADDR="10.0.0.1").status_code == 200


def test_good_keys_and_fewer_failures_do_not_lock():
    _, good = api_key_create(name="partner", scopes=["read:public"])
    for _ in range(4):
        assert call("bpd_guess_wrong").status_code == 401
    assert call(good).status_code == 200
