"""What the workspace's generic edit, delete and reorder views may act on, and where each
thing is shown afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from meetings import services as meeting_services
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Statement,
    ThematicFocus,
    WorkingGroup,
)
from participants import services as participant_services
from participants.models import (
    Dialogue,
    ExternalIdentifier,
    Membership,
    Participant,
    ParticipantName,
    Region,
    RoleAssignment,
)
from projects import services as project_services
from projects.models import Project, ProjectPartner, Site
from workplans import services as workplan_services
from workplans.models import (
    Activity,
    CooperationFramework,
    FrameworkCadence,
    Workplan,
)

from . import forms


def meeting_tab(meeting, tab: str) -> str:
    return reverse(f"secretariat:meeting-{tab}", kwargs={"slug": meeting.slug})


def project_page(project) -> str:
    return reverse("secretariat:project", kwargs={"slug": project.slug})


def workplans_page(_=None) -> str:
    return reverse("secretariat:workplans")


def _record_update(part, version, changes, by):
    return meeting_services.record_part_update(
        part=part, expected_version=version, changes=changes, by=by
    )


def _record_delete(part, version, by):
    meeting_services.record_part_delete(part=part, expected_version=version, by=by)


def _record_reorder(part, ordered_ids):
    return meeting_services.record_parts_reorder(part=part, ordered_ids=ordered_ids)


def _thematic_focus_update(focus, version, changes, by):
    return meeting_services.thematic_focus_update(
        thematic_focus=focus, expected_version=version, changes=changes, by=by
    )


def _thematic_focus_create(fields, by):
    return meeting_services.thematic_focus_create(by=by, **fields)


def participant_page(participant) -> str:
    return reverse("secretariat:participant", kwargs={"slug": participant.slug})


def groups_page(_=None) -> str:
    return reverse("secretariat:groups")


def _participant_update(part, version, changes, by):
    return participant_services.participant_part_update(
        part=part, expected_version=version, changes=changes, by=by
    )


def _participant_delete(part, version, by):
    participant_services.participant_part_delete(part=part, expected_version=version, by=by)


def _participant_create(fields, by):
    return participant_services.participant_create(by=by, **fields)


def _dialogue_create(fields, by):
    return participant_services.dialogue_create(by=by, **fields)


def _region_create(fields, by):
    return participant_services.region_create(by=by, **fields)


def _working_group_update(group, version, changes, by):
    return meeting_services.working_group_update(
        working_group=group, expected_version=version, changes=changes, by=by
    )


def _working_group_create(fields, by):
    return meeting_services.working_group_create(by=by, **fields)


def _project_update(part, version, changes, by):
    return project_services.project_part_update(
        part=part, expected_version=version, changes=changes, by=by
    )


def _project_delete(part, version, by):
    project_services.project_part_delete(part=part, expected_version=version, by=by)


def _project_create(fields, by):
    return project_services.project_create(by=by, **fields)


def _workplan_update(part, version, changes, by):
    return workplan_services.workplan_part_update(
        part=part, expected_version=version, changes=changes, by=by
    )


def _workplan_delete(part, version, by):
    workplan_services.workplan_part_delete(part=part, expected_version=version, by=by)


def _workplan_creator(model):
    def create(fields, by):
        return workplan_services.workplan_part_create(model=model, by=by, **fields)

    return create


@dataclass(frozen=True)
class Part:
    """`update(obj, expected_version, changes, by)`, `delete(obj, expected_version, by)`,
    `reorder(obj, ordered_ids)` (which may return notices of what the new order changed) and
    `create(fields, by)` (with `create_form`, for what is
    created on a page of its own) are the services that own the object; `siblings` is the
    numbered list it is reordered in, if it has one."""

    model: type
    form: type
    back: Callable[[object], str]
    update: Callable
    delete: Callable[[object, int | None, object], None] | None = None
    siblings: Callable[[object], object] | None = None
    reorder: Callable[[object, list], list[str] | None] | None = None
    create_form: type | None = None
    create: Callable[[dict, object], object] | None = None
    # A part of a meeting's record is edited under the meeting's title and tabs, this one
    # current.
    meeting_tab: str = ""


PARTS: dict[str, Part] = {
    "agenda-item": Part(
        AgendaItem,
        forms.AgendaItemForm,
        back=lambda item: meeting_tab(item.meeting, "agenda"),
        update=_record_update,
        delete=_record_delete,
        siblings=meeting_services.record_part_siblings,
        reorder=_record_reorder,
        meeting_tab="agenda",
    ),
    "statement": Part(
        Statement,
        forms.StatementForm,
        back=lambda statement: meeting_tab(statement.agenda_item.meeting, "record"),
        update=_record_update,
        delete=_record_delete,
        siblings=meeting_services.record_part_siblings,
        reorder=_record_reorder,
        meeting_tab="record",
    ),
    "conclusion": Part(
        Conclusion,
        forms.ConclusionForm,
        back=lambda conclusion: meeting_tab(conclusion.meeting, "conclusions"),
        update=_record_update,
        delete=_record_delete,
        siblings=meeting_services.record_part_siblings,
        reorder=_record_reorder,
        meeting_tab="conclusions",
    ),
    "action-point": Part(
        ActionPoint,
        forms.ActionPointForm,
        back=lambda point: meeting_tab(point.meeting, "conclusions"),
        update=_record_update,
        delete=_record_delete,
        siblings=meeting_services.record_part_siblings,
        reorder=_record_reorder,
        meeting_tab="conclusions",
    ),
    "project": Part(
        Project,
        forms.ProjectForm,
        back=project_page,
        update=_project_update,
        create_form=forms.ProjectCreateForm,
        create=_project_create,
    ),
    "partner": Part(
        ProjectPartner,
        forms.ProjectPartnerForm,
        back=lambda partner: project_page(partner.project),
        update=_project_update,
        delete=_project_delete,
    ),
    "site": Part(
        Site,
        forms.SiteForm,
        back=lambda site: project_page(site.project),
        update=_project_update,
        delete=_project_delete,
    ),
    "framework": Part(
        CooperationFramework,
        forms.FrameworkForm,
        back=lambda framework: reverse("secretariat:framework", kwargs={"pk": framework.pk}),
        update=_workplan_update,
        create_form=forms.FrameworkForm,
        create=_workplan_creator(CooperationFramework),
    ),
    "cadence": Part(
        FrameworkCadence,
        forms.CadenceForm,
        back=lambda cadence: reverse("secretariat:framework", kwargs={"pk": cadence.framework_id}),
        update=_workplan_update,
        delete=_workplan_delete,
    ),
    "thematic-focus": Part(
        ThematicFocus,
        forms.ThematicFocusForm,
        back=workplans_page,
        update=_thematic_focus_update,
        create_form=forms.ThematicFocusForm,
        create=_thematic_focus_create,
    ),
    "workplan": Part(
        Workplan,
        forms.WorkplanForm,
        back=lambda workplan: reverse("secretariat:workplan", kwargs={"pk": workplan.pk}),
        update=_workplan_update,
        create_form=forms.WorkplanForm,
        create=_workplan_creator(Workplan),
    ),
    "activity": Part(
        Activity,
        forms.ActivityForm,
        back=lambda activity: reverse("secretariat:workplan", kwargs={"pk": activity.workplan_id}),
        update=_workplan_update,
        delete=_workplan_delete,
        siblings=lambda activity: activity.workplan.activities.all(),
        reorder=lambda activity, ids: workplan_services.activities_reorder(
            activity=activity, ordered_ids=ids
        ),
    ),
    "participant": Part(
        Participant,
        forms.ParticipantForm,
        back=participant_page,
        update=_participant_update,
        create_form=forms.ParticipantForm,
        create=_participant_create,
    ),
    "participant-name": Part(
        ParticipantName,
        forms.ParticipantNameForm,
        back=lambda name: participant_page(name.participant),
        update=_participant_update,
        delete=_participant_delete,
    ),
    "identifier": Part(
        ExternalIdentifier,
        forms.ExternalIdentifierForm,
        back=lambda identifier: participant_page(identifier.participant),
        update=_participant_update,
        delete=_participant_delete,
    ),
    "membership": Part(
        Membership,
        forms.MembershipForm,
        back=lambda membership: participant_page(membership.participant),
        update=_participant_update,
        delete=_participant_delete,
    ),
    "role": Part(
        RoleAssignment,
        forms.RoleAssignmentForm,
        back=lambda role: participant_page(role.participant),
        update=_participant_update,
        delete=_participant_delete,
    ),
    "dialogue": Part(
        Dialogue,
        forms.DialogueForm,
        back=groups_page,
        update=_participant_update,
        create_form=forms.DialogueForm,
        create=_dialogue_create,
    ),
    "working-group": Part(
        WorkingGroup,
        forms.WorkingGroupForm,
        back=groups_page,
        update=_working_group_update,
        create_form=forms.WorkingGroupCreateForm,
        create=_working_group_create,
    ),
    "region": Part(
        Region,
        forms.RegionForm,
        back=groups_page,
        update=_participant_update,
        create_form=forms.RegionCreateForm,
        create=_region_create,
    ),
}

PARTS_BY_MODEL = {part.model: part for part in PARTS.values()}
