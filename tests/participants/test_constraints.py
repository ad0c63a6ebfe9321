import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from participants.models import Participant
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ParticipantNameFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_two_states_cannot_share_an_iso_code():
    StateFactory(iso_code="PK")
    refused(StateFactory, iso_code="PK")


def test_a_state_needs_a_two_letter_upper_case_iso_code():
    refused(StateFactory, iso_code=None)
    refused(StateFactory, iso_code="pk")


def test_user_assigned_code_xk_is_accepted_for_kosovo():
    kosovo = StateFactory(name="Kosovo", iso_code="XK")
    assert Participant.objects.get(iso_code="XK") == kosovo


def test_an_organisation_has_no_iso_code():
    refused(OrganisationFactory, iso_code="EU")


def test_a_state_has_no_organisation_type():
    refused(StateFactory, organisation_type=Participant.OrganisationType.EU_AGENCY)


def test_a_name_cannot_end_before_it_starts():
    refused(
        ParticipantNameFactory,
        valid_from=datetime.date(2019, 2, 12),
        valid_to=datetime.date(2019, 2, 11),
    )


def test_a_membership_cannot_end_before_it_starts():
    refused(
        MembershipFactory,
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2019, 1, 1),
    )


def test_a_taken_iso_code_and_a_malformed_one_are_explained_at_the_code():
    StateFactory(iso_code="PK")
    with pytest.raises(ValidationError) as taken:
        StateFactory.build(iso_code="PK").full_clean()
    assert taken.value.message_dict["iso_code"] == ["Another state has the code PK."]
    with pytest.raises(ValidationError) as malformed:
        StateFactory.build(iso_code="pk").full_clean()
    assert malformed.value.message_dict["iso_code"] == [
        "A state has its two capital letters of ISO 3166-1 (e.g. PK); an organisation has no code."
    ]
