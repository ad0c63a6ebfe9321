"""The secretariat's two-factor pages: the sign-in that leads to them, setting up an
authenticator (with the recovery codes it comes with), verifying a sign-in, replacing the
codes and removing the authenticator. The rule and its services are bpdialogue.twofactor's."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from bpdialogue import twofactor

from .forms import AuthenticatorCodeForm, SecondFactorForm


class SignInView(LoginView):
    """Django's sign-in; then, for the secretariat, the second factor or the invitation to
    set one up."""

    def get_success_url(self):
        return twofactor.after_sign_in(self.request, super().get_success_url())


def _standing(request):
    state = twofactor.two_factor_of(request)
    if state is None:
        raise PermissionDenied("Two-factor sign-in is for the secretariat.")
    return state


def _codes_page(request, codes, next_url):
    return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": next_url})


def _manage_page(request, state, remove_form, status=200):
    remaining = StaticToken.objects.filter(
        device__user=request.user, device__confirmed=True
    ).count()
    return render(
        request,
        "registration/two_factor.html",
        {"state": state, "remaining": remaining, "remove_form": remove_form},
        status=status,
    )


# The pages that show the secret or the recovery codes are kept out of every cache, the
# browser's included (never_cache: Cache-Control no-store).
@never_cache
@login_required
def two_factor(request):
    """Set up an authenticator (GET shows its QR code and secret, POST confirms it with a
    first code), or, once set up and verified, what can be done with it."""
    state = _standing(request)
    next_url = twofactor.safe_next(request, reverse("secretariat:dashboard"))
    if state.enrolled and not state.verified:
        return redirect(twofactor.step_url("verify", request.get_full_path()))
    if state.enrolled:
        return _manage_page(request, state, SecondFactorForm())
    device = twofactor.authenticator_to_confirm(request.user)
    form = AuthenticatorCodeForm(request.POST or None)
    if form.is_valid():
        try:
            codes = twofactor.authenticator_confirm(request, device, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return _codes_page(request, codes, next_url)
    return render(
        request,
        "registration/two_factor.html",
        {
            "state": state,
            "form": form,
            "qr_svg": twofactor.authenticator_qr_svg(device),
            "secret": twofactor.authenticator_secret(device),
            "next": next_url,
            "later_allowed": not settings.TWO_FACTOR_REQUIRED,
        },
        status=400 if form.errors else 200,
    )


@login_required
def two_factor_verify(request):
    """The second step of signing in: a code from the authenticator or a recovery code."""
    state = _standing(request)
    next_url = twofactor.safe_next(request)
    if state.verified or state.exempt:
        return redirect(next_url)
    if not state.enrolled:
        return redirect(twofactor.step_url("enrol", next_url))
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        try:
            device = twofactor.device_accepting(request.user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            twofactor.session_verify(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "You used a recovery code; %(count)d remain. Replace them from the "
                        "two-factor page when few are left."
                    )
                    % {"count": device.token_set.count()},
                )
            return redirect(next_url)
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


def _verified_standing(request):
    """Replacing the codes and removing the authenticator need a verified session (the
    middleware holds the others at verification; an exempt account is asked here)."""
    state = _standing(request)
    return state if state.enrolled and state.verified else None


@never_cache
@login_required
@require_POST
def recovery_codes_replace(request):
    if _verified_standing(request) is None:
        return redirect(twofactor.step_url("verify", reverse("two-factor")))
    codes = twofactor.recovery_codes_replace(request.user)
    return _codes_page(request, codes, reverse("two-factor"))


@login_required
@require_POST
def two_factor_remove(request):
    state = _verified_standing(request)
    if state is None:
        return redirect(twofactor.step_url("verify", reverse("two-factor")))
    form = SecondFactorForm(request.POST)
    if form.is_valid():
        try:
            twofactor.two_factor_remove(request, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(
                request, _("Two-factor sign-in is off: the authenticator and codes are gone.")
            )
            return redirect("account")
    return _manage_page(request, state, form, status=400)
