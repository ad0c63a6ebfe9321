"""Requests per key (or per user, or per address for anonymous callers) and the rate-limit
headers that tell a partner how much is left (`X-RateLimit-Limit`, `-Remaining`, `-Reset`);
and the count of invalid keys per address, which stops a caller guessing them."""

import math
import time

from axes.helpers import get_cool_off
from django.conf import settings
from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from bpdialogue.models import ApiKey
from bpdialogue.signin import client_address


class PartnerRateThrottle(SimpleRateThrottle):
    """Rates from REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']: 'key' for API keys, 'user' for
    sessions, 'anon' for everyone else."""

    def get_rate(self):
        # The rate depends on the caller, so it is chosen in allow_request.
        return None

    def allow_request(self, request, view):
        auth = getattr(request, "auth", None)
        if isinstance(auth, ApiKey):
            self.scope, ident = "key", self.key_ident(auth.prefix)
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
        allowed = self._allow(request, view)
        # finalize_response turns this into headers on every answer, 429 included.
        request._bp_rate_limit = {
            "X-RateLimit-Limit": str(self.num_requests),
            "X-RateLimit-Remaining": str(max(self.num_requests - len(self.history), 0)),
            "X-RateLimit-Reset": str(int(self.reset_in())),
        }
        return allowed

    def _allow(self, request, view) -> bool:
        """SimpleRateThrottle.allow_request, with the history read by the key's authentication
        in the same round trip as the key itself when it was (`prefetch_history`)."""
        self.key = self.get_cache_key(request, view)
        prefetched = getattr(request, "_bp_throttle_history", None)
        if prefetched is not None and prefetched[0] == self.key:
            self.history = list(prefetched[1])
        else:
            self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    @classmethod
    def history_key(cls, ident: str) -> str:
        return cls.cache_format % {"scope": "api", "ident": ident}

    @classmethod
    def key_ident(cls, prefix: str) -> str:
        # The prefix, not the pk: ids of deleted keys come back, prefixes never do.
        return f"key:{prefix}"

    def get_cache_key(self, request, view):
        return self.history_key(self.ident)

    def reset_in(self) -> float:
        """Seconds until the oldest counted request leaves the window."""
        if not self.history:
            return 0
        return max(self.history[-1] + self.duration - self.now, 0)


UNREAD = object()


class InvalidKeyThrottle:
    """Invalid API keys from one address, counted as failed sign-ins are (the same
    AXES_FAILURE_LIMIT and cool-off): once the limit is reached the address is refused for the
    cool-off before any key it sends is looked up. Counted in the cache, as the rates are: a
    fixed window from the first failure, and an outage of the cache counts nothing."""

    def __init__(self, request):
        address = client_address(request)
        self.failures_key = f"api:invalid-keys:{address}"
        self.locked_key = f"api:invalid-keys-locked:{address}"

    def wait(self, until=UNREAD) -> int:
        """Seconds the address must still wait (0: it may try); `until` as read from the
        cache already, when it was."""
        if until is UNREAD:
            until = cache.get(self.locked_key)
        return max(math.ceil(until - time.time()), 0) if until else 0

    def failed(self) -> None:
        cool_off = int(get_cool_off().total_seconds())
        cache.add(self.failures_key, 0, timeout=cool_off)
        try:
            failures = cache.incr(self.failures_key)
        except ValueError:  # the window ended between add and incr
            failures = 1
            cache.set(self.failures_key, failures, timeout=cool_off)
        # None: the cache is unreachable (django-redis ignores the error), nothing is counted.
        if failures is not None and failures >= settings.AXES_FAILURE_LIMIT:
            cache.set(self.locked_key, time.time() + cool_off, timeout=cool_off)
            cache.delete(self.failures_key)
