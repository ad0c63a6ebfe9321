"""The dialogue in numbers: figures counted in the database (one grouped query each, whatever
the size of the dialogue) through the access policy, so the public counts public material and
a delegate what its dialogue shares with participants too. Each figure is a table (the text
alternative, and the CSV) and its plot (`portal.plots`). Figures are kept until the next write
anywhere (bpdialogue.representations.kept_until_written), for each audience apart: counting
and drawing a busy dialogue's matrices costs far more than reading them back."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from bpdialogue.access import AccessPolicy, policy_for
from bpdialogue.api.renderers import spreadsheet_cell
from bpdialogue.representations import kept_until_written
from meetings.models import ActionPoint, Delegation, Meeting, Registration, Statement
from participants.models import Dialogue, Participant
from projects.models import Project, ProjectPartner
from workplans.models import FrameworkCadence

from . import plots

FINISHED = (ActionPoint.Status.DONE, ActionPoint.Status.DROPPED)
LINE_FROM_YEARS = 4


@dataclass
class Figure:
    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    plots: list[SafeString] = field(default_factory=list)
    note: str = ""
    # The column of amounts of money, printed rounded with thousands separators.
    money: int | None = None

    @property
    def caption_id(self) -> str:
        return f"figure-{self.slug}-caption"

    def table_body(self) -> SafeString:
        """The table's rows as markup, written here rather than in the template: a busy
        dialogue's matrix has thousands of cells, which a template loop is slow to print."""
        rows = []
        for row in self.rows:
            cells = [f'<th scope="row">{escape(row[0])}</th>']
            for index, cell in enumerate(row[1:], start=1):
                if index == self.money:
                    cell = floatformat(cell, "0g")
                # Counts need no escaping; anything else (a currency) does.
                text = cell if isinstance(cell, int) else escape(cell)
                cells.append(f'<td class="number">{text}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("".join(rows))  # nosec B308 B703 - every value escaped above

    @property
    def wide(self) -> bool:
        """A table of many columns (years, topics) goes under its plot, not beside it."""
        return len(self.columns) > 4


def dialogues_for(*, viewer) -> list[Dialogue]:
    """The dialogues to choose from, the busiest (in meetings the viewer sees) first."""
    policy = policy_for(viewer)
    return list(
        Dialogue.objects.annotate(
            meeting_count=Count("meetings", filter=policy.meeting_q("meetings__"))
        ).order_by("-meeting_count", "name")
    )


def _years(values) -> list[int]:
    """Every year from the first to the last, gaps included: a year without a meeting is
    a year of the series too."""
    values = [v for v in values if v is not None]
    return list(range(min(values), max(values) + 1)) if values else []


# -- the figures ---------------------------------------------------------------------------
def meetings_per_year(policy: AccessPolicy, dialogue: Dialogue, today: datetime.date) -> Figure:
    counts = {
        row["year"]: row
        for row in policy.meetings(Meeting.objects.filter(dialogue=dialogue))
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(
            held=Count("id", filter=Q(status=Meeting.Status.HELD)),
            planned=Count(
                "id", filter=Q(status__in=[Meeting.Status.PLANNED, Meeting.Status.POSTPONED])
            ),
        )
        .order_by("year")
    }
    cadences = list(
        FrameworkCadence.objects.filter(framework__dialogue=dialogue)
        .values("framework__first_year", "framework__last_year")
        .annotate(per_year=Sum("per_year"))
        .order_by()
    )
    figure = Figure(
        "meetings",
        _("Meetings held per year, against the framework's cadence"),
        [_("Year"), _("Held"), _("Planned or postponed"), _("Expected by the framework")],
        note=_(
            "Expected: the meetings a year that the cooperation framework covering the year "
            "plans (its cadence), all kinds together."
        ),
    )
    for year in _years(counts):
        expected = sum(
            c["per_year"]
            for c in cadences
            if c["framework__first_year"] <= year <= c["framework__last_year"]
        )
        row = counts.get(year, {})
        figure.rows.append([year, row.get("held", 0), row.get("planned", 0), expected])
    figure.plots.append(_bars(figure, [1, 3]))
    return figure


def _held_delegations(policy: AccessPolicy, **filters):
    return Delegation.objects.filter(
        policy.meeting_q("meeting__"), meeting__status=Meeting.Status.HELD, **filters
    ).annotate(year=ExtractYear("meeting__start_date"))


def participation_per_year(
    policy: AccessPolicy, dialogue: Dialogue, today: datetime.date
) -> Figure:
    by_kind = defaultdict(dict)
    for row in (
        _held_delegations(policy, meeting__dialogue=dialogue)
        .values("year", "participant__kind")
        .annotate(n=Count("participant_id", distinct=True))
        .order_by()
    ):
        by_kind[row["year"]][row["participant__kind"]] = row["n"]
    persons = {
        row["year"]: row["n"]
        for row in policy.registrations(
            Registration.objects.filter(
                meeting__dialogue=dialogue,
                meeting__status=Meeting.Status.HELD,
                status=Registration.Status.CONFIRMED,
            )
        )
        .annotate(year=ExtractYear("meeting__start_date"))
        .values("year")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    }
    figure = Figure(
        "participation",
        _("Participation per year"),
        [_("Year"), _("States"), _("Organisations"), _("Persons")],
        note=_(
            "Each participant and person counted once a year, at the meetings held; persons "
            "from the confirmed registrations."
        ),
    )
    for year in _years([*by_kind, *persons]):
        kinds = by_kind.get(year, {})
        figure.rows.append(
            [
                year,
                kinds.get(Participant.Kind.STATE, 0),
                kinds.get(Participant.Kind.ORGANISATION, 0),
                persons.get(year, 0),
            ]
        )
    # A line reads a trend, which needs a few years to join; over fewer, bars.
    draw = plots.line_chart if len(figure.rows) >= LINE_FROM_YEARS else plots.bar_chart
    figure.plots.append(
        draw(
            [str(row[0]) for row in figure.rows],
            [(figure.columns[i], [row[i] for row in figure.rows]) for i in (1, 2, 3)],
            labelled_by=figure.caption_id,
        )
    )
    return figure


def attendance_matrix(policy: AccessPolicy, dialogue: Dialogue, today: datetime.date) -> Figure:
    rows = list(
        _held_delegations(policy, meeting__dialogue=dialogue)
        .values("participant__sort_name", "participant__name", "year")
        .annotate(n=Count("id"))
        .order_by("participant__sort_name", "year")
    )
    years = _years(row["year"] for row in rows)
    figure = Figure(
        "attendance",
        _("Each participant's attendance over the years"),
        [_("Participant"), *map(str, years)],
        note=_("The number of meetings held that its delegation attended, a year."),
    )
    _matrix_rows(figure, rows, "participant__name", "year", years)
    figure.plots.append(_heat(figure))
    return figure


def _topic():
    """What a statement was about: its meeting's thematic focus (the dialogue's topic of the
    year), else the meeting's topic, else its agenda item."""
    meeting = "statement__agenda_item__meeting__"
    return Coalesce(
        f"{meeting}thematic_focus__title",
        NullIf(f"{meeting}topic", Value("")),
        "statement__agenda_item__title",
    )


def statements_matrix(policy: AccessPolicy, dialogue: Dialogue, today: datetime.date) -> Figure:
    rows = list(
        Statement.speakers.through.objects.filter(
            policy.record_q("statement__agenda_item__meeting__"),
            statement__agenda_item__meeting__dialogue=dialogue,
        )
        .annotate(topic=_topic())
        .values("participant__sort_name", "participant__name", "topic")
        .annotate(n=Count("statement_id", distinct=True))
        .order_by("participant__sort_name", "topic")
    )
    topics = sorted({row["topic"] for row in rows})
    figure = Figure(
        "statements",
        _("Statements per participant and topic"),
        [_("Participant"), *topics],
        note=_(
            "Statements in the published records; the topic is the meeting's thematic focus, "
            "else its topic, else the agenda item. A joint statement counts for each of its "
            "speakers."
        ),
    )
    _matrix_rows(figure, rows, "participant__name", "topic", topics)
    figure.plots.append(_heat(figure))
    return figure


def action_points_figure(action_points, today: datetime.date) -> Figure:
    """Action points by the year they were agreed: opened, done, and overdue (due before
    today and neither done nor dropped). One query."""
    counts = {
        row["year"]: row
        for row in action_points.annotate(year=ExtractYear("meeting__start_date"))
        .values("year")
        .annotate(
            opened=Count("id"),
            done=Count("id", filter=Q(status=ActionPoint.Status.DONE)),
            overdue=Count("id", filter=Q(due_date__lt=today) & ~Q(status__in=FINISHED)),
        )
        .order_by()
    }
    figure = Figure(
        "action-points",
        _("Action points opened, done and overdue per year"),
        [_("Year"), _("Opened"), _("Done"), _("Overdue")],
        note=_(
            "By the year of the meeting that agreed them; overdue: past its due date and "
            "neither done nor dropped."
        ),
    )
    for year in _years(counts):
        row = counts.get(year, {})
        figure.rows.append([year, row.get("opened", 0), row.get("done", 0), row.get("overdue", 0)])
    figure.plots.append(_bars(figure, [1, 2, 3]))
    return figure


def action_points_per_year(
    policy: AccessPolicy, dialogue: Dialogue, today: datetime.date
) -> Figure:
    return action_points_figure(
        policy.records(ActionPoint.objects.filter(meeting__dialogue=dialogue), "meeting"), today
    )


def budgets_by_funder(policy: AccessPolicy, dialogue: Dialogue, today: datetime.date) -> Figure:
    rows = (
        ProjectPartner.objects.filter(
            project__dialogue=dialogue,
            role=ProjectPartner.Role.FUNDER,
            contribution_amount__isnull=False,
        )
        .values("participant__name", "contribution_currency")
        .annotate(total=Sum("contribution_amount"), projects=Count("project_id", distinct=True))
        .order_by("contribution_currency", "-total", "participant__name")
    )
    figure = Figure(
        "budgets-by-funder",
        _("Projects' funding by funder"),
        [_("Funder"), _("Currency"), _("Amount"), _("Projects")],
        [
            [r["participant__name"], r["contribution_currency"], r["total"], r["projects"]]
            for r in rows
        ],
        note=_("The contributions the funders give to the projects, in each currency."),
        money=2,
    )
    figure.plots = _bars_per_currency(figure)
    return figure


def budgets_by_country(policy: AccessPolicy, dialogue: Dialogue, today: datetime.date) -> Figure:
    rows = (
        Project.beneficiary_countries.through.objects.filter(
            project__dialogue=dialogue, project__budget_amount__isnull=False
        )
        .values("participant__name", "project__budget_currency")
        .annotate(total=Sum("project__budget_amount"), projects=Count("project_id", distinct=True))
        .order_by("project__budget_currency", "-total", "participant__name")
    )
    figure = Figure(
        "budgets-by-country",
        _("Projects' budgets by beneficiary country"),
        [_("Country"), _("Currency"), _("Budget"), _("Projects")],
        [
            [r["participant__name"], r["project__budget_currency"], r["total"], r["projects"]]
            for r in rows
        ],
        note=_(
            "The budgets of the projects that name the country among their beneficiaries; a "
            "project for several countries counts in full for each."
        ),
        money=2,
    )
    figure.plots = _bars_per_currency(figure)
    return figure


FIGURES: dict[str, Callable[[AccessPolicy, Dialogue, datetime.date], Figure]] = {
    "meetings": meetings_per_year,
    "participation": participation_per_year,
    "attendance": attendance_matrix,
    "statements": statements_matrix,
    "action-points": action_points_per_year,
    "budgets-by-funder": budgets_by_funder,
    "budgets-by-country": budgets_by_country,
}


def dialogue_in_numbers(*, viewer, dialogue: Dialogue, today: datetime.date, only=None):
    """The figures (or the one named `only`) as the viewer may count them."""
    policy = policy_for(viewer)
    slugs = [only] if only else list(FIGURES)
    return kept_until_written(
        "dialogue-in-numbers",
        policy=policy,
        asked=(dialogue.pk, today, *slugs),
        compute=lambda: [FIGURES[slug](policy, dialogue, today) for slug in slugs],
    )


# -- drawing a figure's table --------------------------------------------------------------
def _matrix_rows(figure: Figure, rows, label: str, column: str, columns: list) -> None:
    cells = defaultdict(dict)
    for row in rows:
        cells[row[label]][row[column]] = row["n"]
    for name in dict.fromkeys(row[label] for row in rows):  # in the query's order
        figure.rows.append([name, *(cells[name].get(c, 0) for c in columns)])


def _bars(figure: Figure, indexes: list[int]) -> SafeString:
    return plots.bar_chart(
        [str(row[0]) for row in figure.rows],
        [(figure.columns[i], [row[i] for row in figure.rows]) for i in indexes],
        labelled_by=figure.caption_id,
    )


def _heat(figure: Figure) -> SafeString:
    return plots.heat_matrix(
        [row[0] for row in figure.rows],
        figure.columns[1:],
        [row[1:] for row in figure.rows],
        labelled_by=figure.caption_id,
    )


def _bars_per_currency(figure: Figure) -> list[SafeString]:
    """Amounts in different currencies are not added up: a plot for each currency."""
    currencies = dict.fromkeys(row[1] for row in figure.rows)
    return [
        plots.horizontal_bars(
            [row[0] for row in figure.rows if row[1] == currency],
            [float(row[2]) for row in figure.rows if row[1] == currency],
            labelled_by=figure.caption_id,
            unit=currency,
        )
        for currency in currencies
    ]


def figure_csv(figure: Figure) -> bytes:
    """The figure's table as CSV, with a byte-order mark so spreadsheets read the accents
    right (and text that would be a formula there quoted, as the API's CSV does)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(figure.columns)
    writer.writerows([spreadsheet_cell(value) for value in row] for row in figure.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- a participant's story -----------------------------------------------------------------
def participant_story(
    *, viewer, participant: Participant, today: datetime.date, only: str | None = None
) -> list[Figure]:
    """Its attendance, roles, statements and action points over the years (or the figure
    named `only`), as far as the viewer may see them: one query a figure (its roles in
    dialogues come prefetched)."""
    policy = policy_for(viewer)
    slugs = [only] if only else list(STORY)
    return kept_until_written(
        "participant-story",
        policy=policy,
        asked=(participant.pk, today, *slugs),
        compute=lambda: [STORY[slug](policy, participant, today) for slug in slugs],
    )


def _participant_attendance(
    policy: AccessPolicy, participant: Participant, today: datetime.date
) -> Figure:
    counts = {
        row["year"]: row["n"]
        for row in _held_delegations(policy, participant=participant)
        .values("year")
        .annotate(n=Count("id"))
        .order_by()
    }
    figure = Figure(
        "attendance",
        _("Meetings attended per year"),
        [_("Year"), _("Meetings attended")],
        [[year, counts.get(year, 0)] for year in _years(counts)],
        note=_("The meetings held that its delegation attended."),
    )
    figure.plots.append(_bars(figure, [1]))
    return figure


def _participant_roles(
    policy: AccessPolicy, participant: Participant, today: datetime.date
) -> Figure:
    me = participant.pk
    meetings = list(
        policy.meetings(
            Meeting.objects.filter(Q(chair=me) | Q(co_chair=me) | Q(host_country=me)).exclude(
                status=Meeting.Status.CANCELLED
            )
        )
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(
            chaired=Count("id", filter=Q(chair=me)),
            co_chaired=Count("id", filter=Q(co_chair=me)),
            hosted=Count("id", filter=Q(host_country=me)),
        )
        .order_by()
    )
    # A role in a dialogue marks each year of its term (an open term runs to this year).
    terms = {}
    for role in participant.roles.all():
        first = role.valid_from or role.valid_to
        if first is None:
            continue
        last = role.valid_to or max(first, today)
        label = _("%(role)s of %(dialogue)s") % {
            "role": role.get_role_display(),
            "dialogue": role.dialogue.name,
        }
        years = terms.setdefault(label, set())
        years.update(range(first.year, last.year + 1))
    years = _years([row["year"] for row in meetings] + [y for ys in terms.values() for y in ys])
    figure = Figure(
        "roles",
        _("Roles over time"),
        [_("Role"), *map(str, years)],
        note=_(
            "1 marks a year of a term in a dialogue's role; the meetings rows count the "
            "meetings it chaired, co-chaired or hosted that year (planned ones included)."
        ),
    )
    for label, held in terms.items():
        figure.rows.append([label, *(1 if year in held else 0 for year in years)])
    by_year = {row["year"]: row for row in meetings}
    for key, label in (
        ("chaired", _("Meetings chaired")),
        ("co_chaired", _("Meetings co-chaired")),
        ("hosted", _("Meetings hosted")),
    ):
        counts = [by_year.get(year, {}).get(key, 0) for year in years]
        if any(counts):
            figure.rows.append([label, *counts])
    figure.plots.append(_heat(figure))
    return figure


def _participant_statements(
    policy: AccessPolicy, participant: Participant, today: datetime.date
) -> Figure:
    rows = list(
        Statement.speakers.through.objects.filter(
            policy.record_q("statement__agenda_item__meeting__"), participant=participant
        )
        .annotate(topic=_topic(), year=ExtractYear("statement__agenda_item__meeting__start_date"))
        .values("topic", "year")
        .annotate(n=Count("statement_id", distinct=True))
        .order_by("topic", "year")
    )
    years = _years(row["year"] for row in rows)
    figure = Figure(
        "statements",
        _("Statements by topic and year"),
        [_("Topic"), *map(str, years)],
        note=_(
            "In the published records; the topic is the meeting's thematic focus, else its "
            "topic, else the agenda item."
        ),
    )
    _matrix_rows(figure, rows, "topic", "year", years)
    figure.plots.append(_heat(figure))
    return figure


def _participant_action_points(
    policy: AccessPolicy, participant: Participant, today: datetime.date
) -> Figure:
    return action_points_figure(
        policy.records(ActionPoint.objects.filter(responsible=participant), "meeting"), today
    )


STORY: dict[str, Callable[[AccessPolicy, Participant, datetime.date], Figure]] = {
    "attendance": _participant_attendance,
    "roles": _participant_roles,
    "statements": _participant_statements,
    "action-points": _participant_action_points,
}
