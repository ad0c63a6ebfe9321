"""From `make run`, the demo delegate (Pakistan's focal point) can nominate Pakistan's
delegation to the demo's planned meeting."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from meetings.models import Meeting
from meetings.registrations import nominations_open

pytestmark = pytest.mark.django_db


def test_the_demo_delegate_nominates_to_the_planned_meeting(client, demo):
    call_command("create_demo_users", stdout=io.StringIO())
    planned = Meeting.objects.get(dialogue=demo.dialogue, status=Meeting.Status.PLANNED)
    assert nominations_open(meeting=planned)

    client.force_login(get_user_model().objects.get(username="delegate"))
    response = client.get(reverse("meeting-registration", args=[planned.slug]))

    assert response.status_code == 200
    assert response.context["participant"].iso_code == "PK"
    assert "Nominate</button>" in response.content.decode()
