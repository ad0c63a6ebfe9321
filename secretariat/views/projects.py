"""Projects: the tree of them, and a project's page with its partners and sites."""

from __future__ import annotations

from functools import partial

from django.shortcuts import get_object_or_404, render

from projects import services as project_services
from projects.models import Project, ProjectPartner, Site

from .. import forms, selectors
from ..access import secretariat_only
from .common import object_page


@secretariat_only
def project_list(request):
    return render(request, "secretariat/project_list.html", {"tree": selectors.project_tree()})


@secretariat_only
def project_detail(request, slug):
    project = get_object_or_404(Project.objects.select_related("dialogue", "parent"), slug=slug)
    return object_page(
        request,
        obj=project,
        form_class=forms.ProjectForm,
        save_button="save_project",
        adders={
            "partner_form": (
                "add_partner",
                lambda data: forms.ProjectPartnerForm(
                    data, instance=ProjectPartner(project=project), prefix="partner"
                ),
                partial(project_services.project_partner_add, project=project),
            ),
            "site_form": (
                "add_site",
                lambda data: forms.SiteForm(data, instance=Site(project=project), prefix="site"),
                partial(project_services.site_add, project=project),
            ),
        },
        template="secretariat/project_detail.html",
        context={"project": project, **selectors.project_parts(project=project)},
    )
