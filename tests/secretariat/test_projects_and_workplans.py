"""Projects and workplans are edited in the workspace the same way as meetings."""

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import (
    ActivityFactory,
    DialogueFactory,
    MeetingFactory,
    ProjectFactory,
    StateFactory,
    UserFactory,
    WorkplanFactory,
)


@pytest.fixture
def staff(client, db):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


def test_a_project_tree_is_built_with_funders_and_sites(client, staff):
    dialogue = DialogueFactory()
    response = client.post(
        reverse("secretariat:create", kwargs={"part": "project"}),
        {
            "dialogue": dialogue.pk,
            "kind": "project",
            "title": "Silk Routes Partnership",
            "slug": "silk-routes",
            "status": "ongoing",
        },
    )
    project = Project.objects.get(slug="silk-routes")
    assert response.url == reverse("secretariat:project", kwargs={"slug": "silk-routes"})
    page = reverse("secretariat:project", kwargs={"slug": project.slug})
    eu, pakistan = StateFactory(name="EU member"), StateFactory(name="Pakistan")
    client.post(
        page,
        {
            "add_partner": "1",
            "partner-participant": eu.pk,
            "partner-role": "funder",
            "partner-contribution_amount": "1000000",
            "partner-contribution_currency": "EUR",
        },
    )
    client.post(
        page,
        {
            "add_site": "1",
            "site-name": "Migrant Resource Centre",
            "site-city": "Islamabad",
            "site-country": pakistan.pk,
            "site-status": "operating",
        },
    )
    assert project.partners.get().participant == eu
    assert project.sites.get().country == pakistan
    response = client.post(
        page,
        {
            "add_partner": "1",
            "partner-participant": eu.pk,
            "partner-role": "funder",
            "partner-contribution_amount": "5",
        },
    )
    assert response.status_code == 400
    errors = response.context["partner_form"].errors
    assert "contribution_currency" in errors
    response = client.post(
        page, {"add_partner": "1", "partner-participant": eu.pk, "partner-role": "funder"}
    )
    assert response.status_code == 400  # the same funder twice: a form error, not a 500
    assert response.context["partner_form"].errors["participant"] == [
        f"{eu} already has this role in the project."
    ]
    assert "Silk Routes Partnership" in client.get(reverse("secretariat:projects")).content.decode()


def test_a_stale_project_save_is_refused(client, staff):
    project = ProjectFactory(title="Old title")
    page = reverse("secretariat:project", kwargs={"slug": project.slug})
    data = {
        "save_project": "1",
        "kind": "project",
        "title": "Mine",
        "slug": project.slug,
        "status": "planned",
        "version": project.version,
    }
    project.title = "Theirs"
    project.save()
    response = client.post(page, data)
    assert response.status_code == 409
    assert [(c.label, c.theirs, c.yours) for c in response.context["conflict"].changes] == [
        ("Title", "Theirs", "Mine")
    ]
    project.refresh_from_db()
    assert project.title == "Theirs"


def test_activities_are_added_linked_to_the_meeting_that_realised_them(client, staff):
    workplan = WorkplanFactory()
    meeting = MeetingFactory(dialogue=workplan.dialogue)
    ActivityFactory(workplan=workplan, position=1)
    page = reverse("secretariat:workplan", kwargs={"pk": workplan.pk})
    client.post(
        page,
        {
            "add_activity": "1",
            "activity-title": "Thematic meeting on return",
            "activity-kind": "meeting",
            "activity-status": "done",
            "activity-realised_by": meeting.pk,
        },
    )
    activity = workplan.activities.get(title="Thematic meeting on return")
    assert (activity.position, activity.realised_by) == (2, meeting)
    response = client.post(
        page,
        {
            "add_activity": "1",
            "activity-title": "Bad dates",
            "activity-kind": "other",
            "activity-status": "planned",
            "activity-planned_start": "2017-05-01",
            "activity-planned_end": "2017-04-01",
        },
    )
    assert response.status_code == 400
    assert response.context["activity_form"].errors["planned_end"]
    move = reverse("secretariat:move", kwargs={"part": "activity", "pk": activity.pk})
    client.post(move, {"direction": "up"})
    assert workplan.activities.order_by("position").first() == activity


def test_frameworks_thematic_focuses_and_workplans_are_created(client, staff):
    dialogue = DialogueFactory()
    client.post(
        reverse("secretariat:create", kwargs={"part": "framework"}),
        {
            "dialogue": dialogue.pk,
            "title": "Istanbul Commitments",
            "first_year": 2013,
            "last_year": 2018,
            "status": "adopted",
        },
    )
    framework = dialogue.frameworks.get()
    page = reverse("secretariat:framework", kwargs={"pk": framework.pk})
    client.post(
        page,
        {"add_cadence": "1", "cadence-meeting_kind": "senior_officials", "cadence-per_year": "1"},
    )
    assert str(framework.cadence.get()) == "1 × Senior Officials Meeting a year"
    client.post(
        reverse("secretariat:create", kwargs={"part": "thematic-focus"}),
        {"dialogue": dialogue.pk, "year": 2017, "title": "Return", "status": "accepted"},
    )
    response = client.post(
        reverse("secretariat:create", kwargs={"part": "workplan"}),
        {
            "dialogue": dialogue.pk,
            "year": 2017,
            "title": "Work plan 2017",
            "framework": framework.pk,
            "status": "draft",
        },
    )
    workplan = dialogue.workplans.get()
    assert response.url == reverse("secretariat:workplan", kwargs={"pk": workplan.pk})
    index = client.get(reverse("secretariat:workplans")).content.decode()
    assert "Istanbul Commitments" in index and "Work plan 2017" in index and "Return" in index
    assert (
        client.get(reverse("secretariat:create", kwargs={"part": "statement"})).status_code == 404
    )
