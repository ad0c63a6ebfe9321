"""`Authorization: Bearer <key>` for partners; the browsable pages keep session login."""

from __future__ import annotations

import datetime
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache as django_cache
from django.db import connections
from django.utils import timezone
from rest_framework import authentication, exceptions

from bpdialogue import representations
from bpdialogue.models import ApiKey

from .errors import TooManyInvalidKeys
from .throttling import InvalidKeyThrottle, PartnerRateThrottle

# last_used_at is for the secretariat's overview, not an audit log: writing it at most once
# a minute keeps a busy partner from turning every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
# Keys are cached by their prefix next to the value of the keys' change counter they were read
# at (bpdialogue.representations bumps it at every write of the table): a key revoked, expired
# or changed is read again at the next request.
KEY_ENTRY = "api:key:{prefix}"
KEY_ENTRY_SECONDS = 300


@cache
def _key_query(alias: str):
    """The SQL of looking a key up by its prefix, compiled once per database: building it
    through the ORM on every request cost more than the rest of a cached answer."""
    query = ApiKey.objects.using(alias).filter(prefix="").order_by("pk")[:1].query
    compiler = query.get_compiler(alias)
    sql, params = compiler.as_sql()
    assert len(params) == 1, "the prefix is the query's only parameter"
    converters = compiler.get_converters([column for column, _, _ in compiler.select])
    names = [field.attname for field in ApiKey._meta.concrete_fields]
    return sql, compiler, converters, names


def key_by_prefix(prefix: str) -> ApiKey | None:
    """`ApiKey.objects.filter(prefix=prefix).first()`, without compiling it each time."""
    alias = "default"
    sql, compiler, converters, names = _key_query(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = next(iter(compiler.apply_converters([row], converters)))
    return ApiKey.from_db(alias, names, row)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, key = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        throttle = InvalidKeyThrottle(request)
        parts = ApiKey.split(key)
        # One round trip for the address's lock, the key and the key's rate history.
        wanted = [throttle.locked_key, representations.KEYS_COUNTER_KEY]
        if parts:
            entry = KEY_ENTRY.format(prefix=parts[0])
            history = PartnerRateThrottle.history_key(PartnerRateThrottle.key_ident(parts[0]))
            wanted += [entry, history]
        found = django_cache.get_many(wanted)
        wait = throttle.wait(found.get(throttle.locked_key))
        if wait:
            raise TooManyInvalidKeys(wait)
        api_key = counter = None
        if parts:
            api_key, counter = self.key_by_prefix(parts[0], entry, found)
            request._bp_throttle_history = (history, found.get(history, []))
        if api_key is None or not api_key.matches(parts[1]):
            throttle.failed()
            raise exceptions.AuthenticationFailed("The API key is not valid.")
        if not api_key.is_usable:
            raise exceptions.AuthenticationFailed("The API key has expired or was revoked.")
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
            api_key.last_used_at = now
            if counter is not None:
                # Cached as now stored, if this update was the only write since it was read
                # (the update itself bumped the counter once).
                after = django_cache.get(representations.KEYS_COUNTER_KEY)
                counter = after if after == counter + 1 else None
        if counter is not None:
            django_cache.set(entry, (counter, api_key), timeout=KEY_ENTRY_SECONDS)
        return AnonymousUser(), api_key

    @staticmethod
    def key_by_prefix(prefix: str, entry: str, found: dict) -> tuple[ApiKey | None, int | None]:
        """The key from the cache if it was stored at the current keys' counter (then no
        counter: nothing to store), else from the database with the counter read before."""
        counter = found.get(representations.KEYS_COUNTER_KEY)
        cached = found.get(entry)
        if counter is not None and cached is not None and cached[0] == counter:
            return cached[1], None
        if counter is None:
            counter = representations.change_counter(representations.KEYS_COUNTER_KEY)
        return key_by_prefix(prefix), counter

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
