"""The secretariat registers partners' webhooks in the workspace: the signing secret shown
once, editing, rotating, disabling, and the delivery log with "resend"."""

import pytest
from django.urls import reverse

from bpdialogue import webhooks
from bpdialogue.models import WebhookDelivery, WebhookEndpoint
from tests.factories import DialogueFactory, MeetingFactory, UserFactory, delegate_user


@pytest.fixture
def staff(client, db, settings):
    # The receivers here are on this machine; nothing is ever sent (nothing listens).
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


def register(client, **fields):
    return client.post(
        reverse("secretariat:webhooks"),
        {
            "name": "IOM data hub",
            "url": "http://127.0.0.1:9/hook",
            "scopes": ["read:public"],
            "event_types": ["meeting.updated", "record.published"],
            **fields,
        },
    )


def endpoint_with_deliveries(count: int) -> WebhookEndpoint:
    """An endpoint with `count` deliveries, each tried once: nothing listens on port 9."""
    endpoint, _ = webhooks.webhook_endpoint_create(
        name=f"Receiver {count}", url="http://127.0.0.1:9/hook", scopes=["read:public"]
    )
    for _ in range(count):
        meeting = MeetingFactory()
        webhooks.webhook_deliveries_create(
            event_id=f"msg_{meeting.pk}",
            event_type="meeting.updated",
            object_uid=meeting.uid,
            audience="public",
            dialogue_id=meeting.dialogue_id,
            payload={"data": {"url": f"http://testserver/api/v1/meetings/{meeting.uid}/"}},
        )
    return endpoint


@pytest.mark.django_db
def test_the_webhook_pages_are_for_the_secretariat_only(client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    endpoint = endpoint_with_deliveries(1)
    delivery = endpoint.deliveries.get()
    pages = [reverse("secretariat:webhooks"), reverse("secretariat:webhook", args=[endpoint.pk])]
    posts = [
        reverse("secretariat:webhook-rotate", args=[endpoint.pk]),
        reverse("secretariat:webhook-toggle", args=[endpoint.pk]),
        reverse("secretariat:webhook-resend", args=[delivery.pk]),
    ]
    client.force_login(delegate_user(DialogueFactory()))
    for url in pages:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url).status_code == 403, url
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.previous_secret == ""


def test_registering_shows_the_secret_once_and_lists_the_endpoint(client, staff):
    response = register(client)
    endpoint = WebhookEndpoint.objects.get()
    assert response.url == reverse("secretariat:webhook", args=[endpoint.pk])
    page = client.get(response.url)
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert endpoint.secret not in client.get(response.url).content.decode()
    assert endpoint.created_by == staff
    assert endpoint.event_types == ["meeting.updated", "record.published"]
    listed = client.get(reverse("secretariat:webhooks")).content.decode()
    assert "IOM data hub" in listed and endpoint.secret not in listed


def test_a_bad_registration_is_refused_at_its_fields(client, staff, settings):
    response = register(client, scopes=[], url="ftp://example.org/")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"scopes", "url"}
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = register(client)
    assert response.status_code == 400
    assert "private" in response.context["form"].errors["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_editing_rotating_and_disabling(client, staff):
    register(client)
    endpoint = WebhookEndpoint.objects.get()
    page = reverse("secretariat:webhook", args=[endpoint.pk])
    client.get(page)  # the secret shown once

    response = client.post(
        page,
        {"name": "IOM hub", "url": "http://127.0.0.1:9/v2", "scopes": ["read:participants"]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.url, endpoint.scopes, endpoint.event_types) == (
        "IOM hub",
        "http://127.0.0.1:9/v2",
        ["read:participants"],
        [],
    )

    old = endpoint.secret
    client.post(reverse("secretariat:webhook-rotate", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    shown = client.get(page).content.decode()
    assert endpoint.secret in shown and "previous secret also signs" in shown
    assert endpoint.signing_secrets() == [endpoint.secret, old]

    client.post(reverse("secretariat:webhook-toggle", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert not endpoint.enabled and staff.get_username() in endpoint.disabled_reason
    client.post(reverse("secretariat:webhook-toggle", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.disabled_reason == ""


def test_the_log_shows_each_attempt_and_resends(client, staff, django_capture_on_commit_callbacks):
    endpoint = endpoint_with_deliveries(1)
    delivery = endpoint.deliveries.get()
    page = client.get(reverse("secretariat:webhook", args=[endpoint.pk])).content.decode()
    assert "meeting.updated" in page and "no answer" in page and "ConnectionRefusedError" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("secretariat:webhook-resend", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.log.count() == 2 and delivery.attempts == 1
    assert delivery.status == WebhookDelivery.Status.PENDING


@pytest.mark.parametrize("page", ["webhooks", "webhook"])
def test_the_pages_run_a_fixed_number_of_queries(client, staff, page, django_assert_num_queries):
    def url(endpoint):
        args = [endpoint.pk] if page == "webhook" else []
        return reverse(f"secretariat:{page}", args=args)

    small, large = endpoint_with_deliveries(1), endpoint_with_deliveries(6)
    client.get(url(small))  # the session is loaded once
    with django_assert_num_queries(QUERIES[page]):
        client.get(url(small))
    with django_assert_num_queries(QUERIES[page]):
        client.get(url(large))


QUERIES = {"webhooks": 6, "webhook": 8}
