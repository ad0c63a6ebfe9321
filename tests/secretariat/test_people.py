"""People in the workspace: found, added and edited, given focal-point roles over time,
retired, merged and invited to sign in, without the admin."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Registration
from participants.models import FocalPoint, Person
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
    delegate_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


def page(person):
    return reverse("secretariat:person", kwargs={"pk": person.pk})


def test_the_list_finds_people_by_name_affiliation_or_e_mail(client, staff):
    pakistan, turkey = StateFactory(name="Pakistan"), StateFactory(name="Türkiye")
    amina = PersonFactory(given_name="Amina", family_name="Khan", affiliation=pakistan)
    PersonFactory(given_name="Mehmet", family_name="Yilmaz", affiliation=turkey, email="m@gov.tr")
    PersonFactory(given_name="Old", family_name="Hand", affiliation=pakistan, retired_on="2020-1-1")

    def names(**query):
        response = client.get(reverse("secretariat:people"), query)
        return [p.family_name for p in response.context["page"]]

    assert names(q="amina khan") == ["Khan"]
    assert names(q="türk") == ["Yilmaz"]
    assert names(q="gov.tr") == ["Yilmaz"]
    assert names(affiliation=pakistan.pk) == ["Khan"]
    assert names(affiliation=pakistan.pk, retired="with") == ["Hand", "Khan"]
    assert names(retired="only") == ["Hand"]
    MembershipFactory(participant=pakistan)
    FocalPoint.objects.create(
        dialogue=pakistan.memberships.get().dialogue, participant=pakistan, person=amina
    )
    assert names(focal_points="on") == ["Khan"]


def test_the_list_runs_the_same_queries_whatever_the_number_of_people(
    client, staff, django_assert_num_queries
):
    PersonFactory()
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("secretariat:people"))
    for _ in range(8):
        PersonFactory(user=UserFactory())
    with django_assert_num_queries(len(first)):
        response = client.get(reverse("secretariat:people"))
    assert response.context["page"].paginator.count == 9


def test_a_person_is_added_and_edited_and_a_stale_edit_shows_the_conflict(client, staff):
    pakistan = StateFactory(name="Pakistan")
    response = client.post(
        reverse("secretariat:person-create"),
        {
            "honorific": "Ms",
            "given_name": "Amina",
            "family_name": "Khan",
            "position": "Director",
            "affiliation": pakistan.pk,
            "email": "amina@example.org",
            "phone": "+92 51 1234",
        },
    )
    person = Person.objects.get()
    assert response.url == page(person)
    assert (person.full_name, person.affiliation) == ("Ms Amina Khan", pakistan)
    edit = {
        "save_person": "1",
        "version": 1,
        "given_name": "Amina",
        "family_name": "Khan",
        "email": "amina@example.org",
    }
    assert client.post(page(person), {**edit, "position": "Director General"}).status_code == 302
    stale = client.post(page(person), {**edit, "position": "Clerk"})
    assert stale.status_code == 409
    assert stale.context["conflict"].saved_by == staff.username
    person.refresh_from_db()
    assert person.position == "Director General"
    refused = client.post(page(person), {**edit, "version": 2, "email": "not an address"})
    assert refused.status_code == 400 and "email" in refused.context["form"].errors
    # Written to in English until told otherwise; an edit that leaves it out keeps it.
    assert person.language == "en"
    assert client.post(page(person), {**edit, "version": 2, "language": "ru"}).status_code == 302
    assert (
        client.post(page(person), {**edit, "version": 3, "position": "Adviser"}).status_code == 302
    )
    person.refresh_from_db()
    assert (person.language, person.position) == ("ru", "Adviser")
    refused = client.post(page(person), {**edit, "version": 4, "language": "fr"})
    assert refused.status_code == 400 and "language" in refused.context["form"].errors


def test_focal_point_roles_are_added_and_ended_on_the_persons_page(client, staff):
    membership = MembershipFactory(participant=StateFactory(name="Pakistan"))
    person = PersonFactory(affiliation=membership.participant)
    response = client.post(
        page(person),
        {
            "add_focal_point": "1",
            "role-dialogue": membership.dialogue.pk,
            "role-valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    role = FocalPoint.objects.get()
    assert (role.participant, role.person) == (membership.participant, person)
    response = client.post(
        reverse("secretariat:focal-point-end", kwargs={"pk": role.pk}),
        {"on": "2025-12-31", "version": role.version},
    )
    role.refresh_from_db()
    assert role.valid_to == datetime.date(2025, 12, 31)
    shown = client.get(page(person))
    assert shown.status_code == 200 and "31 Dec 2025" in shown.content.decode()
    not_a_member = client.post(
        page(PersonFactory()),
        {"add_focal_point": "1", "role-dialogue": membership.dialogue.pk},
    )
    assert not_a_member.status_code == 400
    assert "is not a member" in str(not_a_member.context["role_form"].errors["participant"])


def test_a_person_is_retired_and_reinstated(client, staff):
    person = PersonFactory()
    client.post(
        reverse("secretariat:person-retire", kwargs={"pk": person.pk}),
        {"on": "2026-06-30", "version": person.version},
    )
    person.refresh_from_db()
    assert person.retired_on == datetime.date(2026, 6, 30)
    client.post(
        reverse("secretariat:person-reinstate", kwargs={"pk": person.pk}),
        {"version": person.version},
    )
    person.refresh_from_db()
    assert person.retired_on is None


def test_a_duplicate_is_found_and_merged_into_the_person_kept(client, staff):
    pakistan = StateFactory(name="Pakistan")
    kept = PersonFactory(given_name="Amina", family_name="Khan", affiliation=pakistan)
    duplicate = PersonFactory(given_name="Amina", family_name="Khan", affiliation=pakistan)
    meeting = MeetingFactory()
    Registration.objects.create(meeting=meeting, participant=pakistan, person=duplicate)
    found = client.get(page(duplicate), {"merge_q": "khan"})
    assert list(found.context["candidates"]) == [kept]
    response = client.post(
        reverse("secretariat:person-merge", kwargs={"pk": duplicate.pk}), {"survivor": kept.pk}
    )
    assert response.url == page(kept)
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert Registration.objects.get().person == kept
    shown = client.get(page(kept)).content.decode()
    assert meeting.title in shown


def test_a_refused_merge_says_why_and_keeps_both(client, staff):
    pakistan = StateFactory()
    kept, duplicate = PersonFactory(affiliation=pakistan), PersonFactory(affiliation=pakistan)
    meeting = MeetingFactory()
    for person in (kept, duplicate):
        Registration.objects.create(meeting=meeting, participant=pakistan, person=person)
    response = client.post(
        reverse("secretariat:person-merge", kwargs={"pk": duplicate.pk}),
        {"survivor": kept.pk},
        follow=True,
    )
    assert "already registered for this meeting" in response.content.decode()
    assert Person.objects.count() == 2


def test_inviting_to_sign_in_mails_the_link_to_the_person(
    client, staff, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="amina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("secretariat:person-invite", kwargs={"pk": person.pk}), follow=True
        )
    assert "on its way to amina@example.org" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["amina@example.org"]
    assert "http://testserver/accounts/reset/" in message.body
    nobody = PersonFactory(email="")
    response = client.post(
        reverse("secretariat:person-invite", kwargs={"pk": nobody.pk}), follow=True
    )
    assert "has no e-mail address" in response.content.decode()


@pytest.mark.parametrize("name", ["people", "person-create", "people-import"])
def test_people_pages_are_the_secretariats(client, name):
    url = reverse(f"secretariat:{name}")
    assert client.get(url).url.startswith(reverse("login"))
    client.force_login(delegate_user(MembershipFactory().dialogue))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(secretariat=True))
    assert client.get(url).status_code == 200
