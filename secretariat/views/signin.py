"""The sign-in locks: who is locked out for too many failed sign-ins, and lifting a lock."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from bpdialogue import signin

from .. import forms
from ..access import secretariat_only


@secretariat_only
def sign_in_locks(request):
    form = forms.SignInLockLiftForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            signin.sign_in_lock_lift(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            what = form.cleaned_data["account"] or form.cleaned_data["address"]
            messages.success(
                request,
                gettext("Lock on %(what)s lifted: it may sign in again now.") % {"what": what},
            )
            return redirect("secretariat:sign-in-locks")
    return render(
        request,
        "secretariat/sign_in_locks.html",
        {"locks": signin.sign_in_locks(), "form": form, **signin.lock_rule()},
        status=400 if form.is_bound else 200,
    )
