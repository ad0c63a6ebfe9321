"""The workspace's one gate: every view under /secretariat/ is wrapped in `secretariat_only`."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from bpdialogue.access import policy_for


def secretariat_only(view):
    """Anonymous visitors are sent to sign in; signed-in users outside the secretariat get 403
    before anything is looked up, so the answer tells them nothing about what exists."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # The policy cached on the user: the two-factor check asked it first.
        if not policy_for(request.user).is_secretariat:
            raise PermissionDenied(gettext("The workspace is for the secretariat."))
        return view(request, *args, **kwargs)

    return wrapped
