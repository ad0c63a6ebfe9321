"""The admin is for superusers; the secretariat works in the workspace without is_staff."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def test_a_staff_member_of_the_secretariat_is_refused_by_the_admin(client):
    staff = UserFactory(secretariat=True, is_staff=True)
    client.force_login(staff)
    response = client.get("/admin/", HTTP_HOST="localhost")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert client.get("/admin/bpdialogue/apikey/", HTTP_HOST="localhost").status_code == 302


def test_the_admin_sign_in_refuses_a_staff_user_who_is_no_superuser(client):
    staff = UserFactory(is_staff=True)
    response = client.post(
        "/admin/login/",
        {"username": staff.username, "password": PASSWORD, "next": "/admin/"},
        HTTP_HOST="localhost",
    )
    assert response.status_code == 200
    assert "for a superuser account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_superuser_signs_in_to_the_admin(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    response = client.post(
        "/admin/login/",
        {"username": superuser.username, "password": PASSWORD, "next": "/admin/"},
        HTTP_HOST="localhost",
    )
    assert response.status_code == 302
    assert client.get("/admin/", HTTP_HOST="localhost").status_code == 200


def test_the_demo_secretariat_user_works_in_the_workspace_without_is_staff(client):
    call_command("create_demo_users", stdout=io.StringIO())
    user = get_user_model().objects.get(username="secretariat")
    assert not user.is_staff and not user.is_superuser
    client.force_login(user)
    assert client.get("/secretariat/", HTTP_HOST="localhost").status_code == 200
    assert client.get("/admin/", HTTP_HOST="localhost").status_code == 302
