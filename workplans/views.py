from django.shortcuts import get_object_or_404, render

from . import selectors


def workplan_list(request):
    return render(
        request, "workplans/workplan_list.html", {"workplans": selectors.workplans_list()}
    )


def workplan_detail(request, uid):
    workplan = get_object_or_404(selectors.workplans_list(), uid=uid)
    return render(
        request,
        "workplans/workplan_detail.html",
        {
            "workplan": workplan,
            "progress": selectors.workplan_progress(viewer=request.user, workplan=workplan),
        },
    )
