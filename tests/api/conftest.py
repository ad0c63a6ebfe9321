import pytest
from rest_framework.test import APIClient

from bpdialogue.api.services import api_key_create
from tests.factories import UserFactory

GENEROUS_RATES = {"key": "100000/min", "user": "100000/min", "anon": "100000/min"}


@pytest.fixture(autouse=True)
def _generous_throttling(settings):
    """Rate limits of their own are tested in test_errors_and_throttling.py; elsewhere they
    would only make the suite's outcome depend on its speed."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS_RATES}


@pytest.fixture
def api():
    return APIClient(HTTP_HOST="localhost")


def key_client(*scopes, dialogue=None) -> APIClient:
    _, key = api_key_create(
        name="partner " + ",".join(scopes), scopes=list(scopes), dialogue=dialogue
    )
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def secretariat_client() -> APIClient:
    user = UserFactory(secretariat=True)
    client = APIClient(HTTP_HOST="localhost")
    # Reloaded: the factory sets the password on the instance only, and a session whose
    # password hash differs from the stored one is discarded.
    client.force_login(type(user).objects.get(pk=user.pk))
    return client
