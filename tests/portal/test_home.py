import pytest

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_the_24th_meeting(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert "24th Meeting of the Senior Officials of the Budapest Process" in response.text
    assert demo.get_absolute_url() in response.text


def test_anonymous_visitors_do_not_see_participants_only_meetings(client):
    MeetingFactory(title="Closed workshop", visibility="participants")
    MeetingFactory(title="Open conference", visibility="public")
    text = client.get("/").text
    assert "Open conference" in text and "Closed workshop" not in text


def test_the_home_page_runs_five_queries_however_many_meetings(client, django_assert_num_queries):
    # Upcoming, recent, latest conclusions, thematic focus, workplan.
    MeetingFactory.create_batch(3)
    with django_assert_num_queries(5):
        client.get("/")
    MeetingFactory.create_batch(20)
    with django_assert_num_queries(5):
        client.get("/")


def test_the_meeting_page_shows_the_attendance_paragraph(client, demo):
    response = client.get(demo.get_absolute_url())
    assert "<strong>50 participants from 22 countries</strong>" in response.text


def test_a_participants_only_meeting_is_a_404_for_the_public(client):
    meeting = MeetingFactory(visibility="participants")
    assert client.get(meeting.get_absolute_url()).status_code == 404
