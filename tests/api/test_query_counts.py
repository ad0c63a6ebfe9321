"""Every list and detail endpoint runs a fixed number of queries, whatever the size of
the page or of the meeting. The numbers are pinned so a new N+1 shows up here."""

import pytest
from django.utils import timezone

from bpdialogue import representations
from participants.models import RoleAssignment
from tests.factories import (
    ActionPointFactory,
    ActivityFactory,
    AgendaItemFactory,
    ConclusionFactory,
    CooperationFrameworkFactory,
    DelegationFactory,
    DialogueFactory,
    DocumentFactory,
    MeetingFactory,
    MembershipFactory,
    ParticipantNameFactory,
    ProjectFactory,
    RegionFactory,
    RegistrationFactory,
    SiteFactory,
    StateFactory,
    StatementFactory,
    ThematicFocusFactory,
    WorkingGroupFactory,
)

from .conftest import key_client

pytestmark = pytest.mark.django_db


def grow(dialogue, states, size):
    """`size` rows of every kind; meetings with `size` agenda items of `size` statements."""
    for _ in range(size):
        region = RegionFactory(dialogue=dialogue)
        region.states.set(states)
        meeting = MeetingFactory(
            dialogue=dialogue, working_group=WorkingGroupFactory(dialogue=dialogue, region=region)
        )
        for position in range(1, size + 1):
            item = AgendaItemFactory(meeting=meeting, position=position)
            item.presenters.set(states)
            for sub in range(1, size + 1):
                StatementFactory(agenda_item=item, position=sub, speakers=states)
        for state in states:
            DelegationFactory(meeting=meeting, participant=state)
            RegistrationFactory(meeting=meeting, participant=state, status="confirmed")
        ConclusionFactory(meeting=meeting, position=1)
        ActionPointFactory(meeting=meeting, position=1).responsible.set(states)
        DocumentFactory(meeting=meeting, published_at=timezone.now())
        member = StateFactory()
        ParticipantNameFactory(participant=member)
        MembershipFactory(dialogue=dialogue, participant=member)
        RoleAssignment.objects.create(dialogue=dialogue, participant=member, role="chair")
        project = ProjectFactory(dialogue=dialogue, parent=ProjectFactory(dialogue=dialogue))
        project.regions.set([region])
        project.beneficiary_countries.set(states)
        SiteFactory(project=project, country=states[0])
        framework = CooperationFrameworkFactory(dialogue=dialogue)
        focus = ThematicFocusFactory(dialogue=dialogue)
        activity = ActivityFactory(workplan__dialogue=dialogue, workplan__framework=framework)
        activity.countries.set(states)
        activity.responsible.set(states)
        focus.save()


# Queries per request with a key: counting the list (1), the page (1), each prefetched
# relation, and the latest deletion for Last-Modified (1). Details: the row, its prefetches,
# the latest deletion. The key itself is read from the cache after its first use
# (bpdialogue.api.authentication), no longer from the database at every request.
LISTS = {
    "/api/v1/dialogues/": 3,
    "/api/v1/participants/": 5,  # + dated names, identifiers
    "/api/v1/regions/": 4,  # + states
    "/api/v1/memberships/": 3,
    "/api/v1/roles/": 3,
    "/api/v1/people/": 3,
    "/api/v1/working-groups/": 3,
    "/api/v1/meetings/": 3,
    "/api/v1/agenda-items/": 4,  # + presenters
    "/api/v1/statements/": 4,  # + speakers
    "/api/v1/delegations/": 3,
    "/api/v1/registrations/": 3,
    "/api/v1/conclusions/": 4,  # + references
    "/api/v1/action-points/": 4,  # + responsible
    "/api/v1/documents/": 3,
    "/api/v1/projects/": 8,  # + children, regions, beneficiaries, partners, sites
    "/api/v1/sites/": 3,
    "/api/v1/frameworks/": 4,  # + cadence
    "/api/v1/thematic-focuses/": 3,
    "/api/v1/workplans/": 3,
    "/api/v1/activities/": 5,  # + countries, responsible
    "/api/v1/deletions/": 3,
    "/api/v1/meetings.ics": 2,  # the meetings, the latest deletion
}
DETAILS = {
    "/api/v1/dialogues/": 2,
    "/api/v1/participants/": 4,
    "/api/v1/regions/": 3,
    "/api/v1/memberships/": 2,
    "/api/v1/roles/": 2,
    "/api/v1/people/": 2,
    "/api/v1/working-groups/": 2,
    # + agenda items, presenters, statements, speakers, delegations, conclusions, their
    # references, action points, responsible, documents, attendance (2)
    "/api/v1/meetings/": 14,
    "/api/v1/agenda-items/": 3,
    "/api/v1/statements/": 3,
    "/api/v1/delegations/": 2,
    "/api/v1/registrations/": 2,
    "/api/v1/conclusions/": 3,
    "/api/v1/action-points/": 3,
    "/api/v1/documents/": 2,
    "/api/v1/projects/": 7,
    "/api/v1/sites/": 2,
    "/api/v1/frameworks/": 3,
    "/api/v1/thematic-focuses/": 2,
    "/api/v1/workplans/": 2,
    "/api/v1/activities/": 4,
}


@pytest.fixture
def partner():
    client = key_client("read:participants", "read:personal")
    # The first request of a key records when it was used; later ones in the minute do not.
    client.get("/api/v1/dialogues/")
    return client


def test_lists_and_details_run_a_fixed_number_of_queries_whatever_their_size(
    partner, django_assert_num_queries
):
    dialogue = DialogueFactory()
    states = [StateFactory() for _ in range(3)]
    for size in (2, 5):
        grow(dialogue, states, size)
        for path, queries in LISTS.items():
            with django_assert_num_queries(queries):
                response = partner.get(path, {"limit": 200} if ".ics" not in path else {})
            assert response.status_code == 200
    for path, queries in DETAILS.items():
        rows = partner.get(path, {"limit": 200}).json()["data"]
        # The first and the last row: small and large meetings, short and long lists.
        for row in (rows[0], rows[-1]):
            # Built, not answered from the representation cache (rows[0] may be rows[-1]).
            representations.bump()
            with django_assert_num_queries(queries):
                assert partner.get(row["url"]).status_code == 200
            # Then answered from it: no query at all.
            with django_assert_num_queries(0):
                assert partner.get(row["url"]).status_code == 200
