import pytest

from meetings.selectors import meeting_attendance
from tests.factories import DelegationFactory, MeetingFactory, OrganisationFactory, StateFactory

pytestmark = pytest.mark.django_db

REFERENCE_PARAGRAPH_1 = (
    "The Senior Officials meeting gathered 50 participants from 22 countries – Afghanistan, "
    "Australia, Azerbaijan, Bangladesh, Belarus, Czech Republic, Georgia, Germany, Hungary, "
    "Islamic Republic of Iran, Iraq, the former Yugoslav Republic of Macedonia, Montenegro, "
    "Netherlands, Norway, Pakistan, Poland, Serbia, Switzerland, Tajikistan, Turkey and Ukraine "
    "– as well as the European Commission, the European External Action Service (EEAS), Frontex "
    "– the European Border and Coast Guard Agency, the International Centre for Migration Policy "
    "Development (ICMPD) and the International Organization for Migration (IOM)."
)


def test_the_24th_meeting_reproduces_paragraph_1_of_the_reference(demo):
    assert meeting_attendance(meeting=demo).paragraph() == REFERENCE_PARAGRAPH_1


def test_the_html_paragraph_puts_the_totals_in_bold(demo):
    html = meeting_attendance(meeting=demo).paragraph_html()
    assert "gathered <strong>50 participants from 22 countries</strong> – Afghanistan" in html


def test_two_queries_whatever_the_number_of_delegations(demo, django_assert_num_queries):
    with django_assert_num_queries(2):
        meeting_attendance(meeting=demo)


def test_singular_and_no_organisations():
    meeting = MeetingFactory()
    DelegationFactory(meeting=meeting, participant=StateFactory(name="Serbia"), headcount=1)
    assert (
        meeting_attendance(meeting=meeting).paragraph()
        == "The Senior Officials meeting gathered 1 participant from 1 country – Serbia."
    )


def test_organisations_only():
    meeting = MeetingFactory()
    DelegationFactory(meeting=meeting, participant=OrganisationFactory(name="IOM"), headcount=3)
    assert (
        meeting_attendance(meeting=meeting).paragraph()
        == "The Senior Officials meeting gathered 3 participants from IOM."
    )
