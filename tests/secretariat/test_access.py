"""Only the secretariat gets into /secretariat/: every URL the app has is tried."""

import uuid

import pytest
from django.urls import URLPattern, reverse

from secretariat import urls as workspace_urls
from tests.factories import UserFactory, delegate_user

SAMPLE_KWARGS = {
    "slug": "any-slug",
    "pk": 1,
    "participant_id": 1,
    "item_id": 1,
    "part": "agenda-item",
    "uid": uuid.uuid4(),
    "kind": "agenda-item",
    "field": "title",
    "language": "ru",
}


def every_workspace_url():
    for pattern in workspace_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = pattern.pattern.converters
        kwargs = {name: SAMPLE_KWARGS[name] for name in names}
        yield reverse(f"secretariat:{pattern.name}", kwargs=kwargs)


URLS = list(every_workspace_url())


def test_every_pattern_is_enumerated():
    assert len(URLS) == len(workspace_urls.urlpatterns) >= 25
    assert all(url.startswith("/secretariat/") for url in URLS)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(client, method):
    for url in URLS:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_delegates_and_plain_users_are_refused(client, method):
    for user in (UserFactory(), _delegate()):
        client.force_login(user)
        for url in URLS:
            response = getattr(client, method)(url)
            assert response.status_code == 403, (user, url)


def _delegate():
    from tests.factories import DialogueFactory

    return delegate_user(DialogueFactory())


@pytest.mark.django_db
def test_the_secretariat_gets_in(client):
    client.force_login(UserFactory(secretariat=True))
    assert client.get(reverse("secretariat:dashboard")).status_code == 200
