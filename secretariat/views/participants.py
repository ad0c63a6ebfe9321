"""Participants (states and organisations) with their names over time, identifiers,
memberships and roles; the dialogues with their working groups and regions."""

from __future__ import annotations

from functools import partial

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy

from participants import services as participant_services
from participants.models import (
    ExternalIdentifier,
    Membership,
    Participant,
    ParticipantName,
    RoleAssignment,
)

from .. import forms, selectors
from ..access import secretariat_only
from .common import object_page

# The list's filter names each kind in the plural.
KIND_PLURALS = {
    Participant.Kind.STATE: gettext_lazy("States"),
    Participant.Kind.ORGANISATION: gettext_lazy("Organisations"),
}


@secretariat_only
def participant_list(request):
    kind = request.GET.get("kind")
    kind = kind if kind in Participant.Kind.values else None
    context = {
        "participants": selectors.participants_overview(kind=kind),
        "kind": kind,
        "kinds": [(kind, KIND_PLURALS[kind]) for kind in Participant.Kind.values],
    }
    return render(request, "secretariat/participant_list.html", context)


def _adder(button, form_class, model, prefix, participant, create):
    return (
        button,
        lambda data: form_class(data, instance=model(participant=participant), prefix=prefix),
        partial(create, participant=participant),
    )


@secretariat_only
def participant_detail(request, slug):
    participant = get_object_or_404(Participant, slug=slug)
    return object_page(
        request,
        obj=participant,
        form_class=forms.ParticipantForm,
        save_button="save_participant",
        adders={
            "name_form": _adder(
                "add_name",
                forms.ParticipantNameForm,
                ParticipantName,
                "name",
                participant,
                participant_services.participant_name_add,
            ),
            "identifier_form": _adder(
                "add_identifier",
                forms.ExternalIdentifierForm,
                ExternalIdentifier,
                "identifier",
                participant,
                participant_services.external_identifier_add,
            ),
            "membership_form": _adder(
                "add_membership",
                forms.MembershipForm,
                Membership,
                "membership",
                participant,
                participant_services.membership_add,
            ),
            "role_form": _adder(
                "add_role",
                forms.RoleAssignmentForm,
                RoleAssignment,
                "role",
                participant,
                participant_services.role_assign,
            ),
        },
        template="secretariat/participant_detail.html",
        context={
            "participant": participant,
            **selectors.participant_parts(participant=participant),
        },
    )


@secretariat_only
def groups(request):
    return render(request, "secretariat/groups.html", selectors.dialogues_groups_and_regions())
