"""The workspace's tracker: every action point across meetings, and its status set in place,
versioned (409 with what differs when someone saved first) and kept in the history."""

import pytest
from django.urls import reverse

from meetings.models import ActionPoint
from meetings.services import record_part_update
from tests.factories import (
    ActionPointFactory,
    ConclusionFactory,
    MeetingFactory,
    StateFactory,
    UserFactory,
)
from tests.portal.test_pages import assert_fixed_queries

pytestmark = pytest.mark.django_db

URL = "/secretariat/action-points/"


@pytest.fixture
def secretary(client):
    user = UserFactory(secretariat=True, username="secretary")
    client.force_login(user)
    return user


def _status_url(point):
    return reverse("secretariat:action-point-status", args=[point.pk])


def test_the_workspace_tracker_is_for_the_secretariat_only(client):
    assert client.get(URL).status_code == 302  # to sign in
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    assert client.post(_status_url(ActionPointFactory()), {}).status_code == 403


def test_the_secretariat_closes_an_action_point_from_the_tracker(client, secretary):
    point = ActionPointFactory(text="Hold the Istanbul consultation.")  # published record
    page = client.get(URL, {"status": "open"})
    assert (
        "Hold the Istanbul consultation." in page.text and f'name="p{point.pk}-status"' in page.text
    )

    response = client.post(
        _status_url(point),
        {
            f"p{point.pk}-version": point.version,
            f"p{point.pk}-status": "done",
            f"p{point.pk}-note": "Held in Istanbul on 1 March 2017.",
            "query": "status=open&page=1",
        },
    )

    assert response.status_code == 302
    assert response.url == f"{URL}?status=open&page=1#action-point-{point.uid}"
    point.refresh_from_db()
    assert point.status == ActionPoint.Status.DONE
    [change] = point.status_changes.all()
    assert (change.from_status, change.to_status, change.by) == ("open", "done", secretary)
    assert change.note == "Held in Istanbul on 1 March 2017."
    text = client.get(URL).text
    assert "Open → Done" in text and "(by secretary)" in text


def test_a_status_saved_by_someone_else_meanwhile_is_a_409_with_what_differs(client, secretary):
    point = ActionPointFactory()
    shown = point.version
    record_part_update(
        part=point,
        expected_version=shown,
        changes={"status": "dropped"},
        by=UserFactory(username="colleague"),
    )

    response = client.post(
        _status_url(point), {f"p{point.pk}-version": shown, f"p{point.pk}-status": "done"}
    )

    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in response.text
    assert "colleague" in response.text and "Dropped" in response.text
    point.refresh_from_db()
    assert point.status == "dropped" and point.status_changes.count() == 1


def test_a_bad_status_is_a_400_at_the_field(client, secretary):
    point = ActionPointFactory()
    response = client.post(
        _status_url(point), {f"p{point.pk}-version": point.version, f"p{point.pk}-status": "won"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert client.post(reverse("secretariat:action-point-status", args=[999999])).status_code == 404


def test_the_workspace_tracker_runs_a_fixed_number_of_queries(
    client, secretary, django_assert_num_queries
):
    dialogue = MeetingFactory().dialogue

    def grow():
        for _ in range(3):
            point = ActionPointFactory(
                meeting=MeetingFactory(dialogue=dialogue, record_status="draft")
            )
            point.responsible.add(StateFactory())
            record_part_update(
                part=point, expected_version=point.version, changes={"status": "in_progress"}
            )

    assert_fixed_queries(client, URL, grow, django_assert_num_queries)


def test_the_conclusions_tab_adds_and_removes_a_reference_to_an_earlier_conclusion(
    client, secretary
):
    import datetime

    earlier = ConclusionFactory(
        meeting=MeetingFactory(title="23rd SOM", start_date=datetime.date(2015, 1, 1)), position=1
    )
    meeting = MeetingFactory(dialogue=earlier.meeting.dialogue, record_status="draft")
    later = ConclusionFactory(meeting=meeting, position=1)
    tab = reverse("secretariat:meeting-conclusions", args=[meeting.slug])
    assert "23rd SOM, conclusion 1" in client.get(tab).text

    response = client.post(
        tab,
        {
            "add_reference": "1",
            "reference-conclusion": later.pk,
            "reference-relation": "supersedes",
            "reference-earlier": earlier.pk,
        },
    )
    assert response.status_code == 302
    [reference] = later.references.all()
    assert "Supersedes" in client.get(tab).text

    # The same again is a field error, not a 500; a later conclusion cannot be "earlier".
    again = client.post(
        tab,
        {
            "add_reference": "1",
            "reference-conclusion": later.pk,
            "reference-relation": "amends",
            "reference-earlier": earlier.pk,
        },
    )
    assert again.status_code == 400 and "already refers to that one" in again.text

    remove = reverse("secretariat:conclusion-reference-remove", args=[meeting.slug, reference.pk])
    assert client.post(remove).status_code == 302
    assert not later.references.exists()
