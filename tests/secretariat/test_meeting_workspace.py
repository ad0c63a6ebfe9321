"""The meeting workspace: pages, forms, ordering, attendance, record, conflicts."""

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Delegation, Meeting
from meetings.services import agenda_item_create
from tests.factories import (
    AgendaItemFactory,
    DialogueFactory,
    MeetingFactory,
    StateFactory,
    UserFactory,
)

TABS = ["details", "agenda", "attendance", "record", "conclusions", "history"]


@pytest.fixture
def staff(client, db):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


def tab(meeting, name):
    return reverse(f"secretariat:meeting-{name}", kwargs={"slug": meeting.slug})


@pytest.mark.parametrize("name", TABS)
def test_every_tab_of_the_24th_meeting_renders(client, staff, demo, name):
    response = client.get(tab(demo, name))
    assert response.status_code == 200
    assert demo.title in response.content.decode()


def test_dashboard_lists_draft_records_and_open_action_points(client, staff, demo):
    demo.record_status = Meeting.RecordStatus.DRAFT
    demo.save()
    page = client.get(reverse("secretariat:dashboard")).content.decode()
    assert demo.title in page
    assert "Open action points" in page
