"""`Authorization: Bearer <key>` for partners; the browsable pages keep session login."""

from __future__ import annotations

import datetime
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from bpdialogue.models import ApiKey

from .errors import TooManyInvalidKeys
from .throttling import InvalidKeyThrottle

# last_used_at is for the secretariat's overview, not an audit log: writing it at most once
# a minute keeps a busy partner from turning every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


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
        wait = throttle.wait()
        if wait:
            raise TooManyInvalidKeys(wait)
        parts = ApiKey.split(key)
        api_key = key_by_prefix(parts[0]) if parts else None
        if api_key is None or not api_key.matches(parts[1]):
            throttle.failed()
            raise exceptions.AuthenticationFailed("The API key is not valid.")
        if not api_key.is_usable:
            raise exceptions.AuthenticationFailed("The API key has expired or was revoked.")
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return AnonymousUser(), api_key

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key from the secretariat: `Authorization: Bearer bpd_…`. "
            "Scopes: read:public, read:participants, read:personal, write.",
        }
