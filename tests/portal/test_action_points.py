"""The action-point tracker at /action-points/: every action point of the records one may
read, filtered, a delegate's own first, with its history and the meeting meant to fulfil it;
its CSV and iCalendar exports; and the chain of conclusions across meetings."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.models import ActionPointStatusChange, ConclusionReference
from tests.factories import (
    ActionPointFactory,
    ConclusionFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
)
from tests.portal.test_pages import assert_fixed_queries

pytestmark = pytest.mark.django_db

URL = "/action-points/"


@pytest.fixture
def dialogue_points():
    """A public meeting, a participants-only one, an unpublished one and one kept to the
    secretariat, each with an action point."""
    public = MeetingFactory(title="24th SOM", start_date=datetime.date(2016, 12, 15))
    dialogue = public.dialogue
    shared = MeetingFactory(
        dialogue=dialogue,
        title="Closed workshop",
        visibility="participants",
        start_date=datetime.date(2017, 5, 1),
    )
    draft = MeetingFactory(dialogue=dialogue, title="Draft meeting", record_status="draft")
    hidden = MeetingFactory(dialogue=dialogue, title="Internal", visibility="secretariat")
    turkey = MembershipFactory(dialogue=dialogue, participant=StateFactory(name="Türkiye"))
    return {
        "public": ActionPointFactory(
            meeting=public,
            text="Hold the Istanbul consultation.",
            due_date=datetime.date(2017, 3, 10),
        ),
        "shared": ActionPointFactory(meeting=shared, text="Draft the workshop report."),
        "draft": ActionPointFactory(meeting=draft, text="Not yet agreed."),
        "hidden": ActionPointFactory(meeting=hidden, text="Internal follow-up."),
        "turkey": turkey.participant,
        "dialogue": dialogue,
    }


def _delegate(dialogue, participant):
    user = UserFactory()
    PersonFactory(user=user, affiliation=participant)
    return user


def test_the_public_sees_the_action_points_of_public_published_records_only(
    client, dialogue_points
):
    text = client.get(URL).text
    assert "Hold the Istanbul consultation." in text
    for hidden in ("Draft the workshop report.", "Not yet agreed.", "Internal follow-up."):
        assert hidden not in text
    # Nor do the filters name the meetings one may not read.
    assert "Closed workshop" not in text and "Draft meeting" not in text


def test_a_delegate_also_sees_the_participants_only_meetings_and_their_own_first(
    client, dialogue_points
):
    turkey = dialogue_points["turkey"]
    dialogue_points["shared"].responsible.add(StateFactory())
    dialogue_points["public"].responsible.add(turkey)
    client.force_login(_delegate(dialogue_points["dialogue"], turkey))

    text = client.get(URL).text

    assert "Draft the workshop report." in text
    assert "Not yet agreed." not in text and "Internal follow-up." not in text
    # The later meeting's point would come first; Türkiye's own comes before it.
    assert text.index("Hold the Istanbul consultation.") < text.index("Draft the workshop report.")
    assert "Your participant is responsible." in text


def test_the_secretariat_sees_every_action_point(client, dialogue_points):
    client.force_login(UserFactory(secretariat=True))
    text = client.get(URL).text
    for point in ("public", "shared", "draft", "hidden"):
        assert dialogue_points[point].text in text


def test_filters_by_status_responsible_meeting_year_and_overdue(client, dialogue_points):
    client.force_login(UserFactory(secretariat=True))
    turkey = dialogue_points["turkey"]
    public, shared = dialogue_points["public"], dialogue_points["shared"]
    public.responsible.add(turkey)
    shared.status = "done"
    shared.due_date = datetime.date(2017, 6, 1)
    shared.save()

    def shown(**query):
        text = client.get(URL, query).text
        return {
            name
            for name in ("public", "shared", "draft", "hidden")
            if dialogue_points[name].text in text
        }

    assert shown(status="done") == {"shared"}
    assert shown(responsible=turkey.slug) == {"public"}
    assert shown(meeting=shared.meeting.slug) == {"shared"}
    assert shown(year=2017) == {"shared"}
    # Overdue: past its due date and neither done nor dropped.
    assert shown(overdue="on") == {"public"}
    assert shown(year=2017, status="open") == set()


def test_bad_filters_are_field_errors_not_500(client, dialogue_points):
    response = client.get(URL, {"status": "bogus", "year": "soon", "responsible": "nobody"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    # What could not be read filters nothing: the public point is still listed.
    assert "Hold the Istanbul consultation." in response.text


def test_each_point_shows_its_status_history_and_the_meeting_meant_to_fulfil_it(
    client, dialogue_points
):
    public = dialogue_points["public"]
    consultation = MeetingFactory(
        dialogue=dialogue_points["dialogue"],
        title="Consultation meeting in Istanbul",
        visibility="participants",
        status="planned",
        start_date=datetime.date(2017, 3, 1),
    )
    public.fulfilled_by = consultation
    public.status = "in_progress"
    public.save()
    ActionPointStatusChange.objects.create(
        action_point=public,
        from_status="open",
        to_status="in_progress",
        note="Türkiye offered to host it.",
        by=UserFactory(username="secretary"),
    )

    text = client.get(URL).text
    assert "In progress" in text and "Türkiye offered to host it." in text
    # The planned meeting is participants-only: the public is not told of it, nor who moved it.
    assert "Consultation meeting in Istanbul" not in text and "secretary" not in text

    client.force_login(_delegate(dialogue_points["dialogue"], dialogue_points["turkey"]))
    text = client.get(URL).text
    assert "To be fulfilled at" in text and "Consultation meeting in Istanbul" in text


def test_the_tracker_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    dialogue = MeetingFactory().dialogue

    def grow():
        for _ in range(3):
            point = ActionPointFactory(
                meeting=MeetingFactory(dialogue=dialogue),
                fulfilled_by=MeetingFactory(dialogue=dialogue),
                due_date=datetime.date(2017, 1, 1),
            )
            point.responsible.add(StateFactory(), StateFactory())
            ActionPointStatusChange.objects.create(
                action_point=point, from_status="open", to_status="done", by=UserFactory()
            )

    assert_fixed_queries(client, URL, grow, django_assert_num_queries)
    secretariat = UserFactory(secretariat=True)
    client.force_login(secretariat)
    assert_fixed_queries(client, URL + "?overdue=on&year=2016", grow, django_assert_num_queries)


def test_the_csv_export_lists_the_filtered_points(client, dialogue_points):
    dialogue_points["public"].responsible.add(dialogue_points["turkey"])
    response = client.get(reverse("action-points-csv"), {"status": "open"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("meeting,meeting_date,number,action,responsible,due_date")
    assert len(lines) == 2 and "Hold the Istanbul consultation." in lines[1]
    assert "Türkiye" in lines[1] and "2017-03-10" in lines[1]


def test_the_csv_neutralises_formulas(client):
    ActionPointFactory(text='=HYPERLINK("http://evil")')
    body = client.get(reverse("action-points-csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_the_calendar_export_has_the_due_dates(client, dialogue_points):
    ActionPointFactory(meeting=dialogue_points["public"].meeting, text="No date.", due_date=None)
    response = client.get(reverse("action-points-ics"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["uid"]) == f"{dialogue_points['public'].uid}@bpdialogue"
    assert event.decoded("dtstart") == datetime.date(2017, 3, 10)
    assert str(event["summary"]) == "Due: Hold the Istanbul consultation."
    assert str(event["url"]).endswith(f"#action-point-{dialogue_points['public'].uid}")


def test_a_conclusion_chain_renders_on_both_meetings_and_the_tracker(client):
    earlier = ConclusionFactory(
        meeting=MeetingFactory(
            title="23rd Meeting of the Senior Officials", start_date=datetime.date(2015, 10, 1)
        ),
        position=3,
    )
    later = ConclusionFactory(
        meeting=MeetingFactory(
            dialogue=earlier.meeting.dialogue, title="24th Meeting of the Senior Officials"
        ),
        position=2,
    )
    ConclusionReference.objects.create(conclusion=later, earlier=earlier, relation="amends")

    text = client.get(later.meeting.get_absolute_url()).text
    assert (
        "Amends <a href=" in text
        and "conclusion 3 of the 23rd Meeting of the Senior Officials" in text
    )
    text = client.get(earlier.meeting.get_absolute_url()).text
    assert (
        "Amended by <a href=" in text
        and "conclusion 2 of the 24th Meeting of the Senior Officials" in text
    )
    text = client.get(URL).text
    assert "Conclusions across meetings" in text
    assert "Conclusion 2 of the 24th Meeting of the Senior Officials</a>" in text


def test_a_chain_to_a_record_one_may_not_read_is_not_shown(client):
    earlier = ConclusionFactory(
        meeting=MeetingFactory(visibility="participants", start_date=datetime.date(2015, 1, 1))
    )
    later = ConclusionFactory(meeting=MeetingFactory(dialogue=earlier.meeting.dialogue))
    ConclusionReference.objects.create(conclusion=later, earlier=earlier, relation="supersedes")
    text = client.get(later.meeting.get_absolute_url()).text
    assert "Supersedes" not in text
    assert "Conclusions across meetings" not in client.get(URL).text
