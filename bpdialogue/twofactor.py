"""Two-factor sign-in for the secretariat: a code from an authenticator app (TOTP, django-otp's
TOTPDevice) or one of ten recovery codes that each work once (a StaticDevice).

The rule, for every request of a signed-in member of the secretariat (`TwoFactorMiddleware`):
- enrolled (a confirmed device) but not verified in this session: every page, the workspace,
  the admin, the portal and the API's session door alike, sends them to verify first (the
  secretariat's session reads drafts and writes the record wherever it goes); only signing in
  and out, password reset, the two-factor pages themselves and the health probes stay open;
- not enrolled while `settings.TWO_FACTOR_REQUIRED` is on: the same, to enrol;
- not enrolled otherwise: asked to enrol at each sign-in (`after_sign_in`), "later" allowed;
- members of the `two-factor exempt` group (the demo accounts) are never asked, and the
  workspace says so.
API keys are not sessions and are not affected.
"""

from __future__ import annotations

import json
import re
from base64 import b32encode
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import policy_for
from .api.authentication import ApiKeyAuthentication

EXEMPT_GROUP = "two-factor exempt"
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
# An authenticator shows six digits; a recovery code is eight letters and digits (base32).
AUTHENTICATOR_CODE = re.compile(r"\d{6}")

WRONG_CODE = _("That code is not valid. Check the time on your phone, or use a recovery code.")
THROTTLED = _("Too many wrong codes. Wait a few seconds before the next try.")

# Views a session may reach while a step is pending (by their URL names): signing in and
# out, password reset, the two-factor pages themselves, the language switch, the probes.
OPEN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "admin:logout",
        "two-factor",
        "two-factor-verify",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "set_language",
        "healthz",
        "readyz",
    }
)


@dataclass(frozen=True)
class TwoFactor:
    """Where a member of the secretariat stands, for this request."""

    enrolled: bool
    exempt: bool
    verified: bool

    @property
    def pending_step(self) -> str | None:
        """'verify', 'enrol', or None when the session may go anywhere."""
        if self.exempt or self.verified:
            return None
        if self.enrolled:
            return "verify"
        return "enrol" if settings.TWO_FACTOR_REQUIRED else None


def two_factor_of(request) -> TwoFactor | None:
    """The two-factor standing of the signed-in user, None outside the secretariat. One query,
    kept on the request (the workspace's banner reads it too)."""
    if hasattr(request, "two_factor"):
        return request.two_factor
    user = request.user
    state = None
    if user.is_authenticated and policy_for(user).is_secretariat:
        exempt, enrolled = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(
                exempt=Exists(Group.objects.filter(user=OuterRef("pk"), name=EXEMPT_GROUP)),
                enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
                | Exists(StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            )
            .values_list("exempt", "enrolled")
            .get()
        )
        # OTPMiddleware gives request.user is_verified(): the session was verified with a
        # device that still exists and is confirmed. The user the sign-in form has just
        # signed in (login() replaces request.user) has not verified yet.
        verified = user.is_verified() if hasattr(user, "is_verified") else False
        state = TwoFactor(enrolled=enrolled, exempt=exempt, verified=verified)
    request.two_factor = state
    return state


def step_url(step: str, next_url: str) -> str:
    name = "two-factor-verify" if step == "verify" else "two-factor"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def safe_next(request, default: str = "/") -> str:
    """The `next` of the request if it points into this site, else `default`."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


def after_sign_in(request, next_url: str) -> str:
    """Where the sign-in form sends the user: to verify when enrolled, to enrol (with
    "later" allowed unless required) when not, else where they were going."""
    state = two_factor_of(request)
    if state is None or state.exempt or state.verified:
        return next_url
    return step_url("verify" if state.enrolled else "enrol", next_url)


def _names_api_key(request) -> bool:
    """Does the request authenticate with an API key (or fail to)? Then the session plays no
    part. Any other Authorization scheme falls through to the session, so it is held."""
    scheme = request.headers.get("Authorization", "").partition(" ")[0]
    return scheme.lower() == ApiKeyAuthentication.keyword.lower()


class TwoFactorMiddleware:
    """Holds a member of the secretariat at the pending step (see the module's docstring).
    After django_otp's OTPMiddleware, which tells whether the session was verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name in OPEN_VIEWS:
            return None
        if request.path.startswith("/api/") and _names_api_key(request):
            return None
        state = two_factor_of(request)
        step = state.pending_step if state else None
        if step is None:
            return None
        return self._held(request, step)

    @staticmethod
    def _held(request, step: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            message = (
                "Verify your sign-in with a second factor first."
                if step == "verify"
                else "Set up two-factor authentication first."
            )
            body = {"error": {"status": 403, "code": "two_factor_required", "message": message}}
            return HttpResponse(json.dumps(body), status=403, content_type="application/json")
        # A redirect cannot repeat a POST: come back to the page its form was on.
        back = request.get_full_path()
        if request.method != "GET":
            back = request.headers.get("Referer", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = "/"
        url = step_url(step, back)
        if request.headers.get("HX-Request") == "true":
            # htmx would put the page into the fragment it asked for; the whole page goes.
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)


# -- enrolment and verification ------------------------------------------------------------
def authenticator_to_confirm(user) -> TOTPDevice:
    """The authenticator being set up: a new secret, kept until confirmed by a first code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def authenticator_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def authenticator_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no script, no style attribute: the
    Content-Security-Policy allows it as it is)."""
    import segno  # only while enrolling: not worth its modules in every web worker

    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", svgclass="qr-code", title="QR code for your app"
    )


def _normalised(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _verify(user, devices, code: str):
    for device in devices:
        if not device.verify_is_allowed()[0]:
            raise ValidationError(THROTTLED, code="throttled")
        # django_otp.verify_token locks the device row, so one code is not accepted twice
        # by two requests at once (a recovery code is then deleted, a TOTP step used up).
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    raise ValidationError(WRONG_CODE, code="wrong")


def device_accepting(user, code: str):
    """The confirmed device that accepts `code`: six digits are the authenticator's, anything
    else a recovery code (each works once). Raises ValidationError when none does."""
    code = _normalised(code)
    model = TOTPDevice if AUTHENTICATOR_CODE.fullmatch(code) else StaticDevice
    return _verify(user, model.objects.devices_for_user(user, confirmed=True), code)


def session_verify(request, device) -> None:
    """Mark the session verified with `device`, under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.two_factor = replace(two_factor_of(request), enrolled=True, verified=True)


@transaction.atomic
def authenticator_confirm(request, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator being set up with its first code: the session is verified
    and the recovery codes are made; returns them (shown once)."""
    code = _normalised(code)
    if not AUTHENTICATOR_CODE.fullmatch(code):
        raise ValidationError(WRONG_CODE, code="wrong")
    _verify(request.user, [device], code)
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    codes = recovery_codes_replace(request.user)
    session_verify(request, device)
    return codes


@transaction.atomic
def recovery_codes_replace(user) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_CODES_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_remove(request, code: str) -> None:
    """Remove the authenticator and the recovery codes, on a current code from either."""
    device_accepting(request.user, code)
    TOTPDevice.objects.filter(user=request.user).delete()
    StaticDevice.objects.filter(user=request.user).delete()
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)


def exempt(user) -> None:
    """Never ask this user for a second factor (the demo accounts of `make run`)."""
    user.groups.add(Group.objects.get_or_create(name=EXEMPT_GROUP)[0])
