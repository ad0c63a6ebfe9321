import datetime

import pytest
from django.core.exceptions import ValidationError

from bpdialogue.models import VersionConflict
from participants import services
from participants.models import ParticipantName, Region
from tests.factories import DialogueFactory, StateFactory

pytestmark = pytest.mark.django_db


def test_a_name_that_goes_out_of_use_before_it_came_in_is_refused_at_its_field():
    state = StateFactory()
    with pytest.raises(ValidationError) as refused:
        services.participant_name_add(
            participant=state,
            name="Earlier name",
            sort_name="Earlier name",
            valid_from=datetime.date(2019, 2, 12),
            valid_to=datetime.date(2019, 2, 11),
        )
    assert "before it came into use" in str(refused.value.message_dict["valid_to"])
    assert not ParticipantName.objects.filter(participant=state).exists()


def test_a_region_is_created_with_its_states_and_updated_at_its_version():
    dialogue, iran, iraq = DialogueFactory(), StateFactory(), StateFactory()
    region = services.region_create(
        dialogue=dialogue, name="Silk Routes Region", slug="silk-routes", states=[iran]
    )
    services.participant_part_update(
        part=region, expected_version=region.version, changes={"states": [iran, iraq]}
    )
    assert set(Region.objects.get(pk=region.pk).states.all()) == {iran, iraq}


def test_a_stale_update_of_a_participant_is_refused_and_writes_nothing():
    state = StateFactory(name="Turkey")
    services.participant_part_update(
        part=state, expected_version=state.version, changes={"name": "Türkiye"}
    )
    with pytest.raises(VersionConflict):
        services.participant_part_update(
            part=state, expected_version=1, changes={"name": "Turkey again"}
        )
    state.refresh_from_db()
    assert (state.name, state.version) == ("Türkiye", 2)
