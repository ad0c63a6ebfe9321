"""A thematic focus is the meetings': created and changed through meetings' services, which
validate first and refuse a stale change."""

import pytest
from django.core.exceptions import ValidationError

from bpdialogue.models import VersionConflict
from meetings import services
from meetings.models import ThematicFocus
from tests.factories import DialogueFactory, ThematicFocusFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_focus_is_created_validated_and_attributed():
    dialogue, editor = DialogueFactory(), UserFactory()

    focus = services.thematic_focus_create(
        dialogue=dialogue, by=editor, year=2017, title="Return and reintegration"
    )

    assert focus.status == ThematicFocus.Status.PROPOSED
    assert focus.history.get().history_user == editor
    with pytest.raises(ValidationError) as refused:
        services.thematic_focus_create(dialogue=dialogue, year=2018, title="")
    assert "title" in refused.value.message_dict
    assert ThematicFocus.objects.count() == 1


def test_a_change_made_on_a_stale_copy_is_refused_and_writes_nothing():
    focus = ThematicFocusFactory(title="Return")
    stale = ThematicFocus.objects.get(pk=focus.pk)
    services.thematic_focus_update(
        thematic_focus=focus,
        expected_version=focus.version,
        changes={"status": ThematicFocus.Status.ACCEPTED},
    )

    with pytest.raises(VersionConflict):
        services.thematic_focus_update(
            thematic_focus=stale, expected_version=stale.version, changes={"title": "Integration"}
        )

    focus.refresh_from_db()
    assert (focus.title, focus.status) == ("Return", ThematicFocus.Status.ACCEPTED)
