"""Signing out everywhere: every session of the account ends, in this browser and in any
other (the mechanism is bpdialogue.signin.sign_out_everywhere's)."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from bpdialogue import signin

from .forms import PasswordConfirmForm


@login_required
@require_POST
def sign_out_everywhere(request):
    form = PasswordConfirmForm(request.POST, request=request)
    if not form.is_valid():
        return render(request, "registration/sign_out_everywhere.html", {"form": form}, status=400)
    signin.sign_out_everywhere(user=request.user, password=form.cleaned_data["password"])
    logout(request)
    return render(request, "registration/signed_out_everywhere.html")
