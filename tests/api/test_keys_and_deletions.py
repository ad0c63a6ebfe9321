import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bpdialogue.access import AccessPolicy
from bpdialogue.api.services import api_key_create
from bpdialogue.models import ApiKey, Deletion
from meetings.models import Meeting
from tests.factories import (
    DialogueFactory,
    MeetingFactory,
    PersonFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def test_create_api_key_prints_the_key_alone_on_its_last_line_and_stores_only_a_hash():
    out = io.StringIO()
    call_command(
        "create_api_key",
        "--name", "IOM data hub",
        "--scopes", "read:public,read:participants",
        "--expires", "2030-01-31",
        stdout=out,
    )  # fmt: skip
    key = out.getvalue().strip().splitlines()[-1]
    prefix, secret = ApiKey.split(key)
    stored = ApiKey.objects.get(prefix=prefix)
    assert stored.name == "IOM data hub"
    assert stored.scopes == ["read:participants", "read:public"]
    assert secret not in stored.secret_hash and stored.matches(secret)
    assert not stored.matches(secret + "x")
    assert timezone.localtime(stored.expires_at).date() == datetime.date(2030, 2, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scopes", "read:everything"], "Unknown scope(s): read:everything"),
        (["--scopes", "write", "--expires", "next week"], "--expires"),
        (["--scopes", "write", "--expires", "2020-01-31"], "cannot expire in the past"),
        (["--scopes", "write", "--dialogue", "nope"], "--dialogue"),
    ],
)
def test_create_api_key_refuses_bad_input_with_a_message(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("create_api_key", "--name", "x", *args, stdout=io.StringIO())
    assert not ApiKey.objects.exists()


def test_scopes_map_onto_the_access_policy():
    dialogue = DialogueFactory()
    public, _ = api_key_create(name="a", scopes=["read:public"])
    everything, _ = api_key_create(name="b", scopes=["read:participants", "read:personal", "write"])
    bound, _ = api_key_create(name="c", scopes=["read:participants"], dialogue=dialogue)

    assert public.access_policy() == AccessPolicy()
    assert everything.access_policy() == AccessPolicy(
        all_participant_dialogues=True, can_read_personal=True, can_write=True
    )
    assert bound.access_policy() == AccessPolicy(participant_dialogue_ids=frozenset({dialogue.pk}))


def test_deleting_a_meeting_leaves_tombstones_for_it_and_everything_cascaded():
    statement = StatementFactory()
    meeting = statement.agenda_item.meeting
    uids = {meeting.uid, statement.uid, statement.agenda_item.uid}

    meeting.delete()

    assert set(Deletion.objects.values_list("object_uid", flat=True)) == uids
    tombstone = Deletion.objects.get(object_uid=meeting.uid)
    assert tombstone.model == "meetings.meeting"
    assert tombstone.dialogue_id == meeting.dialogue_id
    assert tombstone.audience == "public"


def test_tombstones_remember_who_could_see_the_record():
    secret_meeting = MeetingFactory(visibility="secretariat")
    draft_statement = StatementFactory(
        agenda_item__meeting__record_status=Meeting.RecordStatus.DRAFT
    )
    person = PersonFactory()

    secret_meeting.delete()
    draft_statement.delete()
    person.delete()

    audience = dict(Deletion.objects.values_list("object_uid", "audience"))
    assert audience[secret_meeting.uid] == "secretariat"
    assert audience[draft_statement.uid] == "secretariat"
    assert audience[person.uid] == "personal"


def test_the_admin_shows_a_new_key_once_and_revokes_keys(client):
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(type(admin).objects.get(pk=admin.pk))
    added = client.post(
        "/admin/bpdialogue/apikey/add/",
        {"name": "EU data office", "scopes": '["read:public", "read:participants"]'},
        follow=True,
        HTTP_HOST="localhost",
    )
    assert added.status_code == 200
    shown = [str(m) for m in added.context["messages"]]
    key = next(word for m in shown for word in m.split() if word.startswith("bpd_"))
    stored = ApiKey.objects.get(name="EU data office")
    assert stored.created_by == admin
    assert stored.matches(ApiKey.split(key)[1])
    assert (
        key
        not in client.get(
            f"/admin/bpdialogue/apikey/{stored.pk}/change/", HTTP_HOST="localhost"
        ).content.decode()
    )

    client.post(
        "/admin/bpdialogue/apikey/",
        {"action": "revoke", "_selected_action": [stored.pk]},
        HTTP_HOST="localhost",
    )
    stored.refresh_from_db()
    assert stored.revoked_at is not None and not stored.is_usable


def test_the_admin_refuses_unknown_scopes_on_the_form(client):
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(type(admin).objects.get(pk=admin.pk))
    response = client.post(
        "/admin/bpdialogue/apikey/add/",
        {"name": "x", "scopes": '["read:everything"]'},
        HTTP_HOST="localhost",
    )
    assert response.status_code == 200
    assert "Unknown scope(s): read:everything" in response.content.decode()
    assert not ApiKey.objects.exists()
