"""Requests per key (or per user, or per address for anonymous callers) and the rate-limit
headers that tell a partner how much is left (`X-RateLimit-Limit`, `-Remaining`, `-Reset`)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from bpdialogue.models import ApiKey


class PartnerRateThrottle(SimpleRateThrottle):
    """Rates from REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']: 'key' for API keys, 'user' for
    sessions, 'anon' for everyone else."""

    def get_rate(self):
        # The rate depends on the caller, so it is chosen in allow_request.
        return None

    def allow_request(self, request, view):
        auth = getattr(request, "auth", None)
        if isinstance(auth, ApiKey):
            # The prefix, not the pk: ids of deleted keys come back, prefixes never do.
            self.scope, ident = "key", f"key:{auth.prefix}"
        elif request.user.is_authenticated:
            self.scope, ident = "user", f"user:{request.user.pk}"
        else:
            self.scope, ident = "anon", f"anon:{self.get_ident(request)}"
        # Read on each request (not at import) so changed settings take effect.
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.ident = ident
        allowed = super().allow_request(request, view)
        # finalize_response turns this into headers on every answer, 429 included.
        request._bp_rate_limit = {
            "X-RateLimit-Limit": str(self.num_requests),
            "X-RateLimit-Remaining": str(max(self.num_requests - len(self.history), 0)),
            "X-RateLimit-Reset": str(int(self.reset_in())),
        }
        return allowed

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": "api", "ident": self.ident}

    def reset_in(self) -> float:
        """Seconds until the oldest counted request leaves the window."""
        if not self.history:
            return 0
        return max(self.history[-1] + self.duration - self.now, 0)
