"""Importing people, or a meeting's delegations, from a spreadsheet: a preview row by row,
nothing saved until confirmed, and a second import updates rather than duplicates."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from meetings.models import Delegation, Registration
from participants.models import Person
from tests.factories import (
    MeetingFactory,
    ParticipantNameFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PEOPLE = reverse("secretariat:people-import")


@pytest.fixture
def staff(client):
    user = UserFactory(secretariat=True)
    client.force_login(user)
    return user


@pytest.fixture
def states():
    turkey = StateFactory(name="Türkiye", sort_name="Türkiye", iso_code="TR")
    ParticipantNameFactory(participant=turkey, name="Turkey", sort_name="Turkey")
    return {
        "pakistan": StateFactory(name="Pakistan", iso_code="PK"),
        "turkey": turkey,
        "hungary": StateFactory(name="Hungary", iso_code="HU"),
    }


def csv_file(rows, name="people.csv"):
    text = "\n".join(",".join(row) for row in rows)
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="people.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


HEADER = ["Honorific", "Given name", "Family name", "Position", "Country", "E-mail"]
GOOD = [
    HEADER,
    ["Ms", "Amina", "Khan", "Director", "Pakistan", "amina@example.org"],
    ["Mr", "Mehmet", "Yilmaz", "Head of Unit", "Turkey", "mehmet@example.org"],  # earlier name
    ["Dr", "Eszter", "Kovács", "Adviser", "HU", ""],  # ISO code, no e-mail
]


def test_a_file_with_bad_rows_shows_each_error_and_saves_nothing(client, staff, states):
    PersonFactory(given_name="Amina", family_name="Khan", email="amina@example.org")
    rows = [
        HEADER,
        ["Ms", "Amina", "Khan", "Director", "Pakistan", "amina@example.org"],
        ["Mr", "Ivan", "Petrov", "", "Atlantis", "ivan@example.org"],
        ["Mr", "Bad", "Address", "", "Hungary", "not-an-address"],
        ["Mr", "Ivan", "Petrov", "", "Hungary", "IVAN@example.org"],
        ["Ms", "No", "Affiliation", "", "", ""],
    ]
    response = client.post(PEOPLE, {"file": csv_file(rows)})
    shown = {row.number: row for row in response.context["rows"]}
    assert shown[2].action == "update"
    assert shown[2].notes == ["Updates Amina Khan (same e-mail): honorific, position, affiliation."]
    assert shown[3].errors == ["Unknown country or participant “Atlantis”."]
    assert shown[4].errors == ["“not-an-address” is not an e-mail address."]
    assert shown[5].errors == ["The same person as row 3."]
    assert shown[6].action == "create"
    assert 'name="confirm"' not in response.content.decode()
    response = client.post(PEOPLE, {"confirm": "1"})
    assert response.status_code == 400
    assert Person.objects.count() == 1


def test_a_good_csv_file_creates_what_the_preview_says_after_confirmation(client, staff, states):
    preview = client.post(PEOPLE, {"file": csv_file(GOOD)})
    assert [row.action for row in preview.context["rows"]] == ["create"] * 3
    assert not Person.objects.exists()  # nothing saved before confirming
    summary = client.post(PEOPLE, {"confirm": "1"}).context["summary"]
    assert len(summary.created) == 3
    assert {(p.family_name, p.affiliation.iso_code) for p in Person.objects.all()} == {
        ("Khan", "PK"),
        ("Yilmaz", "TR"),
        ("Kovács", "HU"),
    }
    assert client.post(PEOPLE, {"confirm": "1"}, follow=True).redirect_chain  # used up


def test_an_xlsx_file_imported_again_updates_rather_than_duplicates(client, staff, states):
    client.post(PEOPLE, {"file": xlsx_file(GOOD)})
    client.post(PEOPLE, {"confirm": "1"})
    again = [row[:] for row in GOOD]
    again[1][3] = "Director General"
    preview = client.post(PEOPLE, {"file": xlsx_file(again)})
    assert [row.action for row in preview.context["rows"]] == ["update", "unchanged", "unchanged"]
    summary = client.post(PEOPLE, {"confirm": "1"}).context["summary"]
    assert (len(summary.created), len(summary.updated), len(summary.unchanged)) == (0, 1, 2)
    assert Person.objects.count() == 3
    assert Person.objects.get(family_name="Khan").position == "Director General"


def test_a_file_that_is_not_a_spreadsheet_is_refused_at_the_field(client, staff):
    response = client.post(PEOPLE, {"file": SimpleUploadedFile("notes.txt", b"hello")})
    assert response.status_code == 400
    assert "CSV or an XLSX" in str(response.context["form"].errors["file"])
    broken = client.post(PEOPLE, {"file": SimpleUploadedFile("x.xlsx", b"not a zip")})
    assert "not an XLSX file that can be read" in str(broken.context["form"].errors["file"])
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("readme.txt", "a zip, but no workbook in it")
    not_a_book = client.post(PEOPLE, {"file": SimpleUploadedFile("y.xlsx", package.getvalue())})
    assert "not an XLSX file that can be read" in str(not_a_book.context["form"].errors["file"])
    nul = client.post(PEOPLE, {"file": SimpleUploadedFile("z.csv", b"Given name\n\x00x\n")})
    assert nul.status_code == 400
    assert "cannot be read" in str(nul.context["form"].errors["file"])
    no_heading = client.post(PEOPLE, {"file": csv_file([["a", "b"], ["1", "2"]])})
    assert "should name the columns" in str(no_heading.context["form"].errors["file"])


def test_a_meetings_delegations_are_imported_as_confirmed_registrations(client, staff, states):
    meeting = MeetingFactory(record_status="draft")
    url = reverse("secretariat:delegations-import", kwargs={"slug": meeting.slug})
    existing = PersonFactory(
        given_name="Amina",
        family_name="Khan",
        email="amina@example.org",
        affiliation=states["pakistan"],
    )
    rows = [
        ["Participant", "Headcount", "Given name", "Family name", "E-mail", "Role"],
        ["PK", "", "Amina", "Khan", "amina@example.org", "Head of delegation"],
        ["Pakistan", "", "Bilal", "Ahmed", "bilal@example.org", "delegate"],
        ["Hungary", "3", "", "", "", ""],
    ]
    preview = client.post(url, {"file": xlsx_file(rows)})
    assert preview.status_code == 200, preview.context["form"].errors
    assert not [row.errors for row in preview.context["rows"] if row.errors]
    summary = client.post(url, {"confirm": "1"}).context["summary"]
    assert len(summary.registrations_confirmed) == 2 and len(summary.people_created) == 1
    registrations = Registration.objects.filter(meeting=meeting).order_by("role")
    assert [(r.person.family_name, r.role, r.status) for r in registrations] == [
        ("Ahmed", "delegate", "confirmed"),
        ("Khan", "head", "confirmed"),
    ]
    assert registrations[1].person == existing
    headcounts = {d.participant.iso_code: d.headcount for d in Delegation.objects.all()}
    assert headcounts == {"PK": 2, "HU": 3}

    second_head = [rows[0], ["Pakistan", "", "Bilal", "Ahmed", "bilal@example.org", "head"]]
    preview = client.post(url, {"file": csv_file(second_head)})
    (row,) = preview.context["rows"]
    assert row.errors == ["Amina Khan heads the delegation already."]
    assert client.post(url, {"confirm": "1"}).status_code == 400
    assert Registration.objects.get(person__family_name="Ahmed").role == "delegate"


def test_no_delegation_is_imported_into_a_published_record(client, staff, states):
    meeting = MeetingFactory(record_status="published")
    url = reverse("secretariat:delegations-import", kwargs={"slug": meeting.slug})
    response = client.post(url, {"file": csv_file([["Participant"], ["Pakistan"]])})
    assert response.status_code == 400
    assert "Reopen it for correction" in str(response.context["form"].errors["file"])
