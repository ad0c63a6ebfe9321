"""Signing out everywhere ends every session of the account, other browsers included."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # the factory's
EVERYWHERE = reverse("sign-out-everywhere")


def signed_in_browser(username):
    browser = Client()
    answer = browser.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert answer.status_code == 302
    return browser


def signed_in(browser) -> bool:
    return browser.get(reverse("account")).status_code == 200


def test_signing_out_everywhere_ends_the_sessions_of_every_browser():
    UserFactory(username="amina")
    here, elsewhere = signed_in_browser("amina"), signed_in_browser("amina")
    assert 'action="/accounts/sign-out-everywhere/"' in here.get(reverse("account")).text

    response = here.post(EVERYWHERE, {"password": PASSWORD})
    assert response.status_code == 200 and "Signed out everywhere" in response.text
    assert not signed_in(here)
    assert not signed_in(elsewhere)
    # The password itself is unchanged.
    assert signed_in(signed_in_browser("amina"))


def test_a_wrong_password_signs_nobody_out_and_counts_as_a_failed_sign_in():
    UserFactory(username="amina")
    here, elsewhere = signed_in_browser("amina"), signed_in_browser("amina")
    response = here.post(EVERYWHERE, {"password": "not it"})
    assert response.status_code == 400 and "That is not your password." in response.text
    assert signed_in(here) and signed_in(elsewhere)
    assert AccessAttempt.objects.get(username="amina").failures_since_start == 1


def test_only_a_signed_in_user_posting_may_sign_out_everywhere(client):
    assert client.post(EVERYWHERE, {"password": PASSWORD}).url.startswith(reverse("login"))
    client.force_login(UserFactory())
    assert client.get(EVERYWHERE).status_code == 405
