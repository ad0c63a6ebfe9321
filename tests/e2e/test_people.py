"""The secretariat keeps its people in a real browser: adds one, makes them a focal point,
and imports more from a spreadsheet after checking the preview."""

import pytest

from participants.models import FocalPoint, Person
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.factories import DialogueFactory, MembershipFactory, StateFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_adds_a_focal_point_and_imports_people(page, tmp_path):
    dialogue = DialogueFactory(name="Budapest Process")
    for name, code in (("Pakistan", "PK"), ("Hungary", "HU")):
        MembershipFactory(
            dialogue=dialogue, participant=StateFactory(name=name, sort_name=name, iso_code=code)
        )
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")
    page.goto("/secretariat/")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Given name").fill("Amina")
    page.get_by_label("Family name").fill("Khan")
    page.get_by_label("Affiliation").select_option(label="Pakistan")
    page.get_by_label("Email").fill("amina@example.org")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Amina Khan").wait_for()

    page.get_by_text("Add a focal-point role").click()
    page.get_by_label("Dialogue").select_option(label="Budapest Process")
    page.get_by_label("From").fill("2025-01-01")
    page.get_by_role("button", name="Add role").click()
    assert "Focal-point role added." in page.locator("main").inner_text()
    assert FocalPoint.objects.get().person.family_name == "Khan"
    assert_accessible(page)
    screenshot(page, "workspace-person")

    spreadsheet = tmp_path / "people.csv"
    spreadsheet.write_text(
        "Given name,Family name,Country,E-mail\n"
        "Eszter,Kovács,HU,eszter@example.org\n"
        "Amina,Khan,Pakistan,amina@example.org\n"
    )
    page.goto("/secretariat/people/")
    page.get_by_role("link", name="Import from a spreadsheet").click()
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(str(spreadsheet))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("table").inner_text()
    assert "Create" in preview
    assert "Amina Khan is on file (same e-mail) as the row gives them." in preview
    assert Person.objects.count() == 1
    assert_accessible(page)
    page.get_by_role("button", name="Import 2 rows").click()
    assert "1 person created, 0 updated, 1 unchanged" in page.locator("main").inner_text()

    page.goto("/secretariat/people/?q=kov")
    assert "Eszter Kovács" in page.locator("table").inner_text()
    assert_accessible(page)
    screenshot(page, "workspace-people")
    assert not page.js_errors
