"""Cooperation frameworks with their cadence, thematic focuses, workplans and activities."""

from __future__ import annotations

from functools import partial

from django.shortcuts import get_object_or_404, render

from workplans import services as workplan_services
from workplans.models import Activity, CooperationFramework, FrameworkCadence, Workplan

from .. import forms, selectors
from ..access import secretariat_only
from .common import object_page


@secretariat_only
def workplan_index(request):
    return render(request, "secretariat/workplan_index.html", selectors.workplans_index())


@secretariat_only
def framework_detail(request, pk):
    framework = get_object_or_404(CooperationFramework, pk=pk)
    return object_page(
        request,
        obj=framework,
        form_class=forms.FrameworkForm,
        save_button="save",
        adders={
            "cadence_form": (
                "add_cadence",
                lambda data: forms.CadenceForm(
                    data, instance=FrameworkCadence(framework=framework), prefix="cadence"
                ),
                partial(
                    workplan_services.workplan_part_create,
                    model=FrameworkCadence,
                    framework=framework,
                ),
            )
        },
        template="secretariat/framework_detail.html",
        context={"framework": framework, "cadence": framework.cadence.all()},
    )


@secretariat_only
def workplan_detail(request, pk):
    workplan = get_object_or_404(Workplan, pk=pk)
    return object_page(
        request,
        obj=workplan,
        form_class=forms.WorkplanForm,
        save_button="save",
        adders={
            "activity_form": (
                "add_activity",
                lambda data: forms.ActivityForm(
                    data, instance=Activity(workplan=workplan), prefix="activity"
                ),
                partial(workplan_services.activity_create, workplan=workplan),
            )
        },
        template="secretariat/workplan_detail.html",
        context={
            "workplan": workplan,
            "activities": selectors.workplan_activities(workplan=workplan),
        },
    )
