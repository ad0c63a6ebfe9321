"""The permission matrix: every portal URL for every kind of viewer. What one may not know
exists answers 404; what one may see answers 200 and shows exactly the permitted rows."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    ConclusionFactory,
    DialogueFactory,
    DocumentFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    StatementFactory,
    UserFactory,
    WorkplanFactory,
    delegate_user,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "delegate", "other_delegate", "secretariat")


@pytest.fixture
def world():
    """Dialogue A with meetings at every level of visibility, dialogue B with one of its own,
    and a viewer of each kind."""
    dialogue, other = DialogueFactory(), DialogueFactory()
    speaker = MembershipFactory(dialogue=dialogue).participant
    meetings = SimpleNamespace(
        public=MeetingFactory(dialogue=dialogue, title="Open plenary", visibility="public"),
        public_draft=MeetingFactory(
            dialogue=dialogue,
            title="Open but unrecorded",
            visibility="public",
            record_status="adopted",
        ),
        participants=MeetingFactory(
            dialogue=dialogue, title="Closed workshop", visibility="participants"
        ),
        secretariat=MeetingFactory(
            dialogue=dialogue, title="Secretariat retreat", visibility="secretariat"
        ),
        other=MeetingFactory(
            dialogue=other, title="Other dialogue meeting", visibility="participants"
        ),
    )
    texts = {}
    for name, meeting in vars(meetings).items():
        item = AgendaItemFactory(meeting=meeting, title=f"Item of {meeting.title}")
        texts[name] = f"Statement zeta{name.replace('_', '')} on return"
        StatementFactory(agenda_item=item, text=texts[name], speakers=[speaker])
        ConclusionFactory(meeting=meeting, text=f"Conclusion of {meeting.title}")
        ActionPointFactory(meeting=meeting, text=f"Action of {meeting.title}")
        DocumentFactory(
            meeting=meeting,
            title=f"Paper of {meeting.title}",
            visibility="participants",
            published_at="2017-01-01T00:00:00Z",
        )
    users = {
        "anonymous": None,
        "delegate": delegate_user(dialogue),
        "other_delegate": delegate_user(other),
        "secretariat": UserFactory(secretariat=True),
    }
    return SimpleNamespace(
        meetings=meetings,
        texts=texts,
        users=users,
        speaker=speaker,
        project=ProjectFactory(dialogue=dialogue),
        workplan=WorkplanFactory(dialogue=dialogue),
    )


def as_role(client, world, role):
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


# Which meetings each viewer may know of.
MAY_SEE = {
    "anonymous": {"public", "public_draft"},
    "delegate": {"public", "public_draft", "participants"},
    "other_delegate": {"public", "public_draft", "other"},
    "secretariat": {"public", "public_draft", "participants", "secretariat", "other"},
}
# Whose records each viewer may read (an unpublished record: the secretariat only).
MAY_READ = {
    role: seen - ({"public_draft"} if role != "secretariat" else set())
    for role, seen in MAY_SEE.items()
}


PUBLIC_PAGES = [
    "home",
    "meeting-list",
    "meeting-calendar",
    "participant-list",
    "project-list",
    "workplan-list",
    "search",
    "login",
    "password_reset",
]


@pytest.mark.parametrize("role", ROLES)
def test_meeting_pages_are_a_404_unless_the_viewer_may_know_the_meeting(client, world, role):
    client = as_role(client, world, role)
    for name, meeting in vars(world.meetings).items():
        response = client.get(meeting.get_absolute_url())
        if name not in MAY_SEE[role]:
            assert response.status_code == 404, name
            continue
        assert response.status_code == 200, name
        readable = name in MAY_READ[role]
        assert (world.texts[name] in response.text) is readable, name
        assert (f"Conclusion of {meeting.title}" in response.text) is readable, name
        assert (f"Action of {meeting.title}" in response.text) is readable, name
        # Participants-level papers: the meeting's own dialogue's delegates and the secretariat.
        own_dialogue = meeting.dialogue_id == world.meetings.public.dialogue_id
        may_read_papers = (
            role == "secretariat"
            or (role == "delegate" and own_dialogue)
            or (role == "other_delegate" and name == "other")
        )
        assert (f"Paper of {meeting.title}" in response.text) is may_read_papers, name


@pytest.mark.parametrize("role", ROLES)
def test_lists_search_and_profiles_show_only_what_the_viewer_may_see(client, world, role):
    client = as_role(client, world, role)
    listed = client.get(reverse("meeting-list")).text
    calendar = client.get(reverse("meeting-calendar") + "?year=2016").text
    home = client.get(reverse("home")).text
    for name, meeting in vars(world.meetings).items():
        visible = name in MAY_SEE[role]
        assert (meeting.title in listed) is visible, (name, "list")
        assert (meeting.title in calendar) is visible, (name, "calendar")
        if not visible:
            assert meeting.title not in home, (name, "home")
    profile = client.get(reverse("participant-detail", args=[world.speaker.slug])).text
    found = client.get(reverse("search") + "?q=return&kind=statement").text
    for name, text in world.texts.items():
        readable = name in MAY_READ[role]
        assert (text in profile) is readable, (name, "profile")
        assert (f"zeta{name.replace('_', '')}" in found) is readable, (name, "search")


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_and_public_things_open_for_everyone(client, world, role):
    client = as_role(client, world, role)
    for url in PUBLIC_PAGES:
        assert client.get(reverse(url)).status_code == 200, url
    assert client.get(reverse("participant-detail", args=[world.speaker.slug])).status_code == 200
    assert client.get(reverse("project-detail", args=[world.project.slug])).status_code == 200
    assert client.get(reverse("workplan-detail", args=[world.workplan.uid])).status_code == 200
    assert client.get(reverse("project-detail", args=["no-such-project"])).status_code == 404
    assert client.get(reverse("participant-detail", args=["no-such-state"])).status_code == 404
    # The account page needs a signed-in user.
    assert client.get(reverse("account")).status_code == (302 if role == "anonymous" else 200)
