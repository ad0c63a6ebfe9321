"""Following an action point after its meeting: each status change versioned and kept with
who, when and why; the focal points reminded once per stage of the due date; conclusions
that confirm, amend or supersede earlier ones."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from bpdialogue.models import VersionConflict
from meetings.models import ActionPoint, ActionPointReminder, ConclusionReference
from meetings.reminders import action_point_focal_point_reminders_send
from meetings.services import (
    conclusion_reference_add,
    conclusion_reference_remove,
    record_part_update,
)
from meetings.tasks import send_focal_point_reminders
from tests.factories import (
    ActionPointFactory,
    ConclusionFactory,
    FocalPointFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2017, 2, 27)


def test_a_status_change_is_versioned_and_kept_with_who_when_and_why():
    editor = UserFactory(secretariat=True)
    point = ActionPointFactory()  # of a published record: progress is no correction
    version = point.version

    record_part_update(
        part=point,
        expected_version=version,
        changes={"status": ActionPoint.Status.IN_PROGRESS},
        by=editor,
        note="  Türkiye offered to host it in Istanbul. ",
    )

    point.refresh_from_db()
    assert point.status == "in_progress" and point.version == version + 1
    [change] = point.status_changes.all()
    assert (change.from_status, change.to_status) == ("open", "in_progress")
    assert change.by == editor and change.note == "Türkiye offered to host it in Istanbul."
    assert change.created_at is not None
    assert point.history.first().history_user == editor


def test_a_stale_status_change_is_refused_and_leaves_no_history():
    point = ActionPointFactory()
    stale = point.version
    record_part_update(part=point, expected_version=stale, changes={"status": "in_progress"})
    point = ActionPoint.objects.get(pk=point.pk)

    with pytest.raises(VersionConflict):
        record_part_update(part=point, expected_version=stale, changes={"status": "done"})

    assert list(point.status_changes.values_list("to_status", flat=True)) == ["in_progress"]


def test_saving_other_fields_or_the_same_status_adds_no_status_change():
    point = ActionPointFactory(meeting=MeetingFactory(record_status="draft"))
    record_part_update(
        part=point, expected_version=point.version, changes={"status": "open", "place": "Rome"}
    )
    assert not point.status_changes.exists()


def _responsible_with_focal_point(meeting, email, language="en"):
    state = MembershipFactory(dialogue=meeting.dialogue).participant
    FocalPointFactory(
        dialogue=meeting.dialogue,
        participant=state,
        person=PersonFactory(affiliation=state, email=email, language=language),
    )
    return state


def test_focal_points_are_reminded_once_before_and_once_after_the_due_date():
    meeting = MeetingFactory(title="24th Meeting of the Senior Officials")
    turkey = _responsible_with_focal_point(meeting, "ankara@example.org")
    point = ActionPointFactory(meeting=meeting, text="Hold the consultation.", due_date=TODAY)
    point.responsible.add(turkey)

    assert action_point_focal_point_reminders_send(today=TODAY - datetime.timedelta(days=5)) == 1
    [before] = mail.outbox
    assert before.to == ["ankara@example.org"]
    assert before.subject == "Due soon: an action point of the 24th Meeting of the Senior Officials"
    assert "Hold the consultation." in before.body and "27 February 2017" in before.body

    # Run again the same day, and the days after until due: nothing more.
    for days in (5, 2, 0):
        assert (
            action_point_focal_point_reminders_send(today=TODAY - datetime.timedelta(days=days))
            == 0
        )
    assert len(mail.outbox) == 1

    assert action_point_focal_point_reminders_send(today=TODAY + datetime.timedelta(days=1)) == 1
    assert mail.outbox[1].subject.startswith("Overdue: ")
    assert "was due on 27 February 2017 and is not marked done" in mail.outbox[1].body
    assert action_point_focal_point_reminders_send(today=TODAY + datetime.timedelta(days=9)) == 0
    assert len(mail.outbox) == 2
    assert set(point.reminders.values_list("stage", flat=True)) == {"due_soon", "overdue"}


def test_each_focal_point_is_reminded_in_their_correspondence_language():
    meeting = MeetingFactory(
        title="24th Meeting of the Senior Officials",
        title_ru="24-е совещание старших должностных лиц",
    )
    turkey = _responsible_with_focal_point(meeting, "ankara@example.org", language="en")
    kyrgyzstan = _responsible_with_focal_point(meeting, "bishkek@example.org", language="ru")
    kyrgyzstan.name_ru = "Кыргызстан"
    kyrgyzstan.save()
    point = ActionPointFactory(
        meeting=meeting,
        text="Hold the consultation.",
        text_ru="Провести консультацию.",
        due_date=TODAY,
    )
    point.responsible.add(turkey, kyrgyzstan)

    assert action_point_focal_point_reminders_send(today=TODAY - datetime.timedelta(days=5)) == 2
    to = {message.to[0]: message for message in mail.outbox}
    english, russian = to["ankara@example.org"], to["bishkek@example.org"]
    assert (
        english.subject == "Due soon: an action point of the 24th Meeting of the Senior Officials"
    )
    assert "Hold the consultation." in english.body and "27 February 2017" in english.body
    assert russian.subject == (
        "Срок скоро: пункт действий совещания «24-е совещание старших должностных лиц»"
    )
    assert russian.body.startswith("Уважаемое контактное лицо!")
    assert "Провести консультацию." in russian.body and "27 февраля 2017" in russian.body
    assert "Кыргызстан" in russian.body and "Hold the consultation." not in russian.body
    assert f"/ru/meetings/{meeting.slug}/#action-point-{point.uid}" in russian.body
    assert point.reminders.get().recipient_count == 2


def test_a_new_due_date_is_reminded_of_afresh_and_done_points_are_not():
    meeting = MeetingFactory()
    state = _responsible_with_focal_point(meeting, "fp@example.org")
    point = ActionPointFactory(meeting=meeting, due_date=TODAY)
    point.responsible.add(state)
    done = ActionPointFactory(meeting=meeting, due_date=TODAY, status="done")
    done.responsible.add(state)
    assert action_point_focal_point_reminders_send(today=TODAY - datetime.timedelta(days=1)) == 1

    point.due_date = TODAY + datetime.timedelta(days=30)
    point.save()
    later = TODAY + datetime.timedelta(days=25)
    assert action_point_focal_point_reminders_send(today=later) == 1
    assert ActionPointReminder.objects.filter(action_point=point).count() == 2


def test_only_what_delegates_may_read_is_reminded_and_each_focal_point_alone():
    draft = MeetingFactory(record_status="draft")
    hidden = MeetingFactory(visibility="secretariat")
    shared = MeetingFactory(visibility="participants")
    for meeting in (draft, hidden, shared):
        point = ActionPointFactory(meeting=meeting, due_date=TODAY)
        point.responsible.add(
            _responsible_with_focal_point(meeting, f"{meeting.slug}-a@example.org"),
            _responsible_with_focal_point(meeting, f"{meeting.slug}-b@example.org"),
        )

    assert action_point_focal_point_reminders_send(today=TODAY) == 2

    assert sorted(m.to[0] for m in mail.outbox) == [
        f"{shared.slug}-a@example.org",
        f"{shared.slug}-b@example.org",
    ]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)


def test_a_point_nobody_can_be_told_of_keeps_its_stage_for_later():
    meeting = MeetingFactory()
    state = MembershipFactory(dialogue=meeting.dialogue).participant
    point = ActionPointFactory(meeting=meeting, due_date=TODAY)
    point.responsible.add(state)
    assert action_point_focal_point_reminders_send(today=TODAY) == 0
    assert not point.reminders.exists()

    FocalPointFactory(dialogue=meeting.dialogue, participant=state)
    assert action_point_focal_point_reminders_send(today=TODAY) == 1


def test_the_beat_task_reminds_the_focal_points_for_today():
    meeting = MeetingFactory()
    point = ActionPointFactory(meeting=meeting, due_date=datetime.date(2000, 1, 1))
    point.responsible.add(_responsible_with_focal_point(meeting, "fp@example.org"))
    assert send_focal_point_reminders.apply().get() == 1
    assert send_focal_point_reminders.apply().get() == 0


def test_a_conclusion_refers_to_one_of_an_earlier_meeting_of_the_dialogue():
    earlier = ConclusionFactory(
        meeting=MeetingFactory(start_date=datetime.date(2015, 5, 1), record_status="draft")
    )
    later_meeting = MeetingFactory(
        dialogue=earlier.meeting.dialogue, record_status="draft", start_date=TODAY
    )
    later = ConclusionFactory(meeting=later_meeting)

    reference = conclusion_reference_add(conclusion=later, earlier=earlier, relation="amends")
    assert reference.passive == "amended by"

    with pytest.raises(ValidationError) as refused:
        conclusion_reference_add(conclusion=later, earlier=earlier, relation="confirms")
    assert "already refers to that one" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        conclusion_reference_add(conclusion=earlier, earlier=later, relation="amends")
    assert "earlier meeting of the dialogue" in str(refused.value)
    other_dialogue = ConclusionFactory(meeting=MeetingFactory(start_date=datetime.date(2014, 1, 1)))
    with pytest.raises(ValidationError):
        conclusion_reference_add(conclusion=later, earlier=other_dialogue, relation="amends")
    assert ConclusionReference.objects.count() == 1


def test_a_published_conclusion_keeps_its_references():
    earlier = ConclusionFactory(meeting=MeetingFactory(start_date=datetime.date(2015, 5, 1)))
    later = ConclusionFactory(meeting=MeetingFactory(dialogue=earlier.meeting.dialogue))
    reference = ConclusionReference.objects.create(
        conclusion=later, earlier=earlier, relation="supersedes"
    )
    with pytest.raises(ValidationError, match="published"):
        conclusion_reference_add(conclusion=later, earlier=earlier, relation="amends")
    with pytest.raises(ValidationError, match="published"):
        conclusion_reference_remove(reference=reference)
    assert ConclusionReference.objects.filter(pk=reference.pk).exists()


def test_deleting_a_meeting_takes_its_points_history_reminders_and_references():
    from meetings.services import meeting_delete

    earlier = ConclusionFactory(meeting=MeetingFactory(start_date=datetime.date(2015, 5, 1)))
    meeting = MeetingFactory(dialogue=earlier.meeting.dialogue, record_status="draft")
    ConclusionReference.objects.create(
        conclusion=ConclusionFactory(meeting=meeting), earlier=earlier, relation="confirms"
    )
    point = ActionPointFactory(meeting=meeting, due_date=TODAY)
    record_part_update(part=point, expected_version=point.version, changes={"status": "done"})
    ActionPointReminder.objects.create(action_point=point, stage="overdue", due_date=TODAY)

    meeting_delete(meeting=meeting)

    assert not ConclusionReference.objects.exists()
    assert not ActionPointReminder.objects.exists()
    assert not ActionPoint.objects.filter(pk=point.pk).exists()
    assert earlier.referred_by.count() == 0
