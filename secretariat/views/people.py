"""People: the list with search and filters, a person's page (details, focal-point roles
over time, the registrations they appear in), and retiring, merging and inviting them to
sign in. The rules are participants' services; the spreadsheet imports are in imports.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from bpdialogue.models import VersionConflict
from bpdialogue.site import site_url
from participants import selectors
from participants import services as people
from participants.models import FocalPoint, Person

from ..access import secretariat_only
from ..editing import apply_errors, conflict_with, form_changes, save_versioned
from ..people_forms import DayForm, FocalPointForm, PeopleFilterForm, PersonForm
from .common import form_status

PEOPLE_PER_PAGE = 50
MERGE_CANDIDATES = 20


def person_page(person) -> str:
    return reverse("secretariat:person", kwargs={"pk": person.pk})


def _person_update(person, version, changes, by):
    return people.person_update(person=person, expected_version=version, changes=changes, by=by)


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _stale(request, obj) -> None:
    conflict = conflict_with(type(obj)._base_manager.get(pk=obj.pk))
    messages.error(
        request,
        gettext(
            "Not saved: %(what)s was saved by %(who)s after you loaded the page. Check it, "
            "then try again."
        )
        % {"what": conflict.what, "who": conflict.saved_by},
    )


@secretariat_only
def people_list(request):
    filters = PeopleFilterForm(request.GET)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    found = selectors.people_search(
        q=wanted.get("q", ""),
        affiliation=wanted.get("affiliation"),
        focal_points=wanted.get("focal_points", False),
        retired=wanted.get("retired", ""),
    )
    page = Paginator(found, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "secretariat/people_list.html", context)


@secretariat_only
def person_create(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = people.person_create(by=request.user, **form_changes(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, gettext("Person added."))
            return redirect(person_page(person))
    context = {"form": form, "verbose_name": "person", "back": reverse("secretariat:people")}
    return render(request, "secretariat/edit.html", context, status=form_status(form))


@secretariat_only
def person_detail(request, pk):
    person = get_object_or_404(Person.objects.select_related("affiliation", "user"), pk=pk)
    form = PersonForm(request.POST if "save_person" in request.POST else None, instance=person)
    conflict = None
    if form.is_bound and form.is_valid():
        refused, conflict = save_versioned(form, update=_person_update, by=request.user)
        if refused is None:
            messages.success(request, gettext("Saved."))
            return redirect(person_page(person))
        form = refused
    role_form = FocalPointForm(
        request.POST if "add_focal_point" in request.POST else None,
        instance=FocalPoint(person=person),
        prefix="role",
    )
    if role_form.is_bound and role_form.is_valid():
        try:
            people.focal_point_add(person=person, by=request.user, **form_changes(role_form))
        except ValidationError as error:
            apply_errors(role_form, error)
        else:
            messages.success(request, gettext("Focal-point role added."))
            return redirect(person_page(person))
    merge_q = request.GET.get("merge_q", "").strip()
    candidates = (
        selectors.people_search(q=merge_q, retired="with").exclude(pk=person.pk)[:MERGE_CANDIDATES]
        if merge_q
        else []
    )
    context = {
        "person": person,
        "form": form,
        "conflict": conflict,
        "role_form": role_form,
        "roles": person.focal_points.select_related("dialogue", "participant").order_by(
            "-valid_from", "dialogue__name"
        ),
        "registrations": person.registrations.select_related("meeting", "participant").order_by(
            "-meeting__start_date"
        ),
        "retire_form": DayForm(initial={"version": person.version}),
        "merge_q": merge_q,
        "candidates": candidates,
    }
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render(request, "secretariat/people_detail.html", context, status=status)


@secretariat_only
@require_POST
def person_retire(request, pk):
    person = get_object_or_404(Person, pk=pk)
    form = DayForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give the day the person retires."))
        return redirect(person_page(person))
    try:
        people.person_retire(
            person=person,
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
    except ValidationError as error:
        _refused(request, error)
    except VersionConflict:
        _stale(request, person)
    else:
        messages.success(request, gettext("%(person)s retired.") % {"person": person})
    return redirect(person_page(person))


@secretariat_only
@require_POST
def person_reinstate(request, pk):
    person = get_object_or_404(Person, pk=pk)
    try:
        people.person_reinstate(
            person=person, expected_version=int(request.POST.get("version") or 0), by=request.user
        )
    except (ValueError, VersionConflict):
        _stale(request, person)
    else:
        messages.success(request, gettext("%(person)s is no longer retired.") % {"person": person})
    return redirect(person_page(person))


@secretariat_only
@require_POST
def person_merge(request, pk):
    """Merge this person (the duplicate) into the one chosen (the survivor)."""
    duplicate = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    survivor = Person.objects.filter(pk=request.POST.get("survivor") or 0).first()
    if survivor is None:
        messages.error(request, gettext("Choose the person to merge into."))
        return redirect(person_page(duplicate))
    name = str(duplicate)
    try:
        people.person_merge(duplicate=duplicate, survivor=survivor, by=request.user)
    except ValidationError as error:
        _refused(request, error)
        return redirect(person_page(duplicate))
    except VersionConflict:
        _stale(request, survivor)
        return redirect(person_page(duplicate))
    messages.success(
        request,
        gettext("%(name)s merged into %(survivor)s.") % {"name": name, "survivor": survivor},
    )
    return redirect(person_page(survivor))


@secretariat_only
@require_POST
def person_invite(request, pk):
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    try:
        user = people.person_invite_to_sign_in(
            person=person,
            site_url=site_url(request),
            by=request.user,
        )
    except ValidationError as error:
        _refused(request, error)
    except VersionConflict:
        _stale(request, person)
    else:
        messages.success(
            request,
            gettext("A link to set a password is on its way to %(email)s (user name %(user)s).")
            % {"email": person.email, "user": user.get_username()},
        )
    return redirect(person_page(person))


@secretariat_only
@require_POST
def focal_point_end(request, pk):
    role = get_object_or_404(FocalPoint.objects.select_related("person"), pk=pk)
    form = DayForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give the role's last day."))
        return redirect(person_page(role.person))
    try:
        people.focal_point_end(
            focal_point=role,
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
    except ValidationError as error:
        _refused(request, error)
    except VersionConflict:
        _stale(request, role)
    else:
        messages.success(request, gettext("Focal-point role ended."))
    return redirect(person_page(role.person))
