"""The workspace's participant pickers: a list of checkboxes (usable without the page's
script), the chosen first in the order chosen, the meeting's delegations offered first, and
what the form returns in the order submitted."""

import pytest

from meetings import services
from meetings.models import ActionPoint, Meeting, Statement
from secretariat.editing import conflicting_changes
from secretariat.forms import ActionPointForm, ActivityForm, AgendaItemForm, StatementForm
from tests.factories import AgendaItemFactory, MeetingFactory, OrganisationFactory, StateFactory


@pytest.fixture
def meeting(db):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    for name in ("Turkey", "Hungary"):
        services.delegation_set(meeting=meeting, participant=StateFactory(name=name), attended=True)
    StateFactory(name="Austria")
    OrganisationFactory(name="Frontex")
    return meeting


def _labels(options):
    return [label for _value, label in options]


def test_the_speakers_offered_first_are_the_meetings_delegations(meeting):
    item = AgendaItemFactory(meeting=meeting)
    form = StatementForm(instance=Statement(agenda_item=item), prefix="s")

    groups = list(form.fields["speakers"].choices)

    assert [label for label, _options in groups] == ["At this meeting", "Others"]
    assert _labels(groups[0][1]) == ["Hungary", "Turkey"]
    assert {"Austria", "Frontex"} <= set(_labels(groups[1][1]))
    assert not {"Hungary", "Turkey"} & set(_labels(groups[1][1]))


def test_the_form_returns_participants_in_the_order_submitted(meeting):
    turkey, hungary = (
        meeting.delegations.get(participant__name=n).participant for n in ("Turkey", "Hungary")
    )
    form = AgendaItemForm(
        {"title": "Opening", "presenters": [str(turkey.pk), str(hungary.pk)], "version": "0"},
        instance=meeting.agenda_items.model(meeting=meeting),
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["presenters"] == [turkey, hungary]


def test_the_picker_is_checkboxes_with_the_chosen_first_in_their_order(meeting):
    turkey, hungary = (
        meeting.delegations.get(participant__name=n).participant for n in ("Turkey", "Hungary")
    )
    item = services.agenda_item_create(
        meeting=meeting, title="Opening", presenters=[turkey, hungary]
    )

    html = str(AgendaItemForm(instance=item)["presenters"])

    assert "<select" not in html and 'type="checkbox"' in html
    chosen = html[html.index("data-picker-chosen") : html.index("picker__options")]
    assert chosen.index("Turkey") < chosen.index("Hungary")
    assert chosen.count("checked") == 2
    # The label names the filter box the script shows; without it, the box stays hidden.
    assert 'id="id_presenters_filter"' in html and "hidden" in html


def test_other_participant_lists_use_the_picker_too(db):
    StateFactory(name="Morocco")

    html = str(ActivityForm()["countries"])

    assert "data-picker" in html and 'type="checkbox"' in html and "Morocco" in html


def test_a_conflict_over_the_order_alone_is_named(meeting):
    turkey, hungary = (
        meeting.delegations.get(participant__name=n).participant for n in ("Turkey", "Hungary")
    )
    point = services.action_point_create(
        meeting=meeting, text="Report back.", responsible=[hungary, turkey]
    )
    form = ActionPointForm(
        {
            "text": "Report back.",
            "responsible": [str(turkey.pk), str(hungary.pk)],
            "status": "open",
            "version": str(point.version),
        },
        instance=ActionPoint.objects.get(pk=point.pk),
    )
    assert form.is_valid(), form.errors

    changes = conflicting_changes(form, ActionPoint.objects.get(pk=point.pk))

    assert [(c.label, c.theirs, c.yours) for c in changes] == [
        ("Responsible participants", "Hungary, Turkey", "Turkey, Hungary")
    ]
