"""`Authorization: Bearer <key>` for partners; the browsable pages keep session login."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from bpdialogue.models import ApiKey

from .errors import TooManyInvalidKeys
from .throttling import InvalidKeyThrottle

# last_used_at is for the secretariat's overview, not an audit log: writing it at most once
# a minute keeps a busy partner from turning every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


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
        api_key = ApiKey.objects.filter(prefix=parts[0]).first() if parts else None
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
