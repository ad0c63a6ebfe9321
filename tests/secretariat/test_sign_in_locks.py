"""The workspace's sign-in locks: who is locked out, and lifting a lock."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import DialogueFactory, UserFactory, delegate_user

pytestmark = pytest.mark.django_db

LOCKS = reverse("secretariat:sign-in-locks")
PASSWORD = "correct horse battery"  # the factory's


def sign_in(username, password, address):
    return Client().post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def lock_account(username, address="10.0.0.1"):
    for _ in range(5):
        sign_in(username, "wrong guess", address)


@pytest.fixture
def clerk(client):
    user = UserFactory(username="clerk", secretariat=True)
    client.force_login(user)
    return user


def test_only_the_secretariat_sees_and_lifts_locks(client):
    UserFactory(username="amina")
    lock_account("amina")
    assert client.get(LOCKS).url.startswith(reverse("login"))
    for outsider in (UserFactory(), delegate_user(DialogueFactory())):
        client.force_login(outsider)
        assert client.get(LOCKS).status_code == 403
        assert client.post(LOCKS, {"account": "amina"}).status_code == 403
    assert sign_in("amina", PASSWORD, "10.0.0.9").status_code == 429


def test_the_page_lists_locked_accounts_and_addresses(client, clerk, django_assert_num_queries):
    UserFactory(username="amina")
    lock_account("amina", address="10.0.0.1")
    for n in range(5):
        sign_in(f"guess{n}", "wrong guess", "192.0.2.7")
    with django_assert_num_queries(6):
        page = client.get(LOCKS)
    text = page.content.decode()
    assert page.status_code == 200
    assert "<strong>amina</strong>" in text and "from 1 address" in text
    assert "<strong>192.0.2.7</strong>" in text and "5 accounts tried" in text
    assert "<strong>10.0.0.1</strong>" in text  # five failures from it lock it too
    assert text.count("Lift<span") == 3
    assert f'href="{LOCKS}"' in client.get(reverse("secretariat:dashboard")).content.decode()


def test_lifting_an_accounts_lock_lets_it_sign_in_at_once(client, clerk):
    UserFactory(username="amina")
    lock_account("amina", address="10.0.0.1")
    response = client.post(LOCKS, {"account": "amina"}, follow=True)
    assert "Lock on amina lifted" in response.content.decode()
    assert "No account or address is locked" in response.content.decode()
    assert sign_in("amina", PASSWORD, "10.0.0.1").status_code == 302


def test_lifting_an_addresss_lock_leaves_the_others(client, clerk):
    UserFactory(username="amina")
    for n in range(5):
        sign_in(f"guess{n}", "wrong guess", "192.0.2.7")
    lock_account("amina", address="10.0.0.1")
    client.post(LOCKS, {"address": "192.0.2.7"})
    assert not AccessAttempt.objects.filter(ip_address="192.0.2.7").exists()
    assert sign_in("guess0", PASSWORD, "192.0.2.7").status_code == 200  # unlocked, wrong password
    assert sign_in("amina", PASSWORD, "10.0.0.2").status_code == 429


@pytest.mark.parametrize("data", [{}, {"account": "amina", "address": "10.0.0.1"}])
def test_a_lift_names_one_account_or_one_address(client, clerk, data):
    response = client.post(LOCKS, data)
    assert response.status_code == 400
    assert "Lift the lock of one account or of one address." in response.content.decode()
