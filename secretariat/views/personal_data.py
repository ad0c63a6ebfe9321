"""A person's data on request: the export as JSON and the erasure (the buttons are on the
person's page)."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from bpdialogue.models import VersionConflict
from participants.models import Person
from participants.personal_data import person_data_export, person_erase

from ..access import secretariat_only


def _person(pk) -> Person:
    return get_object_or_404(Person.objects.select_related("affiliation", "user"), pk=pk)


@secretariat_only
def person_data_download(request, pk):
    person = _person(pk)
    body = json.dumps(person_data_export(person=person), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{person.uid}.json"'
    # Personal data: kept by no cache on the way.
    response["Cache-Control"] = "private, no-store"
    return response


@secretariat_only
def person_data_erase(request, pk):
    """Asks first (the erasure cannot be undone), then erases at the version shown."""
    person = _person(pk)
    context = {"person": person, "erasure": None, "refusal": ""}
    if request.method == "POST":
        if request.POST.get("confirm") != "erase":
            context["refusal"] = gettext("Tick the box to confirm: the erasure cannot be undone.")
            return render(request, "secretariat/person_erase.html", context, status=400)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            return HttpResponse(gettext("version must be a number."), status=400)
        try:
            context["erasure"] = person_erase(
                person=person, by=request.user, expected_version=version
            )
        except VersionConflict:
            context["refusal"] = gettext(
                "Someone changed this person meanwhile: check it and try again."
            )
            return render(request, "secretariat/person_erase.html", context, status=409)
        except ValidationError as error:
            context["refusal"] = " ".join(error.messages)
            return render(request, "secretariat/person_erase.html", context, status=400)
    return render(request, "secretariat/person_erase.html", context)
