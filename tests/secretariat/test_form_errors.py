"""Errors in words: a form sent empty says once, at each field, what is wrong ("This field is
required."), never that and "This field cannot be null." from the model beside it."""

import pytest
from django.urls import reverse

from secretariat.parts import PARTS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def blank_post(client, url):
    """Sends the form at `url` back with every field empty but its version."""
    form = client.get(url).context["form"]
    data = {name: "" for name in form.fields}
    data["version"] = form.initial.get("version", "")
    response = client.post(url, data)
    assert response.status_code == 400, url
    return response.context["form"].errors


def test_every_workspace_form_sent_empty_gives_one_message_per_field(client, demo):
    client.force_login(UserFactory(secretariat=True))
    urls = [
        reverse("secretariat:meeting-create"),
        reverse("secretariat:meeting-details", args=[demo.slug]),
    ]
    for part, row in (
        ("agenda-item", demo.agenda_items.first()),
        ("conclusion", demo.conclusions.first()),
        ("action-point", demo.action_points.first()),
        (
            "statement",
            demo.agenda_items.filter(statements__isnull=False).first().statements.first(),
        ),
    ):
        urls.append(reverse("secretariat:edit", args=[part, row.pk]))
    for part in PARTS:
        create = reverse("secretariat:create", args=[part]) + f"?meeting={demo.pk}"
        if client.get(create).status_code == 200:
            urls.append(create)
    assert len(urls) > 8
    for url in urls:
        errors = blank_post(client, url)
        assert errors, url
        for field, messages in errors.items():
            assert len(messages) == 1, (url, field, messages)
            assert "cannot be null" not in messages[0], (url, field)
