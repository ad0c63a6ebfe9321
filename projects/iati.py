"""Projects as IATI 2.03 activities (`/api/v1/iati/activities.xml`).

Each project is one `iati-activity`, reported by its dialogue's secretariat under that
organisation's IATI identifier (`settings.IATI_REPORTING_ORG_REF` when the secretariat has
none on file). Beside the schema's structure, the file keeps the standard's rules the schema
cannot state: recipient countries' percentages add up to 100, no budget period is longer than a
year or falls outside the activity's dates, every identifier begins with its reporting
organisation's, and related activities point only at activities in the file.

A project the standard cannot describe from what is on file (no start date, no reporting
organisation identifier, nobody funding or implementing it) is left out, and a comment at the
top of the file names it and why, rather than being reported with invented values.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from lxml import etree

from participants.models import ExternalIdentifier, Participant

from .models import Project, ProjectPartner

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGE = "en"

# DAC 5-digit sector (vocabulary 1): the dialogue's projects are all about migration.
SECTOR_CODE = "15190"
SECTOR_NAME = "Facilitation of orderly, safe, regular and responsible migration and mobility"

# IATI ActivityStatus: 1 pipeline, 2 implementation, 3 finalisation (physical activity
# complete; financial closure, 4, is not something the dialogue records), 5 cancelled.
ACTIVITY_STATUS = {
    Project.Status.PLANNED: "1",
    Project.Status.ONGOING: "2",
    Project.Status.COMPLETED: "3",
    Project.Status.CANCELLED: "5",
}

# IATI OrganisationRole: 1 funding, 4 implementing (co-implementers and partners implement too).
PARTICIPATING_ROLE = {
    ProjectPartner.Role.FUNDER: "1",
    ProjectPartner.Role.IMPLEMENTER: "4",
    ProjectPartner.Role.CO_IMPLEMENTER: "4",
    ProjectPartner.Role.PARTNER: "4",
}

# IATI OrganisationType: 10 government, 15 other public sector, 21 international NGO,
# 40 multilateral, 90 other.
GOVERNMENT = "10"
ORGANISATION_TYPE = {
    Participant.OrganisationType.EU_INSTITUTION: "15",
    Participant.OrganisationType.EU_AGENCY: "15",
    Participant.OrganisationType.INTERGOVERNMENTAL: "40",
    Participant.OrganisationType.UN_AGENCY: "40",
    Participant.OrganisationType.NON_GOVERNMENTAL: "21",
}
OTHER = "90"

# IATI ActivityDateType and RelatedActivityType.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
PARENT, CHILD = "1", "2"
# IATI BudgetType 1 original; BudgetStatus 1 indicative (the dialogue records no commitment).
BUDGET_ORIGINAL, BUDGET_INDICATIVE = "1", "1"

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Organisation:
    ref: str
    type: str
    name: str


def iati_identifier(participant: Participant | None) -> str:
    """The participant's IATI organisation identifier, "" if none is on file. Uses the
    prefetched identifiers."""
    if participant is None:
        return ""
    for identifier in participant.identifiers.all():
        if identifier.scheme == ExternalIdentifier.Scheme.IATI:
            return identifier.value
    return ""


def organisation_type(participant: Participant) -> str:
    if participant.kind == Participant.Kind.STATE:
        return GOVERNMENT
    return ORGANISATION_TYPE.get(participant.organisation_type, OTHER)


def reporting_organisation(dialogue) -> Organisation | None:
    """The dialogue's secretariat as the reporter, or None when no identifier is known."""
    secretariat = dialogue.secretariat
    ref = iati_identifier(secretariat) or settings.IATI_REPORTING_ORG_REF
    if not ref:
        return None
    if secretariat is None:
        return Organisation(ref=ref, type=OTHER, name=f"{dialogue.name} secretariat")
    return Organisation(ref=ref, type=organisation_type(secretariat), name=secretariat.name)


def country_percentages(codes: Iterable[str]) -> list[tuple[str, Decimal]]:
    """The codes with even shares in hundredths that add up to exactly 100: the cents left
    over by rounding down go one each to the first countries."""
    codes = list(codes)
    if not codes:
        return []
    share = (Decimal(100) / len(codes)).quantize(CENT, rounding=ROUND_DOWN)
    left_over = int((Decimal(100) - share * len(codes)) / CENT)
    return [(code, share + (CENT if i < left_over else 0)) for i, code in enumerate(codes)]


def yearly_budgets(
    amount: Decimal, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, datetime.date, Decimal]]:
    """The amount over the calendar years from `start` to `end` (IATI budget periods are at
    most a year), shared by the days each year has of the period, in cents adding up to the
    amount (the last year takes the rounding)."""
    periods = []
    period_start = start
    while period_start <= end:
        period_end = min(datetime.date(period_start.year, 12, 31), end)
        periods.append((period_start, period_end))
        period_start = period_end + datetime.timedelta(days=1)
    total_days = (end - start).days + 1
    budgets, given = [], Decimal(0)
    for index, (period_start, period_end) in enumerate(periods):
        if index == len(periods) - 1:
            value = amount - given
        else:
            days = (period_end - period_start).days + 1
            value = (amount * days / total_days).quantize(CENT)
        given += value
        budgets.append((period_start, period_end, value))
    return budgets


def _partners(project: Project, projects: dict[int, Project]) -> list[ProjectPartner]:
    """The project's funders and implementers; a part of a project that lists none of its own
    is funded and implemented as the project it belongs to is."""
    while project is not None:
        partners = list(project.partners.all())
        if partners:
            return partners
        project = projects.get(project.parent_id)
    return []


def _depth(project: Project, projects: dict[int, Project]) -> int:
    depth = 1
    while project.parent_id in projects:
        project, depth = projects[project.parent_id], depth + 1
    return depth


def _narrative(parent: etree._Element, tag: str, text: str, **attributes) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    etree.SubElement(element, "narrative").text = text
    return element


def _left_out_reason(project: Project, reporter, partners) -> str:
    if reporter is None:
        return "its dialogue's secretariat has no IATI organisation identifier"
    if project.start_date is None:
        return "no start date"
    if not partners:
        return "nobody funding or implementing it is on file"
    return ""


def iati_activities(projects: Iterable[Project], *, today: datetime.date, generated_at) -> bytes:
    """The IATI 2.03 `iati-activities` document of the projects, which must come with
    `projects.selectors.projects_for_iati`'s joins (the whole tree, for parents and partners).
    """
    projects = list(projects)
    by_id = {project.id: project for project in projects}
    reporters = {project.id: reporting_organisation(project.dialogue) for project in projects}
    partners = {project.id: _partners(project, by_id) for project in projects}
    left_out = {
        project.id: reason
        for project in projects
        if (reason := _left_out_reason(project, reporters[project.id], partners[project.id]))
    }
    identifiers = {
        project.id: f"{reporters[project.id].ref}-{project.uid}"
        for project in projects
        if project.id not in left_out
    }
    children: dict[int, list[Project]] = {}
    for project in projects:
        children.setdefault(project.parent_id, []).append(project)

    root = etree.Element(
        "iati-activities", version=IATI_VERSION, **{"generated-datetime": generated_at.isoformat()}
    )
    for project in projects:
        if project.id in left_out:
            root.append(etree.Comment(f" Left out: {project.slug}, {left_out[project.id]}. "))
    for project in projects:
        if project.id in identifiers:
            root.append(
                _activity(
                    project,
                    identifier=identifiers[project.id],
                    reporter=reporters[project.id],
                    partners=partners[project.id],
                    depth=_depth(project, by_id),
                    related=[
                        (PARENT, identifiers.get(project.parent_id)),
                        *(
                            (CHILD, identifiers.get(child.id))
                            for child in children.get(project.id, [])
                        ),
                    ],
                    today=today,
                )
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _activity(project, *, identifier, reporter, partners, depth, related, today):
    activity = etree.Element(
        "iati-activity",
        {
            XML_LANG: LANGUAGE,
            "last-updated-datetime": project.updated_at.isoformat(),
            "hierarchy": str(depth),
        },
    )
    if project.budget_currency:
        activity.set("default-currency", project.budget_currency)
    etree.SubElement(activity, "iati-identifier").text = identifier
    _narrative(activity, "reporting-org", reporter.name, ref=reporter.ref, type=reporter.type)
    _narrative(activity, "title", project.title)
    _narrative(activity, "description", project.description or _kind_of(project), type="1")
    if project.outcome:
        # IATI DescriptionType 2: objectives, what the project is to achieve.
        _narrative(activity, "description", project.outcome, type="2")
    for partner in partners:
        participant = partner.participant
        org = _narrative(
            activity,
            "participating-org",
            participant.name,
            role=PARTICIPATING_ROLE[partner.role],
            type=organisation_type(participant),
        )
        if ref := iati_identifier(participant):
            org.set("ref", ref)
    etree.SubElement(activity, "activity-status", code=ACTIVITY_STATUS[project.status])
    for date_type, date in _activity_dates(project, today):
        etree.SubElement(
            activity, "activity-date", type=date_type, **{"iso-date": date.isoformat()}
        )
    countries = [c for c in project.beneficiary_countries.all() if c.iso_code]
    shares = dict(country_percentages(c.iso_code for c in countries))
    for country in countries:
        _narrative(
            activity,
            "recipient-country",
            country.name,
            code=country.iso_code,
            percentage=str(shares[country.iso_code]),
        )
    _narrative(activity, "sector", SECTOR_NAME, vocabulary="1", code=SECTOR_CODE, percentage="100")
    if project.budget_amount is not None and project.end_date is not None:
        for start, end, value in yearly_budgets(
            project.budget_amount, project.start_date, project.end_date
        ):
            budget = etree.SubElement(
                activity, "budget", type=BUDGET_ORIGINAL, status=BUDGET_INDICATIVE
            )
            etree.SubElement(budget, "period-start", {"iso-date": start.isoformat()})
            etree.SubElement(budget, "period-end", {"iso-date": end.isoformat()})
            etree.SubElement(
                budget,
                "value",
                {"currency": project.budget_currency, "value-date": start.isoformat()},
            ).text = str(value)
    for relation, ref in related:
        if ref:
            etree.SubElement(activity, "related-activity", ref=ref, type=relation)
    return activity


def _activity_dates(project: Project, today: datetime.date) -> list[tuple[str, datetime.date]]:
    """Planned start and end as recorded; actual ones only once they are past (IATI: an
    actual date is never in the future) and the status says they happened."""
    started = project.status in (Project.Status.ONGOING, Project.Status.COMPLETED)
    dates = [(PLANNED_START, project.start_date)]
    if started and project.start_date <= today:
        dates.append((ACTUAL_START, project.start_date))
    if project.end_date is not None:
        dates.append((PLANNED_END, project.end_date))
        if project.status == Project.Status.COMPLETED and project.end_date <= today:
            dates.append((ACTUAL_END, project.end_date))
    return dates


def _kind_of(project: Project) -> str:
    """A description for a project that has none (IATI requires one): what it is part of."""
    whole = project.parent.title if project.parent_id else f"the {project.dialogue.name}"
    return f"{project.get_kind_display()} of {whole}."
