"""The secretariat keeps participants (their names over time, identifiers, memberships and
roles), working groups, regions and API keys in the workspace, without the admin."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from bpdialogue.api.services import api_key_create
from bpdialogue.models import ApiKey
from meetings.models import WorkingGroup
from participants.models import Dialogue, Membership, Participant, Region
from tests.factories import (
    DialogueFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantNameFactory,
    RegionFactory,
    StateFactory,
    UserFactory,
    WorkingGroupFactory,
    delegate_user,
)


@pytest.fixture
def staff(client, db):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


def participant_page(participant):
    return reverse("secretariat:participant", kwargs={"slug": participant.slug})


def create(part):
    return reverse("secretariat:create", kwargs={"part": part})


def edit(part, obj):
    return reverse("secretariat:edit", kwargs={"part": part, "pk": obj.pk})


def pages(participant, group, region, name):
    return [
        create("dialogue"),
        edit("dialogue", region.dialogue),
        reverse("secretariat:participants"),
        reverse("secretariat:participants") + "?kind=state",
        participant_page(participant),
        create("participant"),
        edit("participant-name", name),
        reverse("secretariat:groups"),
        create("working-group"),
        edit("working-group", group),
        create("region"),
        edit("region", region),
        reverse("secretariat:api-keys"),
    ]


@pytest.mark.django_db
def test_every_page_is_for_the_secretariat_only(client):
    dialogue = DialogueFactory()
    name = ParticipantNameFactory()
    urls = pages(name.participant, WorkingGroupFactory(), RegionFactory(), name)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    client.force_login(delegate_user(dialogue))
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.force_login(UserFactory(secretariat=True))
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_state_is_added_with_its_names_over_time_identifiers_memberships_and_roles(client, staff):
    dialogue = DialogueFactory(name="Budapest Process")
    response = client.post(
        create("participant"),
        {
            "kind": "state",
            "name": "Türkiye",
            "sort_name": "Türkiye",
            "slug": "turkiye",
            "iso_code": "TR",
        },
    )
    turkiye = Participant.objects.get(slug="turkiye")
    assert response.url == participant_page(turkiye)
    page = participant_page(turkiye)
    client.post(
        page,
        {
            "add_name": "1",
            "name-name": "Turkey",
            "name-sort_name": "Turkey",
            "name-valid_to": "2022-05-31",
        },
    )
    client.post(
        page,
        {"add_name": "1", "name-name": "Türkiye", "name-sort_name": "Türkiye", "name-valid_from": "2022-06-01"},
    )  # fmt: skip
    client.post(
        page,
        {"add_identifier": "1", "identifier-scheme": "Wikidata", "identifier-value": "Q43"},
    )
    client.post(
        page,
        {
            "add_membership": "1",
            "membership-dialogue": dialogue.pk,
            "membership-status": "participating_state",
            "membership-valid_from": "1993-01-01",
        },
    )
    client.post(
        page,
        {
            "add_role": "1",
            "role-dialogue": dialogue.pk,
            "role-role": "chair",
            "role-valid_from": "2006-01-01",
        },
    )
    assert turkiye.name_on(datetime.date(2016, 12, 15)).name == "Turkey"
    assert turkiye.name_on(datetime.date(2024, 1, 1)).name == "Türkiye"
    assert turkiye.identifiers.get().value == "Q43"
    assert turkiye.memberships.get().dialogue == dialogue
    assert turkiye.roles.get().get_role_display() == "Chair"
    shown = client.get(page).content.decode()
    assert (
        "Turkey" in shown and "Q43" in shown and "Participating state in Budapest Process" in shown
    )
    listed = client.get(reverse("secretariat:participants")).content.decode()
    assert "Türkiye" in listed and "Turkey" in listed


def test_the_rules_of_reference_data_are_explained_at_their_fields(client, staff):
    response = client.post(
        create("participant"),
        {"kind": "state", "name": "Nowhere", "sort_name": "Nowhere", "slug": "nowhere"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["iso_code"] == [
        "A state has its two capital letters of ISO 3166-1 (e.g. PK); an organisation has no code."
    ]
    state = StateFactory()
    page = participant_page(state)
    response = client.post(
        page,
        {
            "add_name": "1",
            "name-name": "Old name",
            "name-sort_name": "Old name",
            "name-valid_from": "2010-01-01",
            "name-valid_to": "2009-12-31",
        },
    )
    assert response.status_code == 400
    assert response.context["name_form"].errors["valid_to"] == [
        "A name cannot go out of use before it came into use."
    ]
    other = StateFactory()
    other.identifiers.create(scheme="Wikidata", value="Q43")
    response = client.post(
        page, {"add_identifier": "1", "identifier-scheme": "Wikidata", "identifier-value": "Q43"}
    )
    assert response.status_code == 400
    assert response.context["identifier_form"].errors["value"] == [
        "Another participant has the Wikidata identifier Q43."
    ]
    membership = MembershipFactory(participant=state, valid_from=datetime.date(2000, 1, 1))
    response = client.post(
        page,
        {
            "add_membership": "1",
            "membership-dialogue": membership.dialogue_id,
            "membership-status": "observer",
            "membership-valid_from": "2000-01-01",
        },
    )
    assert response.status_code == 400
    assert response.context["membership_form"].errors["valid_from"] == [
        "Another membership of this participant in the dialogue starts on 2000-01-01."
    ]
    assert not state.names.exists() and not state.identifiers.exists()
    assert state.memberships.count() == 1


def test_a_membership_is_ended_and_a_wrong_name_deleted(client, staff):
    membership = MembershipFactory()
    name = ParticipantNameFactory(participant=membership.participant, name="Typo")
    response = client.post(
        edit("membership", membership),
        {
            "dialogue": membership.dialogue_id,
            "status": "observer",
            "valid_to": "2019-12-31",
            "version": membership.version,
        },
    )
    assert response.url == participant_page(membership.participant)
    membership.refresh_from_db()
    assert (membership.status, membership.valid_to) == ("observer", datetime.date(2019, 12, 31))
    assert Membership.history.filter(id=membership.pk).first().history_user is not None
    client.post(
        reverse("secretariat:delete", kwargs={"part": "participant-name", "pk": name.pk}),
        {"version": name.version},
    )
    assert not membership.participant.names.exists()


def test_a_stale_participant_save_is_refused(client, staff):
    state = StateFactory(name="Mine")
    data = {
        "save_participant": "1",
        "kind": "state",
        "name": "Mine",
        "sort_name": state.sort_name,
        "slug": state.slug,
        "iso_code": state.iso_code,
        "version": state.version,
    }
    state.name = "Theirs"
    state.save()
    response = client.post(participant_page(state), data)
    assert response.status_code == 409
    assert [(c.label, c.theirs, c.yours) for c in response.context["conflict"].changes] == [
        ("Name in force today", "Theirs", "Mine")
    ]


def test_participants_and_dialogues_themselves_are_not_deleted_here(client, staff):
    state = StateFactory()
    response = client.post(
        reverse("secretariat:delete", kwargs={"part": "participant", "pk": state.pk})
    )
    assert response.status_code == 404
    assert Participant.objects.filter(pk=state.pk).exists()


def test_dialogues_working_groups_and_regions_are_created_and_edited(client, staff):
    icmpd = OrganisationFactory(name="ICMPD")
    client.post(
        create("dialogue"),
        {"name": "Prague Process", "acronym": "PP", "slug": "prague-process", "secretariat": icmpd.pk},
    )  # fmt: skip
    dialogue = Dialogue.objects.get(slug="prague-process")
    assert dialogue.secretariat == icmpd
    response = client.post(
        edit("dialogue", dialogue),
        {"name": "Prague Process", "slug": "prague-process", "version": dialogue.version},
    )
    assert response.url == reverse("secretariat:groups")
    dialogue.refresh_from_db()
    assert (dialogue.acronym, dialogue.secretariat) == ("", None)
    silk, iraq = StateFactory(name="Afghanistan"), StateFactory(name="Iraq")
    client.post(
        create("region"),
        {
            "dialogue": dialogue.pk,
            "name": "Silk Routes",
            "slug": "silk-routes",
            "states": [silk.pk],
        },
    )
    region = Region.objects.get(slug="silk-routes")
    response = client.post(
        create("working-group"),
        {"dialogue": dialogue.pk, "name": "Silk Routes Working Group", "region": region.pk},
    )
    assert response.url == reverse("secretariat:groups")
    group = WorkingGroup.objects.get()
    assert group.region == region
    client.post(
        edit("region", region),
        {"name": "Silk Routes", "slug": "silk-routes", "states": [silk.pk, iraq.pk], "version": region.version},
    )  # fmt: skip
    assert set(region.states.all()) == {silk, iraq}
    response = client.post(
        create("working-group"), {"dialogue": dialogue.pk, "name": "Silk Routes Working Group"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [
        "There is already a working group called Silk Routes Working Group."
    ]
    shown = client.get(reverse("secretariat:groups")).content.decode()
    assert "Silk Routes Working Group" in shown and "Afghanistan, Iraq" in shown
    assert "Prague Process" in shown


def test_an_api_key_is_shown_once_listed_without_its_secret_and_revoked(client, staff):
    dialogue = DialogueFactory()
    last_day = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        reverse("secretariat:api-keys"),
        {
            "name": "IOM data hub",
            "scopes": ["read:public", "read:participants"],
            "dialogue": dialogue.pk,
            "expires_at": last_day.isoformat(),
        },
    )
    assert response.url == reverse("secretariat:api-key-issued")
    issued = client.get(response.url)
    key = issued.context["key"]
    assert key in issued.content.decode() and "no-store" in issued["Cache-Control"]
    stored = ApiKey.objects.get()
    assert stored.matches(ApiKey.split(key)[1]) and stored.created_by == staff
    assert (stored.scopes, stored.dialogue) == (["read:participants", "read:public"], dialogue)
    assert timezone.localtime(stored.expires_at).date() == last_day + datetime.timedelta(days=1)

    again = client.get(reverse("secretariat:api-key-issued"), follow=True)
    assert key not in again.content.decode()
    assert "shown only once" in again.content.decode()
    listed = client.get(reverse("secretariat:api-keys")).content.decode()
    assert f"bpd_{stored.prefix}_…" in listed and key not in listed

    api = APIClient(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/meetings/").status_code == 200
    client.post(reverse("secretariat:api-key-revoke", kwargs={"pk": stored.pk}))
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    assert api.get("/api/v1/meetings/").status_code == 401
    assert "revoked" in client.get(reverse("secretariat:api-keys")).content.decode()


def test_a_key_without_scopes_or_expiring_in_the_past_is_refused_at_its_field(client, staff):
    response = client.post(reverse("secretariat:api-keys"), {"name": "No scopes"})
    assert response.status_code == 400
    assert response.context["form"].errors["scopes"]
    response = client.post(
        reverse("secretariat:api-keys"),
        {"name": "Too late", "scopes": ["read:public"], "expires_at": "2020-01-31"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["expires_at"] == ["A new key cannot expire in the past."]
    response = client.post(
        reverse("secretariat:api-keys"), {"name": "Bad scope", "scopes": ["read:everything"]}
    )
    assert response.status_code == 400 and "scopes" in response.context["form"].errors
    assert not ApiKey.objects.exists()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_reference_data(n):
    for _ in range(n):
        state = StateFactory()
        ParticipantNameFactory(participant=state)
        MembershipFactory(participant=state)
        OrganisationFactory()
        region = RegionFactory()
        region.states.set([StateFactory(), StateFactory()])
        WorkingGroupFactory(region=region)
        api_key_create(name="partner", scopes=["read:public"], dialogue=DialogueFactory())


@pytest.mark.parametrize(
    "url", ["secretariat:participants", "secretariat:groups", "secretariat:api-keys"]
)
def test_lists_run_the_same_queries_whatever_their_length(
    client, staff, url, django_assert_num_queries
):
    _more_reference_data(1)
    expected = _queries(client, reverse(url))
    _more_reference_data(5)
    with django_assert_num_queries(expected):
        client.get(reverse(url))


def test_a_participants_page_runs_the_same_queries_whatever_it_holds(
    client, staff, django_assert_num_queries
):
    small, large = StateFactory(), StateFactory()
    for participant, size in ((small, 1), (large, 6)):
        for n in range(size):
            ParticipantNameFactory(
                participant=participant, valid_from=datetime.date(2000 + n, 1, 1)
            )
            MembershipFactory(participant=participant)
            participant.roles.create(dialogue=DialogueFactory(), role="chair")
        participant.identifiers.create(scheme="Wikidata", value=f"Q{participant.pk}")
    expected = _queries(client, participant_page(small))
    with django_assert_num_queries(expected):
        client.get(participant_page(large))
