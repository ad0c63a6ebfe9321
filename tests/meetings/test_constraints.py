import datetime

import pytest
from django.db import IntegrityError, transaction

from meetings.models import Meeting
from tests.factories import (
    AgendaItemFactory,
    ConclusionFactory,
    DelegationFactory,
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
