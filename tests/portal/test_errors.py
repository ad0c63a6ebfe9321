"""Errors in words: a refusal says, in the site's layout, what the person may do instead."""

import pytest
from django.urls import reverse

from tests.factories import DialogueFactory, delegate_user

pytestmark = pytest.mark.django_db


def test_a_delegate_refused_the_workspace_gets_the_site_layout_and_what_to_do_instead(client):
    delegate = delegate_user(DialogueFactory())
    client.force_login(delegate)
    response = client.get(reverse("secretariat:dashboard"))
    assert response.status_code == 403
    page = response.text
    assert 'class="site-header"' in page  # the layout, not a bare "403 Forbidden"
    assert f"You are signed in as {delegate.username}" in page
    assert reverse("meeting-list") in page and reverse("account") in page
    assert "ask the secretariat for access" in page
