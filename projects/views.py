from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import Project


def project_list(request):
    return render(request, "projects/project_list.html", {"tree": selectors.projects_tree()})


def project_detail(request, slug):
    try:
        project = selectors.project_detail(viewer=request.user, slug=slug)
    except Project.DoesNotExist:
        raise Http404("No such project.") from None
    return render(request, "projects/project_detail.html", {"project": project})
