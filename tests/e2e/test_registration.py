"""From invitation to the list of participants in a real browser: the secretariat invites, a
focal point nominates its delegation (someone on file and a new person), the secretariat
confirms them, and the List of participants names them under their country, head first, with
no contact detail."""

import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import Meeting
from tests.e2e.conftest import assert_accessible, login
from tests.factories import (
    AgendaItemFactory,
    DialogueFactory,
    FocalPointFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tab(page, name):
    page.get_by_role("navigation", name="Meeting workspace").get_by_role("link", name=name).click()
    page.wait_for_load_state()


def test_invited_nominated_confirmed_and_listed(page, browser, live_server):
    dialogue = DialogueFactory(name="Budapest Process")
    pakistan = StateFactory(name="Pakistan", sort_name="Pakistan")
    MembershipFactory(dialogue=dialogue, participant=pakistan)
    meeting = MeetingFactory(
        dialogue=dialogue,
        title="25th Meeting of the Senior Officials of the Budapest Process",
        status=Meeting.Status.PLANNED,
        record_status=Meeting.RecordStatus.DRAFT,
        visibility="participants",
        start_date=timezone.localdate() + datetime.timedelta(days=30),
        city="Istanbul",
    )
    AgendaItemFactory(meeting=meeting, position=1, title="Opening of the meeting")
    focal_user = UserFactory(username="focal")
    FocalPointFactory(
        dialogue=dialogue,
        participant=pakistan,
        person=PersonFactory(
            user=focal_user, affiliation=pakistan, given_name="Amina", family_name="Rahman"
        ),
    )
    PersonFactory(
        affiliation=pakistan, given_name="Omar", family_name="Zaman", position="Director General"
    )
    UserFactory(username="clerk", secretariat=True)

    # The secretariat invites: Pakistan's focal point is ticked by default.
    login(page, "clerk")
    page.goto(f"/secretariat/meetings/{meeting.slug}/")
    _tab(page, "Invitations")
    page.get_by_label("Subject").fill("Invitation to the 25th Senior Officials Meeting")
    page.get_by_label("Text").fill("We have the honour to invite your delegation.")
    assert page.get_by_label("Pakistan (Amina Rahman)").is_checked()
    page.get_by_role("button", name="Send the invitations").click()
    page.wait_for_load_state()
    assert "queued for 1 focal point" in page.locator("main").inner_text()
    assert "Sent" in page.locator("#log-h + h4 + div").inner_text()
    assert_accessible(page)
    assert [m.to for m in mail.outbox] == [[focal_user.person.email]]

    # The focal point signs in, finds the invitation and nominates two delegates.
    focal = browser.new_context(base_url=live_server.url).new_page()
    login(focal, "focal")
    focal.goto("/accounts/")
    focal.get_by_role("link", name="Your delegation").click()
    focal.wait_for_load_state()
    focal.get_by_label("Someone on file").select_option(label="Omar Zaman")
    focal.get_by_label("Role in the delegation").select_option(label="Head of delegation")
    focal.get_by_role("button", name="Nominate").click()
    focal.wait_for_load_state()
    focal.get_by_label("Given name").fill("Sara")
    focal.get_by_label("Family name").fill("Malik")
    focal.get_by_label("E-mail").fill("sara.malik@example.org")
    focal.get_by_label("Position").fill("Deputy Director, Ministry of Interior")
    focal.get_by_role("button", name="Nominate").click()
    focal.wait_for_load_state()
    delegation = focal.locator("table.registrations").inner_text()
    assert "Omar Zaman" in delegation and "Sara Malik" in delegation
    assert delegation.count("Nominated") == 2
    assert_accessible(focal)

    # The secretariat confirms both on the attendance tab; the grid follows.
    _tab(page, "Attendance")
    page.get_by_role("button", name="Confirm Omar Zaman").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Confirm Sara Malik").click()
    page.wait_for_load_state()
    row = page.locator(f"#attendance-{pakistan.pk}")
    assert row.get_by_label("Pakistan attended").is_checked()
    assert row.get_by_label("Headcount of Pakistan", exact=True).input_value() == "2"
    assert "Omar Zaman" in row.inner_text() and "Sara Malik" in row.inner_text()
    assert_accessible(page)
    focal.reload()
    assert focal.locator("table.registrations").inner_text().count("Confirmed") == 2

    # The List of participants: both under Pakistan, the head first, no e-mail.
    _tab(page, "Documents")
    page.locator("#id_generate-kind").select_option(label="List of participants")
    page.get_by_role("button", name="Generate").click()
    download = page.get_by_role("link", name="Download List of participants")
    download.wait_for()
    pdf = page.request.get(download.get_attribute("href"))
    assert pdf.ok
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert text.index("Pakistan") < text.index("Omar Zaman") < text.index("Sara Malik")
    assert "@" not in text
