"""Partners' API keys: the list with their use, a new key (shown once, on the page after it
is created), revoking one. The rules are `bpdialogue.api.services`', as for
`manage.py create_api_key`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bpdialogue.api import services as api_services
from bpdialogue.models import ApiKey

from .. import forms, selectors
from ..access import secretariat_only
from ..editing import apply_errors
from .common import form_status

# The new key waits in the session for the one page that shows it, which takes it out.
ISSUED_KEY = "secretariat.issued_api_key"


@secretariat_only
def api_key_list(request):
    form = forms.ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            api_key, key = api_services.api_key_create(
                name=data["name"],
                scopes=data["scopes"],
                dialogue=data["dialogue"],
                expires_at=api_services.api_key_expiry(data["expires_at"]),
                created_by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session[ISSUED_KEY] = {"id": api_key.pk, "key": key}
            return redirect("secretariat:api-key-issued")
    context = {"form": form, "api_keys": selectors.api_keys()}
    return render(request, "secretariat/api_keys.html", context, status=form_status(form))


@never_cache
@secretariat_only
def api_key_issued(request):
    issued = request.session.pop(ISSUED_KEY, None)
    if issued is None:
        messages.info(
            request,
            gettext(
                "A key is shown only once, right after it is created. If it was not copied, "
                "revoke it and create another."
            ),
        )
        return redirect("secretariat:api-keys")
    api_key = get_object_or_404(ApiKey, pk=issued["id"])
    return render(
        request, "secretariat/api_key_issued.html", {"api_key": api_key, "key": issued["key"]}
    )


@secretariat_only
@require_POST
def api_key_revoke(request, pk):
    api_key = get_object_or_404(ApiKey, pk=pk)
    api_services.api_key_revoke(api_key=api_key)
    messages.success(
        request,
        gettext("The key “%(name)s” is revoked: it works no more.") % {"name": api_key.name},
    )
    return redirect("secretariat:api-keys")
