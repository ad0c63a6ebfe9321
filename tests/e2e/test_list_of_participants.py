"""The organisers' copies of the list of participants and a person's erasure, in a real
browser: generated on the Documents tab with its progress, kept from everyone else, and an
erased person named "A representative of Germany" from then on."""

import io

import pytest
from pypdf import PdfReader

from meetings.models import Meeting, Registration
from tests.e2e.conftest import assert_accessible, login
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def pdf_text(body: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(body)).pages)


def test_the_secretariat_generates_the_badges_and_the_contacts_and_erases_a_person(page, browser):
    meeting = MeetingFactory(title="25th Meeting", record_status=Meeting.RecordStatus.DRAFT)
    germany = StateFactory(name="Germany", sort_name="Germany", iso_code="DE")
    DelegationFactory(meeting=meeting, participant=germany, headcount=1)
    weber = PersonFactory(
        given_name="Hans", family_name="Weber", email="hans.weber@example.de", affiliation=germany
    )
    Registration.objects.create(
        meeting=meeting,
        participant=germany,
        person=weber,
        role=Registration.Role.HEAD,
        status=Registration.Status.CONFIRMED,
    )
    UserFactory(username="clerk", secretariat=True)
    login(page, "clerk")

    links = {}
    for kind in ("List of participants with contacts", "Name badges"):
        page.goto(f"/secretariat/meetings/{meeting.slug}/documents/")
        page.locator("#id_generate-kind").select_option(label=kind)
        page.get_by_role("button", name="Generate").click()
        download = page.get_by_role("link", name=f"Download {kind}")
        download.wait_for()
        links[kind] = download.get_attribute("href")
        pdf = page.request.get(links[kind])
        assert pdf.ok
        assert "Hans Weber" in pdf_text(pdf.body())
    assert "hans.weber@example.de" in pdf_text(
        page.request.get(links["List of participants with contacts"]).body()
    )
    page.reload()
    assert page.get_by_text("for the organisers only").count() == 2
    assert_accessible(page)

    # Nobody else gets them, not even by their address.
    stranger = browser.new_context(base_url=page.url.split("/secretariat")[0])
    for link in links.values():
        assert stranger.request.get(link).status == 404
    stranger.close()

    # The person's page offers the export and the erasure, which asks first.
    page.goto(f"/secretariat/people/{weber.pk}/")
    page.get_by_role("link", name="erase their data").click()
    assert_accessible(page)
    page.get_by_role("button", name="Erase").click()
    assert page.url.endswith("/erase/")  # the box is required: nothing was sent
    page.get_by_label("Erase this person's data for good").check()
    page.get_by_role("button", name="Erase").click()
    assert "A representative of Germany" in page.locator("main").inner_text()
    page.goto(f"/secretariat/meetings/{meeting.slug}/attendance/")
    main = page.locator("main").inner_text()
    assert "A representative of Germany" in main and "Weber" not in main
    weber.refresh_from_db()
    assert weber.erased_at is not None and weber.email == ""
