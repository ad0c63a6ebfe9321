"""The generic views over what secretariat/parts.py registers: edit, create on a page of its
own, delete, and reorder (one place up or down, or a whole order from a drag and drop)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from bpdialogue.models import VersionConflict
from bpdialogue.services import positions_moved
from meetings import services as meeting_services

from ..access import secretariat_only
from ..editing import apply_errors, conflict_with, form_changes, save_versioned
from ..parts import PARTS
from .common import form_status, not_deleted, render_tab


def _part(name: str):
    part = PARTS.get(name)
    if part is None:
        raise Http404("Nothing of that kind is edited here.")
    return part


@secretariat_only
def part_edit(request, part, pk):
    spec = _part(part)
    obj = get_object_or_404(spec.model, pk=pk)
    form = spec.form(request.POST or None, instance=obj)
    conflict = None
    if request.method == "POST" and form.is_valid():
        refused, conflict = save_versioned(form, update=spec.update, by=request.user)
        if refused is None:
            messages.success(request, gettext("Saved."))
            return redirect(spec.back(obj))
        form = refused
    status = 409 if conflict else form_status(form)
    context = {
        "form": form,
        "object": obj,
        "conflict": conflict,
        "verbose_name": spec.model._meta.verbose_name,
        "back": spec.back(obj),
    }
    if spec.meeting_tab:
        meeting = meeting_services.record_meeting(obj)
        return render_tab(
            request, meeting, spec.meeting_tab, context, status, "secretariat/meeting_edit.html"
        )
    return render(request, "secretariat/edit.html", context, status=status)


@secretariat_only
def part_create(request, part):
    spec = _part(part)
    if spec.create_form is None:
        raise Http404("These are added on the page they belong to.")
    form = spec.create_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = spec.create(form_changes(form), request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                gettext("%(what)s created.") % {"what": spec.model._meta.verbose_name.capitalize()},
            )
            return redirect(spec.back(obj))
    context = {"form": form, "verbose_name": spec.model._meta.verbose_name, "back": None}
    return render(request, "secretariat/edit.html", context, status=form_status(form))


@secretariat_only
@require_POST
def part_delete(request, part, pk):
    spec = _part(part)
    if spec.delete is None:
        raise Http404("These are not deleted from the workspace.")
    obj = get_object_or_404(spec.model, pk=pk)
    back = spec.back(obj)
    try:
        version = int(request.POST["version"]) if request.POST.get("version") else None
    except ValueError:
        return HttpResponse(gettext("version must be a number."), status=400)
    try:
        spec.delete(obj, version, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    except VersionConflict:
        messages.error(request, not_deleted(conflict_with(obj)))
        return redirect(back)
    messages.success(
        request, gettext("%(what)s deleted.") % {"what": spec.model._meta.verbose_name.capitalize()}
    )
    return redirect(back)


@secretariat_only
@require_POST
def part_move(request, part, pk):
    """Move up or down one place (the keyboard's way of reordering)."""
    spec = _part(part)
    if spec.siblings is None:
        raise Http404("These have no order.")
    obj = get_object_or_404(spec.model, pk=pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if offset is None:
        return HttpResponse(gettext("Say direction=up or direction=down."), status=400)
    ids = list(spec.siblings(obj).order_by("position").values_list("id", flat=True))
    return _reorder(request, spec, obj, positions_moved(ids=ids, moving=obj.pk, offset=offset))


@secretariat_only
@require_POST
def part_order(request, part):
    """Save the order a drag and drop left: `ids` lists the rows in their new order."""
    spec = _part(part)
    if spec.siblings is None:
        raise Http404("These have no order.")
    try:
        ids = [int(pk) for pk in request.POST.get("ids", "").split(",") if pk]
    except ValueError:
        return HttpResponse(gettext("ids must be a comma-separated list of numbers."), status=400)
    first = spec.model.objects.filter(pk__in=ids[:1]).first()
    if first is None:
        return HttpResponse(gettext("ids names nothing to reorder."), status=400)
    return _reorder(request, spec, first, ids)


def _reorder(request, spec, obj, ids):
    try:
        notices = spec.reorder(obj, ids)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        for notice in notices or ():
            messages.warning(request, notice)
    return redirect(spec.back(obj))
