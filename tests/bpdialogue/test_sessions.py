"""A forged session cookie is no session, not a server error."""

import pytest
from django.conf import settings

from bpdialogue.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cookie", ["abc\x00defghijk", "ABCDEFGHIJKL", "a" * 41, "short"])
def test_a_cookie_that_cannot_be_a_session_key_is_no_session(client, cookie):
    assert SessionStore(cookie).session_key is None
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/meetings/").status_code == 200


def test_a_real_session_still_signs_in(client):
    client.force_login(UserFactory())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key).session_key == key
    assert client.get("/accounts/").status_code == 200
