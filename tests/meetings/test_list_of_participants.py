"""The List of participants as secretariats issue it, its organisers' copy with contacts, and
the name badges: rendered from the confirmed registrations by the same render path as the
other documents, the organisers' copies for the secretariat only."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bpdialogue.access import ANONYMOUS, SECRETARIAT_DOCUMENT_KINDS, AccessPolicy
from meetings import documents, rendering
from meetings.models import Document, Meeting, Registration, RenderJob
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantNameFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
    delegate_user,
)

pytestmark = pytest.mark.django_db


def register(meeting, participant, *, role=Registration.Role.DELEGATE, status=None, **person):
    """A registration of a new person of `participant`, confirmed unless told otherwise."""
    return Registration.objects.create(
        meeting=meeting,
        participant=participant,
        person=PersonFactory(affiliation=participant, **person),
        role=role,
        status=status or Registration.Status.CONFIRMED,
    )


def render(meeting, kind, capture) -> Document:
    with capture(execute=True):
        job = documents.document_request_render(meeting=meeting, kind=kind)
    job.refresh_from_db()
    assert job.status == RenderJob.Status.SUCCEEDED, job.error
    return job.document


def text_of(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def meeting():
    """Germany (called so since 2000), with a head, two delegates and a declined and a
    nominated person who are not on the list; Austria with one delegate; an organisation
    that sent three people nobody registered."""
    meeting = MeetingFactory(
        start_date=datetime.date(2016, 12, 15), record_status=Meeting.RecordStatus.DRAFT
    )
    germany = StateFactory(name="Germany", sort_name="Germany", iso_code="DE")
    ParticipantNameFactory(
        participant=germany,
        name="Federal Republic of Germany",
        sort_name="Germany, Federal Republic of",
        valid_from=datetime.date(2017, 1, 1),
    )
    ParticipantNameFactory(
        participant=germany,
        name="Germany",
        sort_name="Germany",
        valid_from=datetime.date(2000, 1, 1),
        valid_to=datetime.date(2016, 12, 31),
    )
    austria = StateFactory(name="Austria", sort_name="Austria", iso_code="AT")
    organisation = OrganisationFactory(name="International Organization for Migration")
    for participant, headcount in ((germany, 3), (austria, 1), (organisation, 3)):
        DelegationFactory(meeting=meeting, participant=participant, headcount=headcount)
    register(
        meeting,
        germany,
        role=Registration.Role.HEAD,
        honorific="Dr",
        given_name="Hans",
        family_name="Weber",
        position="Director-General, Federal Ministry of the Interior",
        email="hans.weber@example.de",
        phone="+49 30 1234",
    )
    adler = register(
        meeting, germany, given_name="Anna", family_name="Adler", email="anna.adler@example.de"
    )
    adler.position = "Desk officer for the Silk Routes"  # as the list gives it
    adler.save()
    register(meeting, germany, honorific="Ms", given_name="Clara", family_name="Bauer")
    register(
        meeting, germany, given_name="Dora", family_name="Abel", status=Registration.Status.DECLINED
    )
    register(
        meeting, germany, given_name="Emil", family_name="Aal", status=Registration.Status.NOMINATED
    )
    register(meeting, austria, given_name="Lena", family_name="Huber", email="lena@example.at")
    return meeting


def test_the_list_names_each_delegation_under_its_country_head_first_without_contacts(
    meeting, django_capture_on_commit_callbacks
):
    document = render(meeting, Document.Kind.PARTICIPANTS, django_capture_on_commit_callbacks)
    text = text_of(document)

    assert "7 participants from 2 countries and 1 organisation" in text
    # Austria, then Germany by the name in force on the meeting's date, then organisations.
    order = [
        "Austria",
        "Lena Huber",
        "Germany – 3 persons",
        "Dr Hans Weber, Director-General, Federal Ministry of the Interior – Head of delegation",
        "Anna Adler, Desk officer for the Silk Routes",
        "Ms Clara Bauer, Head of Migration Policy Unit",
        "International Organization for Migration – 3 persons",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "Federal Republic of Germany" not in text
    assert "Abel" not in text and "Aal" not in text  # declined, nominated
    assert "@" not in text and "example" not in text and "1234" not in text
    assert document.visibility == meeting.visibility


def test_the_organisers_copy_gives_e_mails_and_phones_and_stays_with_the_secretariat(
    meeting, client, django_capture_on_commit_callbacks
):
    document = render(
        meeting, Document.Kind.PARTICIPANTS_CONTACTS, django_capture_on_commit_callbacks
    )
    text = text_of(document)

    assert "For the organisers only" in text
    assert "hans.weber@example.de · +49 30 1234" in text
    assert "anna.adler@example.de" in text and "lena@example.at" in text
    assert text.index("Dr Hans Weber") < text.index("hans.weber@example.de")
    assert document.visibility == "secretariat"

    url = reverse("document-download", kwargs={"uid": document.uid})
    assert client.get(url).status_code == 404
    client.force_login(delegate_user(meeting.dialogue))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(secretariat=True))
    assert client.get(url).status_code == 200


def test_the_organisers_copies_are_never_published(meeting, django_capture_on_commit_callbacks):
    document = render(meeting, Document.Kind.BADGES, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError, match="for the organisers only"):
        documents.document_publish(document=document, by=None)

    # Even given a public visibility and a publication date by hand, the policy keeps them in.
    Document.objects.filter(pk=document.pk).update(visibility="public", published_at=timezone.now())
    document.refresh_from_db()
    reader = AccessPolicy(all_participant_dialogues=True, can_read_personal=True)
    for policy in (ANONYMOUS, reader):
        assert not policy.can_see_document(document)
        assert not policy.documents(Document.objects.all()).filter(pk=document.pk).exists()
    assert policy.document_audience(document) == "secretariat"
    assert SECRETARIAT_DOCUMENT_KINDS == {
        Document.Kind.PARTICIPANTS_CONTACTS,
        Document.Kind.BADGES,
    }


def test_badges_come_eight_to_an_a4_sheet_with_name_participant_and_role(
    meeting, django_capture_on_commit_callbacks
):
    austria = meeting.delegations.get(participant__iso_code="AT").participant
    for n in range(5):  # and four confirmed: nine badges, two sheets
        register(meeting, austria, given_name="Badge", family_name=f"Holder{n}")

    document = render(meeting, Document.Kind.BADGES, django_capture_on_commit_callbacks)
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]

    assert len(pages) == 2
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    assert [len(re.findall(r"Austria|Germany", page)) for page in pages] == [8, 1]
    assert "Badge Holder0 Austria Delegate" in pages[0]
    assert "Hans Weber Germany Head of delegation" in pages[0]
    assert "Anna Adler Germany Delegate" in pages[0]
    assert "Clara Bauer Germany Delegate" in pages[1]
    assert "Dr " not in " ".join(pages)
    assert "Abel" not in " ".join(pages) and "@" not in " ".join(pages)
    assert document.visibility == "secretariat"


def test_the_source_takes_the_same_queries_whatever_the_size(meeting, django_assert_num_queries):
    # The meeting, its delegations, their participants' dated names, the registrations.
    kinds = (Document.Kind.PARTICIPANTS, Document.Kind.PARTICIPANTS_CONTACTS, Document.Kind.BADGES)
    for kind in kinds:
        with django_assert_num_queries(4):
            rendering.document_source(meeting=meeting, kind=kind)
    for _ in range(6):
        state = StateFactory()
        DelegationFactory(meeting=meeting, participant=state, headcount=4)
        ParticipantNameFactory(participant=state)
        for role in (Registration.Role.HEAD, Registration.Role.DELEGATE, Registration.Role.ADVISER):
            register(meeting, state, role=role)
    for kind in kinds:
        with django_assert_num_queries(4):
            rendering.document_source(meeting=meeting, kind=kind)


def test_an_erased_person_is_a_representative_of_their_country(
    meeting, django_capture_on_commit_callbacks
):
    weber = meeting.registrations.get(person__family_name="Weber").person
    weber.erased_at = timezone.now()
    weber.save()

    text = text_of(render(meeting, Document.Kind.PARTICIPANTS, django_capture_on_commit_callbacks))

    assert "Weber" not in text
    assert "A representative of Germany – Head of delegation" in text


def test_the_documents_tab_offers_both_organisers_copies_to_generate(meeting, client):
    client.force_login(UserFactory(secretariat=True))

    page = client.get(reverse("secretariat:meeting-documents", args=[meeting.slug]))
    assert 'value="participants_contacts"' in page.content.decode()
    assert 'value="badges"' in page.content.decode()

    response = client.post(
        reverse("secretariat:document-generate", args=[meeting.slug]),
        {"generate-kind": "badges"},
    )
    assert response.status_code == 302
    job = RenderJob.objects.get(meeting=meeting)
    assert job.document_kind == Document.Kind.BADGES
    assert "Name badges" in client.get(response["Location"]).content.decode()


def test_the_documents_tab_offers_no_publication_of_the_organisers_copies(
    meeting, client, django_capture_on_commit_callbacks
):
    document = render(meeting, Document.Kind.BADGES, django_capture_on_commit_callbacks)
    client.force_login(UserFactory(secretariat=True))

    page = client.get(reverse("secretariat:meeting-documents", args=[meeting.slug]))

    row = page.content.decode().split(str(document.uid))[1].split("</tr>")[0]
    assert "for the organisers only" in row and "Publish" not in row
