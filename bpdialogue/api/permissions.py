from rest_framework import exceptions, permissions

from .policy import request_policy


class PolicyPermission(permissions.BasePermission):
    """Reading is open to everyone (querysets are filtered through the access policy);
    writing needs a key with the `write` scope or a secretariat session."""

    message = "Writing needs an API key with the 'write' scope or a secretariat account."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request_policy(request).can_write:
            return True
        if request.auth is None and not request.user.is_authenticated:
            raise exceptions.NotAuthenticated("Writing needs an API key with the 'write' scope.")
        return False
