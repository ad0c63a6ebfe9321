"""Sign-in protection: failed sign-ins lock an account and an address (django-axes), the
locked visitor is told until when, secretariat passwords are longer and their sessions end
when left idle."""

import datetime
import time
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from bpdialogue.signin import RENEWED_AT, client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # the factory's


def sign_in(client, username, password, path="/accounts/login/", address="127.0.0.1"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, **where):
    return [sign_in(client, username, "wrong guess", **where).status_code for _ in range(times)]


def age_failures(minutes):
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes)
    )


def test_the_sixth_wrong_password_is_refused_without_checking_it(client):
    UserFactory(username="amina")
    assert fail(client, "amina", 4) == [200] * 4
    fifth = sign_in(client, "amina", "wrong guess")
    assert fifth.status_code == 429  # the fifth failure locks

    with mock.patch.object(get_user_model(), "check_password", autospec=True) as check:
        sixth = sign_in(client, "amina", "wrong guess")
        right = sign_in(client, "amina", PASSWORD)
    check.assert_not_called()
    assert sixth.status_code == right.status_code == 429
    assert "_auth_user_id" not in client.session

    # The answer is a page of the site saying until when, and who can lift the lock.
    assert '<header class="site-header">' in right.text
    until = timezone.localtime(timezone.now() + datetime.timedelta(minutes=15))
    assert f"Try again after {until:%H:%M}" in right.text
    assert "in 15 minutes" in right.text
    assert "ask the secretariat" in right.text
    assert 14 * 60 < int(right["Retry-After"]) <= 15 * 60


def test_the_locked_page_reads_in_russian(client):
    fail(client, "amina", 5)
    response = client.post("/ru/accounts/login/", {"username": "amina", "password": PASSWORD})
    assert response.status_code == 429
    assert "Вход приостановлен" in response.text and "через 15 минут" in response.text


def test_the_right_password_works_again_after_the_cool_off_and_attempts_do_not_prolong_it(client):
    UserFactory(username="amina")
    fail(client, "amina", 5)
    age_failures(10)
    assert fail(client, "amina", 3) == [429] * 3  # refused, and not counted
    assert sign_in(client, "amina", PASSWORD).status_code == 429
    age_failures(6)  # fifteen minutes after the fifth failure
    assert sign_in(client, "amina", PASSWORD).status_code == 302


def test_an_account_is_locked_from_every_address(client):
    UserFactory(username="amina")
    for n in range(5):
        sign_in(client, "amina", "wrong guess", address=f"10.0.0.{n + 1}")
    assert sign_in(client, "amina", PASSWORD, address="10.9.9.9").status_code == 429


def test_an_address_is_locked_for_every_account(client):
    UserFactory(username="amina")
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong guess", address="10.0.0.7")
    assert sign_in(client, "amina", PASSWORD, address="10.0.0.7").status_code == 429
    assert sign_in(client, "amina", PASSWORD, address="10.0.0.8").status_code == 302


def test_the_admin_sign_in_is_locked_the_same_way(client):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    assert fail(client, "root", 5, path="/admin/login/")[-1] == 429
    with mock.patch.object(get_user_model(), "check_password", autospec=True) as check:
        response = sign_in(client, "root", PASSWORD, path="/admin/login/")
    check.assert_not_called()
    assert response.status_code == 429 and "ask the secretariat" in response.text
    # One count for both doors.
    assert sign_in(client, "root", PASSWORD).status_code == 429


def test_a_success_clears_the_accounts_own_failures_from_that_address(client):
    UserFactory(username="amina")
    fail(client, "amina", 4)
    assert sign_in(client, "amina", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert fail(client, "amina", 4) == [200] * 4
    assert sign_in(client, "amina", "wrong guess").status_code == 429


def test_signing_in_to_ones_own_account_does_not_reset_the_guesses_at_another(client):
    UserFactory(username="amina")
    UserFactory(username="mallory")
    fail(client, "amina", 4)
    assert sign_in(client, "mallory", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert sign_in(client, "amina", "wrong guess").status_code == 429


def test_the_address_behind_a_proxy_is_the_one_the_proxy_saw(settings):
    def address(forwarded):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return client_address(request)

    settings.FORWARDED_PROXY_COUNT = 0
    assert address("203.0.113.9") == "10.0.0.1"  # no proxy: the header is the caller's word
    settings.FORWARDED_PROXY_COUNT = 1
    assert address("198.51.100.1, 203.0.113.9") == "203.0.113.9"  # the left part is forged
    assert address("not-an-address") == "10.0.0.1"
    assert address("") == "10.0.0.1"


# -- passwords ------------------------------------------------------------------------------
ELEVEN = "tqz8-wvb!kp"


def test_secretariat_passwords_need_twelve_characters_others_keep_djangos_rules():
    member = UserFactory(secretariat=True)
    with pytest.raises(ValidationError) as refused:
        validate_password(ELEVEN, member)
    assert refused.value.messages == [
        "A secretariat account needs a password of at least 12 characters."
    ]
    validate_password(ELEVEN + "x", member)
    validate_password(ELEVEN, UserFactory())
    with pytest.raises(ValidationError):
        validate_password(ELEVEN, get_user_model()(username="new", is_superuser=True))
    # Django's own validators still apply to everyone.
    with pytest.raises(ValidationError):
        validate_password("password1234", UserFactory())


def test_a_secretariat_member_choosing_a_short_password_is_told_the_rule():
    form = SetPasswordForm(
        UserFactory(secretariat=True), {"new_password1": ELEVEN, "new_password2": ELEVEN}
    )
    assert not form.is_valid()
    assert "at least 12 characters" in str(form.errors["new_password2"])


# -- idle sessions --------------------------------------------------------------------------
def test_secretariat_sessions_end_after_thirty_idle_minutes_delegate_sessions_do_not(
    client, settings
):
    UserFactory(username="clerk", secretariat=True)
    sign_in(client, "clerk", PASSWORD)
    assert client.session.get_expiry_age() == 30 * 60

    session = client.session
    session[RENEWED_AT] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("account"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session

    UserFactory(username="amina")
    delegate = Client()
    sign_in(delegate, "amina", PASSWORD)
    assert delegate.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert RENEWED_AT not in delegate.session


def test_each_request_renews_a_secretariat_session(client):
    UserFactory(username="clerk", secretariat=True)
    sign_in(client, "clerk", PASSWORD)
    session = client.session
    session[RENEWED_AT] = time.time() - 20 * 60
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=10))

    assert client.get(reverse("account")).status_code == 200
    assert time.time() - client.session[RENEWED_AT] < 5
    stored = Session.objects.get(session_key=client.session.session_key)
    left = stored.expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < left <= datetime.timedelta(minutes=30)
