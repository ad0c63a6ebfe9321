"""A person's data on request: exported as JSON, and erased so that nothing names or reaches
them any more (history included) while the record keeps counting "a representative of
Germany"."""

import json

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import rendering
from meetings.models import (
    Delegation,
    Document,
    InvitationDelivery,
    InvitationRound,
    Registration,
    Statement,
)
from participants import personal_data
from participants.models import FocalPoint, Person, PersonErasure
from participants.services import person_merge
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    DialogueFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    StateFactory,
    StatementFactory,
    UserFactory,
    delegate_user,
)

pytestmark = pytest.mark.django_db

NAMES = ("Weber", "Hans", "Johann", "hans.weber@example.de", "+49 30 1234", "Director-General")


@pytest.fixture
def weber():
    """Germany's head of delegation at a meeting where Germany spoke, a focal point with a
    sign-in, renamed once (so the history holds two versions of his name)."""
    germany = StateFactory(name="Germany", sort_name="Germany", iso_code="DE")
    dialogue = DialogueFactory()
    MembershipFactory(dialogue=dialogue, participant=germany)
    person = PersonFactory(
        honorific="Dr",
        given_name="Johann",
        family_name="Weber",
        position="Director-General",
        email="hans.weber@example.de",
        phone="+49 30 1234",
        affiliation=germany,
        user=UserFactory(username="hans.weber@example.de", first_name="Hans", last_name="Weber"),
    )
    person.given_name = "Hans"
    person.save()
    FocalPoint.objects.create(dialogue=dialogue, participant=germany, person=person)
    meeting = MeetingFactory(dialogue=dialogue)
    DelegationFactory(meeting=meeting, participant=germany, headcount=2)
    Registration.objects.create(
        meeting=meeting,
        participant=germany,
        person=person,
        role=Registration.Role.HEAD,
        position="Director-General, Federal Ministry of the Interior",
        status=Registration.Status.CONFIRMED,
    )
    StatementFactory(agenda_item=AgendaItemFactory(meeting=meeting), speakers=[germany])
    InvitationDelivery.objects.create(
        invitation=InvitationRound.objects.create(meeting=meeting, subject="Invitation", text="."),
        participant=germany,
        focal_point=person,
        email=person.email,
        status=InvitationDelivery.Status.SENT,
    )
    return person


def test_the_export_holds_the_person_roles_registrations_and_account(weber):
    data = personal_data.person_data_export(person=weber)

    assert data["person"]["id"] == str(weber.uid)
    assert data["person"]["family_name"] == "Weber"
    assert data["person"]["email"] == "hans.weber@example.de"
    assert data["person"]["affiliation"] == "Germany"
    assert [role["participant"] for role in data["focal_point_roles"]] == ["Germany"]
    [registration] = data["registrations"]
    assert registration["role"] == "head" and registration["status"] == "confirmed"
    assert registration["position"] == "Director-General, Federal Ministry of the Interior"
    assert data["account"]["username"] == "hans.weber@example.de"
    json.dumps(data)  # plain JSON


def test_erasure_leaves_no_name_or_address_anywhere_and_keeps_the_record(weber):
    secretary = UserFactory(secretariat=True, username="secretary")
    account = weber.user
    # What the sign-in protection and the admin kept of the account and the person.
    seen = {"username": account.username, "ip_address": "192.0.2.7", "user_agent": "Firefox"}
    AccessLog.objects.create(**seen)
    AccessAttempt.objects.create(**seen, failures_since_start=1)
    for instance in (weber, account):
        LogEntry.objects.log_actions(
            user_id=secretary.pk,
            queryset=[instance],
            action_flag=CHANGE,
            change_message=f"Changed {instance}",
        )
    meeting = weber.registrations.get().meeting

    erasure = personal_data.person_erase(person=weber, by=secretary)

    weber.refresh_from_db()
    assert weber.erased_at is not None and weber.user is None
    assert weber.full_name == "A representative of Germany"
    history = list(Person.history.filter(id=weber.pk).values())
    assert len(history) == 3  # created, renamed, erased
    assert history[0]["history_change_reason"] == personal_data.ERASURE_REASON
    stored = json.dumps([*history, *Person.objects.filter(pk=weber.pk).values()], default=str)
    registrations = json.dumps(
        [
            *Registration.objects.filter(person=weber).values(),
            *Registration.history.filter(person_id=weber.pk).values(),
        ],
        default=str,
    )
    deliveries = json.dumps(list(InvitationDelivery.objects.values()), default=str)
    for name in NAMES:
        assert name not in stored and name not in registrations and name not in deliveries
    assert InvitationDelivery.objects.get().status == InvitationDelivery.Status.SENT
    account.refresh_from_db()
    assert not account.is_active and not account.has_usable_password()
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()
    assert not any(name in str(list(LogEntry.objects.values())) for name in NAMES)
    assert account.email == "" and account.first_name == "" and "weber" not in account.username
    # Who erased whom, and when.
    assert erasure.person_uid == weber.uid and erasure.erased_by == secretary
    assert erasure.erased_by_name == "secretary" and erasure.erased_at == weber.erased_at
    # The record is as it was: the statement, the registration, the headcount.
    assert Statement.objects.filter(agenda_item__meeting=meeting).count() == 1
    assert Delegation.objects.get(meeting=meeting).headcount == 2
    assert Registration.objects.filter(person=weber, status="confirmed").count() == 1
    html = rendering.document_source(meeting=meeting, kind=Document.Kind.PARTICIPANTS).html
    assert "A representative of Germany" in html
    assert not any(name in html for name in NAMES)


def test_the_attendance_tab_names_an_erased_person_as_a_representative(client, weber):
    meeting = weber.registrations.get().meeting
    client.force_login(UserFactory(secretariat=True))
    url = reverse("secretariat:meeting-attendance", args=[meeting.slug])
    with CaptureQueriesContext(connection) as before:
        assert "Dr Hans Weber" in client.get(url).content.decode()

    personal_data.person_erase(person=weber, by=None)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()

    assert "A representative of Germany" in page
    assert not any(name in page for name in NAMES)
    assert len(after) == len(before)  # the affiliation comes with the person


def test_erasure_also_forgets_the_duplicates_merged_into_the_person(weber):
    duplicate = PersonFactory(
        given_name="Hans", family_name="Weber", email="h.weber@example.de", affiliation=None
    )
    duplicate_id = duplicate.pk
    survivor = person_merge(duplicate=duplicate, survivor=weber)
    other = PersonFactory(given_name="Johann", family_name="Weber", phone="+49 30 1234")
    other_id = other.pk
    person_merge(duplicate=other, survivor=PersonFactory(given_name="J.", family_name="Weber"))

    personal_data.person_erase(person=survivor, by=None)

    rows = Person.history.filter(id__in=[survivor.pk, duplicate_id])
    assert rows.filter(id=duplicate_id).count() == 2  # created, deleted
    history = json.dumps(list(rows.values()), default=str)
    for name in (*NAMES, "h.weber@example.de"):
        assert name not in history
    reasons = set(rows.values_list("history_change_reason", flat=True))
    assert {f"Merged with #{duplicate_id}", f"Merged into #{survivor.pk}"} <= reasons
    # Another Weber, merged into someone else, is another person: kept as they were.
    assert Person.history.filter(id=other_id, given_name="Johann", family_name="Weber").exists()


def test_a_person_is_erased_once(weber):
    personal_data.person_erase(person=weber, by=None)
    with pytest.raises(Exception, match="was erased on"):
        personal_data.person_erase(person=weber, by=None)
    assert PersonErasure.objects.count() == 1


def test_the_workspace_exports_and_erases_for_the_secretariat_only(client, weber):
    download = reverse("secretariat:person-data", args=[weber.pk])
    erase = reverse("secretariat:person-erase", args=[weber.pk])

    assert client.get(download).status_code == 302  # to sign in
    assert client.post(erase, {"confirm": "erase", "version": weber.version}).status_code == 302
    client.force_login(delegate_user(weber.focal_points.get().dialogue))
    assert client.get(download).status_code == 403
    assert client.post(erase, {"confirm": "erase", "version": weber.version}).status_code == 403
    weber.refresh_from_db()
    assert weber.erased_at is None

    client.force_login(UserFactory(secretariat=True))
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="person-{weber.uid}.json"'
    assert response["Cache-Control"] == "private, no-store"
    assert json.loads(response.content)["person"]["family_name"] == "Weber"

    person_page = client.get(reverse("secretariat:person", args=[weber.pk])).content.decode()
    assert download in person_page and erase in person_page
    page = client.get(erase)
    assert "cannot be undone" in page.content.decode()
    assert client.post(erase, {"version": weber.version}).status_code == 400  # not confirmed
    assert client.post(erase, {"confirm": "erase", "version": weber.version - 1}).status_code == 409
    done = client.post(erase, {"confirm": "erase", "version": weber.version})
    assert done.status_code == 200
    assert "A representative of Germany" in done.content.decode()
    weber.refresh_from_db()
    assert weber.erased_at is not None and weber.family_name == ""


def test_the_export_command_prints_the_json(weber, capsys):
    call_command("export_person", str(weber.uid))
    assert json.loads(capsys.readouterr().out)["person"]["id"] == str(weber.uid)
    with pytest.raises(CommandError, match="No person"):
        call_command("export_person", "not-a-uid")


def test_an_erased_person_is_offered_for_nothing_new(weber):
    personal_data.person_erase(person=weber, by=None)
    assert not Person.objects.active().filter(pk=weber.pk).exists()
