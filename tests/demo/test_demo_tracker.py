"""From `make run`: the public reads the 24th meeting's action point (the Istanbul
consultation) in the tracker with its status, the demo delegate also the planned meeting
meant to fulfil it, and the secretariat closes it from the workspace's tracker."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from meetings.models import ActionPoint

pytestmark = pytest.mark.django_db

CONSULTATION = "Consultation meeting on a Ministerial Conference in 2018"


@pytest.fixture
def istanbul(demo):
    call_command("create_demo_users", stdout=io.StringIO())
    return ActionPoint.objects.get(place="Istanbul")


def test_the_public_and_the_delegate_follow_the_istanbul_consultation(client, istanbul):
    text = client.get("/action-points/").text
    assert "Hold a consultation meeting to further discuss the proposal" in text
    assert "In progress" in text
    # The planned consultation is for participants: the public is not told of it.
    assert CONSULTATION not in text

    client.force_login(get_user_model().objects.get(username="delegate"))
    text = client.get("/action-points/").text
    assert "To be fulfilled at" in text and CONSULTATION in text


def test_the_demo_secretariat_closes_it_from_the_tracker(client, istanbul):
    client.force_login(get_user_model().objects.get(username="secretariat"))
    response = client.post(
        f"/secretariat/action-points/{istanbul.pk}/status/",
        {f"p{istanbul.pk}-version": istanbul.version, f"p{istanbul.pk}-status": "done"},
    )
    assert response.status_code == 302
    istanbul.refresh_from_db()
    assert istanbul.status == "done"
    assert istanbul.status_changes.get().to_status == "done"
