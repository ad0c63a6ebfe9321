"""What the workspace's generic edit, delete and reorder views may act on, and where each
thing is shown afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from meetings import services as meeting_services
from meetings.models import ActionPoint, AgendaItem, Conclusion, Statement
from projects.models import Project, ProjectPartner, Site
from workplans.models import (
    Activity,
    CooperationFramework,
    FrameworkCadence,
    ThematicFocus,
    Workplan,
)

from . import forms


def meeting_tab(meeting, tab: str) -> str:
    return reverse(f"secretariat:meeting-{tab}", kwargs={"slug": meeting.slug})


def project_page(project) -> str:
    return reverse("secretariat:project", kwargs={"slug": project.slug})


def workplans_page(_=None) -> str:
    return reverse("secretariat:workplans")


@dataclass(frozen=True)
class Part:
    model: type
    form: type
    back: Callable[[object], str]
    delete: Callable[[object], None] | None = None
    siblings: Callable[[object], object] | None = None
    create_form: type | None = None


PARTS: dict[str, Part] = {
    "agenda-item": Part(
        AgendaItem,
        forms.AgendaItemForm,
        back=lambda item: meeting_tab(item.meeting, "agenda"),
        delete=lambda item: meeting_services.agenda_item_delete(item=item),
        siblings=lambda item: meeting_services.agenda_siblings(
            meeting=item.meeting, parent=item.parent
        ),
    ),
    "statement": Part(
        Statement,
        forms.StatementForm,
        back=lambda statement: meeting_tab(statement.agenda_item.meeting, "record"),
        delete=lambda statement: meeting_services.statement_delete(statement=statement),
        siblings=lambda statement: statement.agenda_item.statements.all(),
    ),
    "conclusion": Part(
        Conclusion,
        forms.ConclusionForm,
        back=lambda conclusion: meeting_tab(conclusion.meeting, "conclusions"),
        delete=lambda conclusion: meeting_services.conclusion_delete(conclusion=conclusion),
        siblings=lambda conclusion: conclusion.meeting.conclusions.all(),
    ),
    "action-point": Part(
        ActionPoint,
        forms.ActionPointForm,
        back=lambda point: meeting_tab(point.meeting, "conclusions"),
        delete=lambda point: meeting_services.action_point_delete(action_point=point),
        siblings=lambda point: point.meeting.action_points.all(),
    ),
    "project": Part(
        Project, forms.ProjectForm, back=project_page, create_form=forms.ProjectCreateForm
    ),
    "partner": Part(
        ProjectPartner,
        forms.ProjectPartnerForm,
        back=lambda partner: project_page(partner.project),
        delete=lambda partner: partner.delete(),
    ),
    "site": Part(
        Site,
        forms.SiteForm,
        back=lambda site: project_page(site.project),
        delete=lambda site: site.delete(),
    ),
    "framework": Part(
        CooperationFramework,
        forms.FrameworkForm,
        back=lambda framework: reverse("secretariat:framework", kwargs={"pk": framework.pk}),
        create_form=forms.FrameworkForm,
    ),
    "cadence": Part(
        FrameworkCadence,
        forms.CadenceForm,
        back=lambda cadence: reverse("secretariat:framework", kwargs={"pk": cadence.framework_id}),
        delete=lambda cadence: cadence.delete(),
    ),
    "thematic-focus": Part(
        ThematicFocus,
        forms.ThematicFocusForm,
        back=workplans_page,
        create_form=forms.ThematicFocusForm,
    ),
    "workplan": Part(
        Workplan,
        forms.WorkplanForm,
        back=lambda workplan: reverse("secretariat:workplan", kwargs={"pk": workplan.pk}),
        create_form=forms.WorkplanForm,
    ),
    "activity": Part(
        Activity,
        forms.ActivityForm,
        back=lambda activity: reverse("secretariat:workplan", kwargs={"pk": activity.workplan_id}),
        delete=lambda activity: activity.delete(),
        siblings=lambda activity: activity.workplan.activities.all(),
    ),
}

PARTS_BY_MODEL = {part.model: part for part in PARTS.values()}
