"""No lost work: every workspace form carries the version it was loaded at, and a save on top
of someone else's newer one is refused with who saved which item and when, theirs and yours."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Delegation, Meeting
from projects.models import ProjectPartner
from tests.factories import (
    ActionPointFactory,
    ActivityFactory,
    AgendaItemFactory,
    ConclusionFactory,
    CooperationFrameworkFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    SiteFactory,
    StateFactory,
    StatementFactory,
    ThematicFocusFactory,
    UserFactory,
    WorkplanFactory,
)
from workplans.models import FrameworkCadence

DRAFT = Meeting.RecordStatus.DRAFT


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", secretariat=True)


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", secretariat=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(form, **changes) -> dict:
    """What the browser would post for `form` as it was shown, with `changes` typed in."""
    data = {}
    for field in form:
        value = changes.get(field.name, field.value())
        if value is None or value is False:
            continue
        if isinstance(value, (list, tuple)):
            value = [str(v) for v in value]
        data[field.html_name] = value
    return data


@dataclass
class Case:
    """One workspace form: the page that shows it, how to find the form in the page's
    context, where it posts, and the field the two editors change."""

    build: Callable
    page: Callable
    field: str
    mine: str
    theirs: str
    find: Callable = lambda context: context["form"]
    post_to: Callable | None = None
    extra: dict | None = None


def _edit(part):
    return lambda obj: reverse("secretariat:edit", kwargs={"part": part, "pk": obj.pk})


def _tab(name):
    return lambda meeting: reverse(f"secretariat:meeting-{name}", kwargs={"slug": meeting.slug})


def _partner():
    return ProjectPartner.objects.create(
        project=ProjectFactory(), participant=StateFactory(), role=ProjectPartner.Role.FUNDER
    )


def _cadence():
    return FrameworkCadence.objects.create(
        framework=CooperationFrameworkFactory(), meeting_kind="senior_officials", per_year=1
    )


CASES = {
    "meeting details": Case(
        lambda: MeetingFactory(record_status=DRAFT), _tab("details"), "city", "Ankara", "Izmir"
    ),
    "agenda item": Case(
        lambda: AgendaItemFactory(meeting__record_status=DRAFT),
        _edit("agenda-item"),
        "title",
        "Opening",
        "Welcome",
    ),
    "an agenda item's record": Case(
        lambda: AgendaItemFactory(meeting__record_status=DRAFT),
        lambda item: _tab("record")(item.meeting),
        "record",
        "The Chair opened the meeting.",
        "The Co-Chair opened the meeting.",
        find=lambda context: context["sections"][0]["record_form"],
        post_to=lambda item: reverse(
            "secretariat:record-save", kwargs={"slug": item.meeting.slug, "item_id": item.pk}
        ),
    ),
    "statement": Case(
        lambda: StatementFactory(agenda_item__meeting__record_status=DRAFT),
        _edit("statement"),
        "text",
        "Iran welcomed it.",
        "Iraq welcomed it.",
    ),
    "conclusion": Case(
        lambda: ConclusionFactory(meeting__record_status=DRAFT),
        _edit("conclusion"),
        "text",
        "Agreed.",
        "Decided.",
    ),
    "action point": Case(
        lambda: ActionPointFactory(meeting__record_status=DRAFT),
        _edit("action-point"),
        "place",
        "Vienna",
        "Istanbul",
    ),
    "project": Case(
        ProjectFactory,
        lambda project: reverse("secretariat:project", kwargs={"slug": project.slug}),
        "title",
        "Silk Routes Partnership",
        "Silk Routes Facility",
        extra={"save_project": "1"},
    ),
    "site": Case(SiteFactory, _edit("site"), "name", "MRC Islamabad", "MRC Lahore"),
    "partner": Case(_partner, _edit("partner"), "role", "implementer", "partner"),
    "framework": Case(
        CooperationFrameworkFactory,
        lambda framework: reverse("secretariat:framework", kwargs={"pk": framework.pk}),
        "title",
        "Istanbul Commitments",
        "Istanbul Declaration",
        extra={"save": "1"},
    ),
    "cadence": Case(_cadence, _edit("cadence"), "per_year", "2", "3"),
    "thematic focus": Case(
        ThematicFocusFactory, _edit("thematic-focus"), "title", "Integration", "Return"
    ),
    "workplan": Case(
        WorkplanFactory,
        lambda workplan: reverse("secretariat:workplan", kwargs={"pk": workplan.pk}),
        "title",
        "Workplan 2019",
        "Work plan for 2019",
        extra={"save": "1"},
    ),
    "activity": Case(ActivityFactory, _edit("activity"), "title", "Study visit", "Field visit"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_second_of_two_editors_is_refused_with_who_saved_and_when(case, alice, bob):
    obj = case.build()
    first, second = signed_in(alice), signed_in(bob)
    url = case.page(obj)
    forms = [case.find(client.get(url).context) for client in (first, second)]
    post_to = case.post_to(obj) if case.post_to else url
    extra = case.extra or {}

    saved = first.post(post_to, {**form_data(forms[0], **{case.field: case.theirs}), **extra})
    assert saved.status_code == 302, getattr(saved, "context", None) and case.find(saved.context)
    refused = second.post(post_to, {**form_data(forms[1], **{case.field: case.mine}), **extra})

    assert refused.status_code == 409
    obj.refresh_from_db()
    assert str(getattr(obj, case.field)) == case.theirs
    conflict = refused.context["conflict"] if "conflict" in refused.context else None
    conflict = conflict or refused.context["sections"][0]["conflict"]
    assert conflict.saved_by == "alice"
    assert conflict.saved_at is not None
    assert str(obj)[:20] in conflict.what
    label = str(case.find(refused.context)[case.field].label)
    by_label = {c.label: c for c in conflict.changes}
    assert by_label[label].yours.casefold() != by_label[label].theirs.casefold()
    page = refused.content.decode()
    assert "saved by <strong>alice</strong>" in page


def test_a_record_saved_through_htmx_answers_with_that_items_form_alone(alice, bob):
    item = AgendaItemFactory(meeting__record_status=DRAFT, record="")
    AgendaItemFactory(meeting=item.meeting, record="")
    first, second = signed_in(alice), signed_in(bob)
    page = _tab("record")(item.meeting)
    forms = [client.get(page).context["sections"][0]["record_form"] for client in (first, second)]
    url = reverse("secretariat:record-save", kwargs={"slug": item.meeting.slug, "item_id": item.pk})

    saved = first.post(url, form_data(forms[0], record="Theirs."), HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    html = saved.content.decode()
    assert html.lstrip().startswith(f'<form id="record-{item.pk}"')
    assert "Saved at" in html and "data-unsaved" not in html
    assert f'value="{item.version + 1}"' in html  # the next save starts from this version

    refused = second.post(url, form_data(forms[1], record="Mine."), HTTP_HX_REQUEST="true")
    assert refused.status_code == 409
    html = refused.content.decode()
    assert html.lstrip().startswith(f'<form id="record-{item.pk}"')
    assert "saved by <strong>alice</strong>" in html
    assert "Mine.</textarea>" in html and "data-unsaved" in html
    assert "<nav" not in html  # not the whole page: the other items' textareas stay as typed


def _row(client, meeting, participant):
    rows = client.get(_tab("attendance")(meeting)).context["rows"]
    return next(row for row in rows if row["participant"] == participant)["form"]


def _row_url(meeting, participant):
    return reverse(
        "secretariat:attendance-row",
        kwargs={"slug": meeting.slug, "participant_id": participant.pk},
    )


def test_two_people_ticking_the_same_empty_attendance_row_do_not_both_win(alice, bob):
    meeting = MeetingFactory(record_status=DRAFT)
    austria = StateFactory(name="Austria")
    MembershipFactory(dialogue=meeting.dialogue, participant=austria)
    first, second = signed_in(alice), signed_in(bob)
    forms = [_row(client, meeting, austria) for client in (first, second)]
    assert forms[0]["version"].value() == 0  # no delegation yet

    ticked = form_data(forms[0], attended="on", headcount="3")
    assert first.post(_row_url(meeting, austria), ticked, HTTP_HX_REQUEST="true").status_code == 200
    ticked = form_data(forms[1], attended="on", headcount="5", role="observer")
    refused = second.post(_row_url(meeting, austria), ticked, HTTP_HX_REQUEST="true")

    assert refused.status_code == 409
    html = refused.content.decode()
    assert "saved by <strong>alice</strong>" in html
    delegation = Delegation.objects.get(meeting=meeting, participant=austria)
    assert (delegation.headcount, delegation.role) == (3, "participant")
    changes = {c.label: (c.theirs, c.yours) for c in refused.context["row"]["conflict"].changes}
    assert changes["Headcount"] == ("3", "5")
    assert changes["Role"] == ("Participant", "Observer")
    # The row now shows what is stored, at its version: changing it again applies knowingly.
    assert refused.context["row"]["form"]["version"].value() == delegation.version


def test_a_stale_attendance_row_cannot_untick_a_delegation_changed_meanwhile(alice, bob):
    meeting = MeetingFactory(record_status=DRAFT)
    austria = StateFactory(name="Austria")
    MembershipFactory(dialogue=meeting.dialogue, participant=austria)
    first, second = signed_in(alice), signed_in(bob)
    first.post(_row_url(meeting, austria), form_data(_row(first, meeting, austria), attended="on"))
    forms = [_row(client, meeting, austria) for client in (first, second)]

    first.post(_row_url(meeting, austria), form_data(forms[0], headcount="4"))
    refused = second.post(
        _row_url(meeting, austria), form_data(forms[1], attended=False), HTTP_HX_REQUEST="true"
    )

    assert refused.status_code == 409
    assert Delegation.objects.get(meeting=meeting, participant=austria).headcount == 4


def test_the_attendance_grid_saves_the_rows_nobody_changed_and_reports_the_others(alice, bob):
    meeting = MeetingFactory(record_status=DRAFT)
    austria, hungary = StateFactory(name="Austria"), StateFactory(name="Hungary")
    for state in (austria, hungary):
        MembershipFactory(dialogue=meeting.dialogue, participant=state)
    first, second = signed_in(alice), signed_in(bob)
    grid = second.get(_tab("attendance")(meeting)).context["rows"]
    first.post(_row_url(meeting, austria), form_data(_row(first, meeting, austria), attended="on"))

    data = {}
    for row in grid:
        data.update(form_data(row["form"], attended="on", headcount="2"))
    refused = second.post(_tab("attendance")(meeting), data)

    assert refused.status_code == 409
    stored = {d.participant: d.headcount for d in Delegation.objects.filter(meeting=meeting)}
    assert stored == {austria: 1, hungary: 2}
    assert "saved by <strong>alice</strong>" in refused.content.decode()
