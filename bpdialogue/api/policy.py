"""The access policy of the caller of an API request: their key's, or their user's."""

from bpdialogue.access import AccessPolicy, policy_for
from bpdialogue.models import ApiKey


def request_policy(request) -> AccessPolicy:
    cached = getattr(request, "_bp_policy", None)
    if cached is None:
        auth = getattr(request, "auth", None)
        cached = policy_for(auth if isinstance(auth, ApiKey) else request.user)
        request._bp_policy = cached
    return cached
