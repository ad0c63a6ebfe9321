"""The IATI 2.03 export of the projects: valid against the IATI schema, and keeping the
standard's rules the schema cannot state."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from lxml import etree

from participants.models import ExternalIdentifier
from projects.iati import SECTOR_CODE, country_percentages, yearly_budgets
from projects.models import Project, ProjectPartner
from tests.factories import DialogueFactory, OrganisationFactory, ProjectFactory, StateFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/iati/activities.xml"
IOM = "XM-DAC-47066"
SECRETARIAT = "XI-IATI-SECR"


@pytest.fixture(scope="module")
def iati_schema():
    return etree.XMLSchema(
        etree.parse(str(settings.IATI_SCHEMA_DIR / "iati-activities-schema.xsd"))
    )


def iati_identifier_of(participant, value):
    ExternalIdentifier.objects.create(
        participant=participant, scheme=ExternalIdentifier.Scheme.IATI, value=value
    )
    return participant


@pytest.fixture
def portfolio():
    """A funded project over four years in three countries, implemented by IOM; a completed
    component in six countries with no partners of its own; a pilot with no date yet."""
    secretariat = iati_identifier_of(OrganisationFactory(name="The Secretariat"), SECRETARIAT)
    dialogue = DialogueFactory(secretariat=secretariat)
    iom = iati_identifier_of(
        OrganisationFactory(name="International Organization for Migration"), IOM
    )
    funder = OrganisationFactory(name="European Commission", organisation_type="eu_institution")
    project = ProjectFactory(
        dialogue=dialogue,
        title="Silk Routes Partnership",
        status=Project.Status.ONGOING,
        start_date=datetime.date(2017, 3, 1),
        end_date=datetime.date(2021, 2, 28),
        budget_amount=Decimal("12000000.00"),
        budget_currency="EUR",
        description="Dialogue, training and pilot initiatives.",
    )
    project.beneficiary_countries.set(StateFactory.create_batch(3))
    ProjectPartner.objects.create(project=project, participant=iom, role="implementer")
    ProjectPartner.objects.create(
        project=project,
        participant=funder,
        role="funder",
        contribution_amount=Decimal("12000000.00"),
        contribution_currency="EUR",
    )
    component = ProjectFactory(
        dialogue=dialogue,
        parent=project,
        kind=Project.Kind.COMPONENT,
        title="Facility component",
        status=Project.Status.COMPLETED,
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2019, 6, 30),
        budget_amount=Decimal("1000000.01"),
        budget_currency="EUR",
    )
    component.beneficiary_countries.set(StateFactory.create_batch(6))
    pilot = ProjectFactory(
        dialogue=dialogue, parent=component, kind=Project.Kind.PILOT_INITIATIVE, title="Pilot"
    )
    return project, component, pilot


def export(client):
    response = client.get(URL)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def parse_date(element, path):
    return datetime.date.fromisoformat(element.find(path).get("iso-date"))


def assert_iati_rules(doc):
    """The standard's rules the schema cannot state, on every activity of the file."""
    activities = doc.findall("iati-activity")
    identifiers = {a.findtext("iati-identifier") for a in activities}
    assert len(identifiers) == len(activities)
    for activity in activities:
        reporter = activity.find("reporting-org").get("ref")
        assert activity.findtext("iati-identifier").startswith(f"{reporter}-")
        percentages = [Decimal(c.get("percentage")) for c in activity.findall("recipient-country")]
        assert not percentages or sum(percentages) == 100
        dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
        assert "1" in dates or "2" in dates
        start = datetime.date.fromisoformat(dates.get("2", dates.get("1")))
        end = dates.get("4", dates.get("3"))
        for budget in activity.findall("budget"):
            period_start = parse_date(budget, "period-start")
            period_end = parse_date(budget, "period-end")
            assert period_start <= period_end
            # At most a year: the period ends before the same day a year later.
            assert period_end < period_start.replace(year=period_start.year + 1)
            assert start <= period_start
            assert end is None or period_end <= datetime.date.fromisoformat(end)
            value = budget.find("value")
            assert value.get("currency") and value.get("value-date")
        for related in activity.findall("related-activity"):
            assert related.get("ref") in identifiers
            assert related.get("type") in ("1", "2")
    return {a.findtext("title/narrative"): a for a in activities}


def test_the_export_validates_against_iati_2_03_and_keeps_its_rules(client, portfolio, iati_schema):
    project, component, pilot = portfolio
    doc = export(client)
    iati_schema.assertValid(doc)
    assert doc.get("version") == "2.03"
    activities = assert_iati_rules(doc)
    assert set(activities) == {"Silk Routes Partnership", "Facility component"}

    whole = activities["Silk Routes Partnership"]
    assert whole.findtext("iati-identifier") == f"{SECRETARIAT}-{project.uid}"
    assert whole.find("reporting-org").get("ref") == SECRETARIAT
    assert whole.findtext("reporting-org/narrative") == "The Secretariat"
    roles = {
        (org.findtext("narrative"), org.get("role"), org.get("ref"))
        for org in whole.findall("participating-org")
    }
    assert roles == {
        ("European Commission", "1", None),
        ("International Organization for Migration", "4", IOM),
    }
    assert whole.find("activity-status").get("code") == "2"
    dates = [(d.get("type"), d.get("iso-date")) for d in whole.findall("activity-date")]
    assert dates == [("1", "2017-03-01"), ("2", "2017-03-01"), ("3", "2021-02-28")]
    assert [c.get("percentage") for c in whole.findall("recipient-country")] == [
        "33.34",
        "33.33",
        "33.33",
    ]
    sector = whole.find("sector")
    assert (sector.get("vocabulary"), sector.get("code")) == ("1", SECTOR_CODE)
    budgets = whole.findall("budget")
    assert [
        (b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date"))
        for b in budgets
    ] == [
        ("2017-03-01", "2017-12-31"),
        ("2018-01-01", "2018-12-31"),
        ("2019-01-01", "2019-12-31"),
        ("2020-01-01", "2020-12-31"),
        ("2021-01-01", "2021-02-28"),
    ]
    assert sum(Decimal(b.findtext("value")) for b in budgets) == Decimal("12000000.00")
    assert {b.find("value").get("currency") for b in budgets} == {"EUR"}

    part = activities["Facility component"]
    # Completed and past: actual dates too; the component's partners are its project's.
    assert part.find("activity-status").get("code") == "3"
    assert {d.get("type") for d in part.findall("activity-date")} == {"1", "2", "3", "4"}
    assert len(part.findall("participating-org")) == 2
    assert sum(Decimal(c.get("percentage")) for c in part.findall("recipient-country")) == 100
    assert [(r.get("type"), r.get("ref")) for r in part.findall("related-activity")] == [
        ("1", whole.findtext("iati-identifier"))
    ]
    assert [(r.get("type"), r.get("ref")) for r in whole.findall("related-activity")] == [
        ("2", part.findtext("iati-identifier"))
    ]
    # The pilot has no start date, which IATI requires: left out, and the file says why.
    comments = [c.text for c in doc.iter(etree.Comment)]
    assert comments == [f" Left out: {pilot.slug}, no start date. "]


def test_a_secretariat_without_an_iati_identifier_reports_under_the_configured_one(
    client, settings, iati_schema
):
    settings.IATI_REPORTING_ORG_REF = "XI-IATI-FALLBACK"
    project = ProjectFactory(
        dialogue=DialogueFactory(secretariat=OrganisationFactory()),
        start_date=datetime.date(2024, 1, 1),
    )
    ProjectPartner.objects.create(project=project, participant=OrganisationFactory(), role="funder")
    doc = export(client)
    iati_schema.assertValid(doc)
    assert_iati_rules(doc)
    (activity,) = doc.findall("iati-activity")
    assert activity.findtext("iati-identifier") == f"XI-IATI-FALLBACK-{project.uid}"
    # IATI requires a description; a project without one says what it is part of.
    assert activity.findtext("description/narrative") == f"Project of the {project.dialogue.name}."


def test_without_any_reporting_organisation_identifier_nothing_is_reported(client, settings):
    settings.IATI_REPORTING_ORG_REF = ""
    project = ProjectFactory(start_date=datetime.date(2024, 1, 1))
    ProjectPartner.objects.create(project=project, participant=OrganisationFactory(), role="funder")
    doc = export(client)
    assert doc.findall("iati-activity") == []
    assert [c.text for c in doc.iter(etree.Comment)] == [
        f" Left out: {project.slug}, its dialogue's secretariat has no IATI organisation "
        "identifier. "
    ]


def test_the_export_holds_the_projects_the_public_may_see(client, portfolio):
    """Projects have no visibility of their own: the export holds exactly what the public
    projects list shows (less what IATI cannot describe), to the anonymous caller too."""
    listed = {p["id"] for p in client.get("/api/v1/projects/").json()["data"]}
    exported = {
        a.findtext("iati-identifier").removeprefix(f"{SECRETARIAT}-")
        for a in export(client).findall("iati-activity")
    }
    assert exported == listed - {str(portfolio[2].uid)}


@pytest.mark.parametrize("size", [1, 5])
def test_the_export_runs_the_same_queries_for_any_number_of_projects(
    client, django_assert_num_queries, size
):
    secretariat = iati_identifier_of(OrganisationFactory(), SECRETARIAT)
    dialogue = DialogueFactory(secretariat=secretariat)
    for _ in range(size):
        project = ProjectFactory(dialogue=dialogue, start_date=datetime.date(2020, 1, 1))
        ProjectFactory(dialogue=dialogue, parent=project, start_date=datetime.date(2020, 6, 1))
        project.beneficiary_countries.set(StateFactory.create_batch(2))
        ProjectPartner.objects.create(
            project=project,
            participant=iati_identifier_of(OrganisationFactory(), f"XM-DAC-{size}-{_}"),
            role="implementer",
        )
    # The projects with dialogue and parent, secretariats' identifiers, partners with their
    # participants' identifiers, beneficiary countries, and the latest deletion.
    with django_assert_num_queries(6):
        doc = export(client)
    assert len(doc.findall("iati-activity")) == 2 * size


@pytest.mark.parametrize("count", range(1, 13))
def test_recipient_country_percentages_add_up_to_exactly_100(count):
    shares = country_percentages(f"C{i}" for i in range(count))
    assert len(shares) == count
    assert sum(share for _, share in shares) == 100
    assert max(s for _, s in shares) - min(s for _, s in shares) <= Decimal("0.01")


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)),
        (datetime.date(2020, 2, 29), datetime.date(2020, 3, 1)),
        (datetime.date(2017, 7, 15), datetime.date(2023, 1, 1)),
    ],
)
def test_budgets_are_split_into_periods_of_at_most_a_year(start, end):
    budgets = yearly_budgets(Decimal("1000000.00"), start, end)
    assert budgets[0][0] == start and budgets[-1][1] == end
    assert sum(value for *_, value in budgets) == Decimal("1000000.00")
    for period_start, period_end, _ in budgets:
        assert period_start.year == period_end.year
    for (_, period_end, _), following in zip(budgets, budgets[1:], strict=False):
        assert following[0] == period_end + datetime.timedelta(days=1)


def test_an_unchanged_portfolio_gives_the_same_file_and_a_304(client, portfolio):
    first = client.get(URL)
    assert client.get(URL).content == first.content
    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
