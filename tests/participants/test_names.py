import datetime

import pytest

from participants.models import Participant
from tests.factories import ParticipantNameFactory, StateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def macedonia():
    state = StateFactory(name="North Macedonia", sort_name="North Macedonia", iso_code="MK")
    ParticipantNameFactory(
        participant=state,
        name="the former Yugoslav Republic of Macedonia",
        sort_name="Macedonia, the former Yugoslav Republic of",
        valid_to=datetime.date(2019, 2, 11),
    )
    ParticipantNameFactory(
        participant=state,
        name="North Macedonia",
        valid_from=datetime.date(2019, 2, 12),
    )
    return state


def test_a_record_of_2016_uses_the_name_then_in_force(macedonia):
    name = macedonia.name_on(datetime.date(2016, 12, 15))
    assert name.name == "the former Yugoslav Republic of Macedonia"
    assert name.sort_name == "Macedonia, the former Yugoslav Republic of"


def test_the_new_name_applies_from_the_day_it_took_effect(macedonia):
    assert macedonia.name_on(datetime.date(2019, 2, 11)).name.startswith("the former")
    assert macedonia.name_on(datetime.date(2019, 2, 12)).name == "North Macedonia"


def test_a_participant_without_dated_names_uses_its_current_name():
    state = StateFactory(name="Georgia")
    assert state.name_on(datetime.date(1993, 1, 1)).name == "Georgia"


def test_name_on_reads_prefetched_names_without_queries(macedonia, django_assert_num_queries):
    state = Participant.objects.with_names().get(pk=macedonia.pk)
    with django_assert_num_queries(0):
        state.name_on(datetime.date(2016, 12, 15))
        state.name_on(datetime.date(2024, 1, 1))
