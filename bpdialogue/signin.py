"""Sign-in protection around django-axes, which counts failed sign-ins per account and per
address (settings AXES_*) and refuses a locked one before any password is checked.

What is ours: the address a failure is counted against (`client_address`), the answer a
locked visitor reads (`locked_out`), the workspace's list of locks and lifting one
(`sign_in_locks`, `sign_in_lock_lift`), the longer passwords and the short idle sessions of
the secretariat (`SecretariatPasswordLength`, `SecretariatIdleSessionMiddleware`), and
signing out everywhere (`sign_out_everywhere`)."""

from __future__ import annotations

import datetime
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import is_secretariat_user

log = logging.getLogger(__name__)


def client_address(request) -> str | None:
    """The caller's address. Behind FORWARDED_PROXY_COUNT proxies it is the one the outermost
    of them saw, counted from the right of X-Forwarded-For: whatever stands further left the
    client wrote itself. A value that is not an address is not believed."""
    proxies = settings.FORWARDED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            try:
                return str(ipaddress.ip_address(forwarded[-proxies]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


# -- the lock a visitor meets -----------------------------------------------------------------
def lock_ends_at(*, account: str | None, address: str | None) -> datetime.datetime:
    """When the failures that lock this account or address are all older than the cool-off
    (the latest of them counts, so this is the latest the lock can last)."""
    which = Q(pk__in=[])
    if account is not None:
        which |= Q(username=account)
    if address is not None:
        which |= Q(ip_address=address)
    latest = AccessAttempt.objects.filter(
        which, attempt_time__gte=timezone.now() - get_cool_off()
    ).aggregate(latest=Max("attempt_time"))["latest"]
    return (latest or timezone.now()) + get_cool_off()


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a locked sign-in (AXES_LOCKOUT_CALLABLE), on /accounts/login/
    and /admin/login/ alike: 429 in the site's layout, saying until when and who can lift it.
    The same words for an account that does not exist, so the page tells nobody which do."""
    until = lock_ends_at(
        account=get_client_username(request, credentials), address=client_address(request)
    )
    wait = max(math.ceil((until - timezone.now()).total_seconds()), 1)
    answer = render(
        request,
        "registration/locked_out.html",
        {"until": until, "minutes": math.ceil(wait / 60)},
        status=429,
    )
    answer["Retry-After"] = str(wait)
    return answer


def sign_in_succeeded(sender, request, user, **kwargs):
    """A successful sign-in clears that account's failures from that address only: clearing
    the address's would let someone holding any account reset the count of the accounts they
    guess at, and clearing the account's everywhere would reset a guesser elsewhere."""
    if request is None:
        return
    AccessAttempt.objects.filter(
        username=user.get_username(), ip_address=client_address(request)
    ).delete()


# -- the workspace's view of the locks --------------------------------------------------------
@dataclass(frozen=True)
class SignInLock:
    """An account locked wherever it is tried from, or an address locked for every account."""

    account: str | None
    address: str | None
    failures: int
    # The latest failure counted; the lock lifts by itself a cool-off after it.
    last_failure: datetime.datetime
    # How many addresses tried the account, or how many accounts the address tried.
    spread: int

    @property
    def lifts_at(self) -> datetime.datetime:
        return self.last_failure + get_cool_off()


def lock_rule() -> dict:
    """What locks, in words for a page: so many failures within so many minutes."""
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": round(get_cool_off().total_seconds() / 60),
    }


def sign_in_locks() -> list[SignInLock]:
    """The current locks, accounts first, newest first: two queries, however many."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())
    totals = {
        "failures": Sum("failures_since_start"),
        "last_failure": Max("attempt_time"),
    }
    accounts = (
        recent.exclude(username=None)
        .values("username")
        .annotate(**totals, spread=Count("ip_address", distinct=True))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_failure", "username")
    )
    addresses = (
        recent.exclude(ip_address=None)
        .values("ip_address")
        .annotate(**totals, spread=Count("username", distinct=True))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_failure", "ip_address")
    )
    return [
        SignInLock(account=row["username"], address=None, **_counts(row)) for row in accounts
    ] + [SignInLock(account=None, address=row["ip_address"], **_counts(row)) for row in addresses]


def _counts(row) -> dict:
    return {key: row[key] for key in ("failures", "last_failure", "spread")}


def sign_in_lock_lift(*, account: str = "", address: str = "", by) -> int:
    """Forget the failures of one account (from every address) or of one address (for every
    account), so it may sign in again now. Returns how many records went."""
    if bool(account) == bool(address):
        raise ValidationError("Lift the lock of one account or of one address.")
    lifted = reset(username=account) if account else reset(ip=address)
    log.info(
        "Sign-in lock on %s lifted by %s (%d records)",
        f"account {account!r}" if account else f"address {address}",
        by.get_username(),
        lifted,
    )
    return lifted


# -- passwords --------------------------------------------------------------------------------
class SecretariatPasswordLength:
    """Secretariat accounts publish the official record of a whole dialogue: their passwords
    are longer than Django's MinimumLengthValidator asks of everyone (AUTH_PASSWORD_VALIDATORS).
    Whoever is secretariat is `access.is_secretariat_user`'s to say; an account not yet saved
    can be in no group, only a superuser."""

    def __init__(self, min_length: int = 12):
        self.min_length = min_length

    def validate(self, password, user=None):
        if user is None or len(password) >= self.min_length:
            return
        if user.is_superuser or (user.pk is not None and is_secretariat_user(user)):
            raise ValidationError(
                _("A secretariat account needs a password of at least %(min_length)d characters."),
                code="password_too_short_for_secretariat",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return _("Secretariat accounts need a password of at least %(min_length)d characters.") % {
            "min_length": self.min_length
        }


# -- sessions ---------------------------------------------------------------------------------
# The session key holding when a secretariat session was last renewed (a Unix time); only
# secretariat sessions have it.
RENEWED_AT = "bp_secretariat_renewed_at"
# Renewing means saving the session: at most once a minute, not on every request (the idle
# limit is then met within a minute).
RENEWAL_RESOLUTION = 60


def secretariat_session_start(sender, request, user, **kwargs):
    """At sign-in, a secretariat session is given the idle limit instead of Django's
    two-week SESSION_COOKIE_AGE (delegates keep that)."""
    if request is None or not is_secretariat_user(user):
        return
    request.session.set_expiry(settings.SECRETARIAT_SESSION_IDLE_SECONDS)
    request.session[RENEWED_AT] = time.time()


class SecretariatIdleSessionMiddleware:
    """Ends a secretariat session unused for SECRETARIAT_SESSION_IDLE_SECONDS, and renews it
    on every other request. The session's own expiry (set at sign-in) makes the cookie and the
    stored session end at the same time; the check here makes the limit hold whatever the
    session engine does with expiry dates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        renewed_at = request.session.get(RENEWED_AT)
        if renewed_at is not None:
            idle = time.time() - renewed_at
            if idle > settings.SECRETARIAT_SESSION_IDLE_SECONDS:
                logout(request)
            elif idle >= RENEWAL_RESOLUTION:
                # A changed session is saved, and saving moves its expiry on.
                request.session[RENEWED_AT] = time.time()
        return self.get_response(request)


def sign_out_everywhere(*, user, password: str) -> None:
    """End every session of `user`, in every browser. Each session carries a hash derived
    from the stored password hash, and Django discards a session whose hash no longer matches
    (as it does after a password change); hashing the same password again with a new salt
    changes that hash. So it works with any session engine and costs one hashing, at the
    price of asking for the password, which the caller has checked (through `authenticate`,
    so wrong guesses count as failed sign-ins). Password-reset links sent earlier stop working
    too, for the same reason."""
    user.set_password(password)
    user.save(update_fields=["password"])
    log.info("%s signed out everywhere", user.get_username())


def connect_sign_in_receivers():
    user_logged_in.connect(sign_in_succeeded, dispatch_uid="bpdialogue.sign_in_succeeded")
    user_logged_in.connect(
        secretariat_session_start, dispatch_uid="bpdialogue.secretariat_session_start"
    )
