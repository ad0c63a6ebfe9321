import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import AgendaItem, Conclusion, Delegation, Meeting, Statement
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    ConclusionFactory,
    DelegationFactory,
    DialogueFactory,
    MeetingFactory,
    StatementFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_one_delegation_per_participant_per_meeting():
    delegation = DelegationFactory()
    refused(DelegationFactory, meeting=delegation.meeting, participant=delegation.participant)


def test_a_delegation_has_at_least_one_person():
    refused(DelegationFactory, headcount=0)


def test_a_meeting_cannot_end_before_it_starts():
    refused(
        MeetingFactory,
        start_date=datetime.date(2016, 12, 15),
        end_date=datetime.date(2016, 12, 14),
    )


def test_agenda_positions_are_unique_within_a_meeting():
    item = AgendaItemFactory(position=1)
    refused(AgendaItemFactory, meeting=item.meeting, position=1)
    AgendaItemFactory(meeting=item.meeting, parent=item, position=1)  # a sub-item may be 1.1
    refused(AgendaItemFactory, meeting=item.meeting, parent=item, position=1)


def test_statement_and_conclusion_positions_are_unique():
    statement = StatementFactory(position=1)
    refused(StatementFactory, agenda_item=statement.agenda_item, position=1)
    conclusion = ConclusionFactory(position=1)
    refused(ConclusionFactory, meeting=conclusion.meeting, position=1)


def test_sequence_numbers_are_unique_per_dialogue_and_kind():
    first = MeetingFactory(sequence_number=24)
    refused(MeetingFactory, dialogue=first.dialogue, sequence_number=24)
    # Another kind, or another dialogue, may use the same number.
    MeetingFactory(dialogue=first.dialogue, kind=Meeting.Kind.MINISTERIAL, sequence_number=24)
    MeetingFactory(sequence_number=24)


def test_sequence_numbers_are_unique_per_working_group():
    group = WorkingGroupFactory()
    wg_meeting = dict(dialogue=group.dialogue, kind=Meeting.Kind.WORKING_GROUP, sequence_number=3)
    MeetingFactory(working_group=group, **wg_meeting)
    refused(MeetingFactory, working_group=group, **wg_meeting)
    MeetingFactory(working_group=WorkingGroupFactory(dialogue=group.dialogue), **wg_meeting)


def explained(instance) -> dict:
    """What `full_clean` (the check every service and form runs first) says of `instance`."""
    with pytest.raises(ValidationError) as refusal:
        instance.full_clean()
    return refusal.value.message_dict


def test_a_taken_position_is_named_at_the_position():
    conclusion = ConclusionFactory(position=3)
    again = Conclusion(meeting=conclusion.meeting, position=3, text="Also agreed.")
    assert explained(again) == {"position": ["There is already a conclusion at position 3."]}
    item = AgendaItemFactory(position=1)
    sub = AgendaItemFactory(meeting=item.meeting, parent=item, position=1)
    assert explained(AgendaItem(meeting=item.meeting, parent=item, position=1, title="B")) == {
        "position": ["There is already a sub-item at position 1 under this item."]
    }
    assert explained(Statement(agenda_item=sub, position=0, text="Said.")) == {
        "position": ["Positions start at 1."]
    }


def test_a_second_delegation_and_an_empty_one_are_explained():
    delegation = DelegationFactory(participant__name="Austria")
    again = Delegation(meeting=delegation.meeting, participant=delegation.participant)
    assert explained(again) == {
        "participant": ["Austria already has a delegation at this meeting."]
    }


def test_a_meeting_ending_before_it_starts_is_explained_at_its_end():
    meeting = MeetingFactory.build(
        dialogue=DialogueFactory(),
        start_date=datetime.date(2016, 12, 15),
        end_date=datetime.date(2016, 12, 14),
    )
    assert explained(meeting) == {"end_date": ["The meeting cannot end before it starts."]}


def test_a_meeting_fulfils_only_someone_elses_action_points():
    point = ActionPointFactory()
    point.fulfilled_by = point.meeting
    assert explained(point) == {
        "fulfilled_by": ["A later meeting fulfils an action point, not the one that agreed it."]
    }
