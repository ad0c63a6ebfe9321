"""Bad input is refused at its field with a message that says the rule, and the workspace form
and the API say the same words (the model's or the service's, never a constraint's name)."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

from meetings.models import ActionPoint, Delegation, Meeting, Statement
from tests.api.conftest import secretariat_client
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    ConclusionFactory,
    DelegationFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    StateFactory,
    StatementFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

DRAFT = Meeting.RecordStatus.DRAFT
LONG = "x" * 5_001
TOO_LONG = "At most 5,000 characters (this has 5,001)."
HTML = "HTML is not allowed here: <b>. Use Markdown instead (**bold**, lists, links)."


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(secretariat=True))
    return client


@pytest.fixture
def writer():
    """The API as the secretariat uses it: it sees the draft records it writes."""
    return secretariat_client()


def refused_at(response, field: str) -> list[str]:
    """The API's messages for `field` of a 400 answer."""
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"][field]


def patch(client, url: str, body: dict):
    return client.patch(url, body, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])


def tab(meeting, name: str) -> str:
    return reverse(f"secretariat:meeting-{name}", kwargs={"slug": meeting.slug})


def details(meeting, **changes) -> dict:
    """The details form of `meeting` as the page sends it, with `changes`."""
    data = {
        "kind": meeting.kind,
        "title": meeting.title,
        "start_date": meeting.start_date.isoformat(),
        "end_date": meeting.end_date.isoformat(),
        "visibility": meeting.visibility,
        "status": meeting.status,
        "version": meeting.version,
    }
    return {**data, **changes}


# -- the meeting ------------------------------------------------------------------------------


def test_a_working_group_meeting_needs_its_working_group_and_no_other_kind_has_one(staff, writer):
    group = WorkingGroupFactory()
    new = {"dialogue": group.dialogue.pk, "start_date": "2016-05-24", "end_date": "2016-05-25"}
    new.update(visibility="participants", status="planned")

    response = staff.post(reverse("secretariat:meeting-create"), {**new, "kind": "working_group"})
    assert response.status_code == 400
    needs = ["A Working Group meeting needs its working group."]
    assert response.context["form"].errors["working_group"] == needs
    body = {
        "dialogue": str(group.dialogue.uid),
        "kind": "working_group",
        "start_date": "2016-05-24",
    }
    assert refused_at(writer.post("/api/v1/meetings/", body, format="json"), "working_group") == (
        needs
    )

    only = ["Only a Working Group meeting belongs to a working group."]
    response = staff.post(
        reverse("secretariat:meeting-create"),
        {**new, "kind": "senior_officials", "working_group": group.pk},
    )
    assert response.context["form"].errors["working_group"] == only
    body.update(kind="senior_officials", working_group=str(group.uid))
    assert refused_at(writer.post("/api/v1/meetings/", body, format="json"), "working_group") == (
        only
    )
    assert not Meeting.objects.exists()

    body.update(kind="working_group")
    assert writer.post("/api/v1/meetings/", body, format="json").status_code == 201


def test_chair_and_co_chair_are_two_participants(staff, writer):
    meeting = MeetingFactory(record_status=DRAFT)
    turkey = StateFactory(name="Turkey")
    differ = ["The Co-Chair is another participant than the Chair."]

    response = staff.post(
        tab(meeting, "details"), details(meeting, chair=turkey.pk, co_chair=turkey.pk)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["co_chair"] == differ
    both = {"chair": str(turkey.uid), "co_chair": str(turkey.uid)}
    assert refused_at(patch(writer, f"/api/v1/meetings/{meeting.uid}/", both), "co_chair") == differ
    assert Meeting.objects.get(pk=meeting.pk).chair is None


def test_a_taken_sequence_number_is_named_at_its_field(staff, writer):
    taken = MeetingFactory(sequence_number=24)
    meeting = MeetingFactory(dialogue=taken.dialogue, record_status=DRAFT)
    message = ["Another meeting of this series has number 24."]

    response = staff.post(tab(meeting, "details"), details(meeting, sequence_number=24))
    assert response.status_code == 400
    assert response.context["form"].errors["sequence_number"] == message
    url = f"/api/v1/meetings/{meeting.uid}/"
    assert refused_at(patch(writer, url, {"sequence_number": 24}), "sequence_number") == message


# -- attendance ------------------------------------------------------------------------------


def test_a_headcount_stays_within_one_to_a_thousand(staff, writer):
    meeting = MeetingFactory(record_status=DRAFT)
    austria = StateFactory(name="Austria")
    MembershipFactory(dialogue=meeting.dialogue, participant=austria)
    url = reverse(
        "secretariat:attendance-row", kwargs={"slug": meeting.slug, "participant_id": austria.pk}
    )
    prefix = f"p{austria.pk}"
    row = {f"{prefix}-attended": "on", f"{prefix}-role": "participant", f"{prefix}-version": 0}

    response = staff.post(url, {**row, f"{prefix}-headcount": "1001"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert response.context["row"]["form"].errors["headcount"] == [
        "A delegation has 1 to 1,000 people (not 1,001)."
    ]
    body = {"meeting": str(meeting.uid), "participant": str(austria.uid), "headcount": 0}
    assert refused_at(writer.post("/api/v1/delegations/", body, format="json"), "headcount") == [
        "A delegation has 1 to 1,000 people (not 0)."
    ]
    assert not Delegation.objects.exists()

    staff.post(url, {**row, f"{prefix}-headcount": "1000"}, HTTP_HX_REQUEST="true")
    assert Delegation.objects.get().headcount == 1000


def test_a_second_delegation_of_a_participant_is_named(writer):
    delegation = DelegationFactory(meeting__record_status=DRAFT, participant__name="Austria")
    body = {"meeting": str(delegation.meeting.uid), "participant": str(delegation.participant.uid)}
    assert refused_at(writer.post("/api/v1/delegations/", body, format="json"), "participant") == [
        "Austria already has a delegation at this meeting."
    ]


# -- statements ------------------------------------------------------------------------------


@pytest.fixture
def session():
    """A draft meeting with Turkey in the chair, Hungary co-chairing, ICMPD as the dialogue's
    secretariat and a delegation from Pakistan; Iran and Kosovo did not come."""
    icmpd = OrganisationFactory(name="ICMPD")
    turkey, hungary = StateFactory(name="Turkey"), StateFactory(name="Hungary")
    meeting = MeetingFactory(
        record_status=DRAFT, chair=turkey, co_chair=hungary, dialogue__secretariat=icmpd
    )
    pakistan = DelegationFactory(meeting=meeting, participant__name="Pakistan").participant
    absent = [StateFactory(name="Kosovo", sort_name="Kosovo"), StateFactory(name="Iran")]
    item = AgendaItemFactory(meeting=meeting, position=1)
    return item, [turkey, hungary, icmpd, pakistan], absent


def test_a_statement_is_made_by_someone_who_attended(staff, writer, session):
    item, present, (kosovo, iran) = session
    url = reverse(
        "secretariat:statement-add", kwargs={"slug": item.meeting.slug, "item_id": item.pk}
    )
    prefix = f"s{item.pk}"
    absent = [
        "Iran and Kosovo did not attend this meeting. Speakers are the delegations that "
        "attended, the Chair, the Co-Chair and the Secretariat."
    ]

    sent = {
        f"{prefix}-text": "They spoke.",
        f"{prefix}-speakers": [iran.pk, kosovo.pk, present[3].pk],
    }
    response = staff.post(url, sent)
    assert response.status_code == 400
    assert response.context["sections"][0]["statement_form"].errors["speakers"] == absent
    body = {
        "agenda_item": str(item.uid),
        "text": "They spoke.",
        "speakers": [str(kosovo.uid), str(iran.uid)],
    }
    assert refused_at(writer.post("/api/v1/statements/", body, format="json"), "speakers") == absent
    assert not Statement.objects.exists()

    response = staff.post(
        url, {f"{prefix}-text": "All four spoke.", f"{prefix}-speakers": [p.pk for p in present]}
    )
    assert response.status_code == 302
    assert set(Statement.objects.get().speakers.all()) == set(present)


def test_a_statement_edited_to_an_absent_speaker_is_refused(staff, writer, session):
    item, present, (kosovo, _) = session
    statement = StatementFactory(agenda_item=item, speakers=[present[3]])
    message = [
        "Kosovo did not attend this meeting. Speakers are the delegations that attended, "
        "the Chair, the Co-Chair and the Secretariat."
    ]

    edit = reverse("secretariat:edit", kwargs={"part": "statement", "pk": statement.pk})
    sent = {"text": statement.text, "speakers": [kosovo.pk], "version": statement.version}
    response = staff.post(edit, sent)
    assert response.status_code == 400
    assert response.context["form"].errors["speakers"] == message
    url = f"/api/v1/statements/{statement.uid}/"
    assert refused_at(patch(writer, url, {"speakers": [str(kosovo.uid)]}), "speakers") == message
    assert list(statement.speakers.all()) == [present[3]]

    # Speakers stored before the rule do not stop an edit of the text alone.
    statement.speakers.set([kosovo])
    sent.update(text="Kosovo spoke.", version=Statement.objects.get(pk=statement.pk).version)
    assert staff.post(edit, sent).status_code == 302


# -- texts -----------------------------------------------------------------------------------


def test_record_texts_are_bounded_and_say_their_limit(staff, writer, session):
    item, present, _ = session
    url = reverse(
        "secretariat:statement-add", kwargs={"slug": item.meeting.slug, "item_id": item.pk}
    )
    response = staff.post(url, {f"s{item.pk}-text": LONG})
    assert response.context["sections"][0]["statement_form"].errors["text"] == [TOO_LONG]
    body = {"agenda_item": str(item.uid), "text": LONG}
    assert refused_at(writer.post("/api/v1/statements/", body, format="json"), "text") == [TOO_LONG]

    record = reverse(
        "secretariat:record-save", kwargs={"slug": item.meeting.slug, "item_id": item.pk}
    )
    sent = {f"r{item.pk}-record": "y" * 20_001, f"r{item.pk}-statement_layout": "numbered"}
    response = staff.post(record, {**sent, f"r{item.pk}-version": item.version})
    assert response.status_code == 400
    narrative_form = next(
        s["record_form"] for s in response.context["sections"] if s["item"].pk == item.pk
    )
    assert narrative_form.errors["record"] == ["At most 20,000 characters (this has 20,001)."]


@pytest.mark.parametrize(
    "text, tags",
    [
        ("Turkey <b>welcomed</b> it.", "<b>"),
        ("<div>Turkey welcomed it.</div>", "<div>"),
        ("Turkey welcomed it.<script>alert(1)</script>", "<script>"),
        ("Turkey <i>welcomed</i> it<!-- draft -->.", "<i>, <!-- -->"),
    ],
)
def test_html_in_a_statement_is_reported_not_dropped(staff, writer, session, text, tags):
    item, *_ = session
    message = [f"HTML is not allowed here: {tags}. Use Markdown instead (**bold**, lists, links)."]
    url = reverse(
        "secretariat:statement-add", kwargs={"slug": item.meeting.slug, "item_id": item.pk}
    )
    response = staff.post(url, {f"s{item.pk}-text": text})
    assert response.context["sections"][0]["statement_form"].errors["text"] == message
    body = {"agenda_item": str(item.uid), "text": text}
    assert refused_at(writer.post("/api/v1/statements/", body, format="json"), "text") == message
    assert not Statement.objects.exists()


def test_markdown_that_merely_looks_like_html_is_kept(staff, session):
    item, *_ = session
    url = reverse(
        "secretariat:statement-add", kwargs={"slug": item.meeting.slug, "item_id": item.pk}
    )
    text = "**Bold**, a link <https://www.budapestprocess.org>, `<b>` as code and 2 < 3 > 1."
    assert staff.post(url, {f"s{item.pk}-text": text}).status_code == 302
    assert Statement.objects.get().text == text


def test_html_in_a_conclusion_is_refused_through_the_edit_form_and_the_api(staff, writer):
    conclusion = ConclusionFactory(meeting__record_status=DRAFT)
    edit = reverse("secretariat:edit", kwargs={"part": "conclusion", "pk": conclusion.pk})
    sent = {"kind": "agreement", "text": "<b>Agreed</b>.", "version": conclusion.version}
    response = staff.post(edit, sent)
    assert response.context["form"].errors["text"] == [HTML]
    url = f"/api/v1/conclusions/{conclusion.uid}/"
    assert refused_at(patch(writer, url, {"text": "<b>Agreed</b>."}), "text") == [HTML]


# -- action points ---------------------------------------------------------------------------


def action_point(meeting, **changes) -> dict:
    data = {
        "add_action_point": "1",
        "action-text": "Hold a consultation meeting.",
        "action-status": "open",
    }
    return {**data, **{f"action-{name}": value for name, value in changes.items()}}


def test_an_action_point_names_who_is_responsible(staff, writer):
    meeting = MeetingFactory(record_status=DRAFT)
    turkey = StateFactory(name="Turkey")
    message = ["Name at least one participant responsible for the action point."]

    response = staff.post(tab(meeting, "conclusions"), action_point(meeting))
    assert response.status_code == 400
    assert response.context["action_form"].errors["responsible"] == message
    body = {"meeting": str(meeting.uid), "text": "Hold a consultation meeting."}
    assert refused_at(
        writer.post("/api/v1/action-points/", body, format="json"), "responsible"
    ) == (message)
    assert not ActionPoint.objects.exists()

    staff.post(tab(meeting, "conclusions"), action_point(meeting, responsible=[turkey.pk]))
    point = ActionPoint.objects.get()
    assert list(point.responsible.all()) == [turkey]
    url = f"/api/v1/action-points/{point.uid}/"
    assert refused_at(patch(writer, url, {"responsible": []}), "responsible") == message
    assert list(point.responsible.all()) == [turkey]


def test_an_action_point_is_not_due_before_its_meeting(staff, writer):
    meeting = MeetingFactory(record_status=DRAFT, start_date=datetime.date(2016, 12, 15))
    turkey = StateFactory(name="Turkey")
    message = ["It cannot be due before its meeting: the meeting began on 15 December 2016."]

    response = staff.post(
        tab(meeting, "conclusions"),
        action_point(meeting, responsible=[turkey.pk], due_date="2016-12-14"),
    )
    assert response.context["action_form"].errors["due_date"] == message
    point = ActionPointFactory(meeting=meeting)
    url = f"/api/v1/action-points/{point.uid}/"
    assert refused_at(patch(writer, url, {"due_date": "2016-11-30"}), "due_date") == message
    assert patch(writer, url, {"due_date": "2016-12-15"}).status_code == 200


# -- constraints -----------------------------------------------------------------------------


@pytest.mark.parametrize("app", ["participants", "meetings", "projects", "workplans"])
def test_every_constraint_of_the_domain_explains_itself(app):
    for model in apps.get_app_config(app).get_models():
        for constraint in model._meta.constraints:
            message = str(constraint.violation_error_message)
            assert message != str(constraint.default_violation_error_message), constraint.name
            assert constraint.name not in message
