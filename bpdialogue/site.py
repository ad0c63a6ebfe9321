"""Where the site is reached, for links in e-mails.

`SITE_URL` says it when set (production: the worker sends e-mails outside any request, and
behind a proxy only the operator knows the public address; `check --deploy` warns when it is
missing). Unset, a link follows the address the site is being served on: the request's own
origin when there is a request, else the origin of the last request this process served (under
`make run` tasks run eagerly inside that request), so `make run` on another host or port still
writes links that work."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.core.exceptions import DisallowedHost

FALLBACK = "http://127.0.0.1:8000"
_last_seen_origin = ""


def request_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def site_url(request=None) -> str:
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is not None:
        return request_origin(request)
    return _last_seen_origin or FALLBACK


class SiteOriginMiddleware:
    """Remembers the origin requests come in on, for links written outside a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _last_seen_origin
        if not settings.SITE_URL:
            try:
                _last_seen_origin = request_origin(request)
            except DisallowedHost:  # CommonMiddleware answers it
                pass
        return self.get_response(request)


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    if settings.SITE_URL:
        return []
    return [
        Warning(
            "SITE_URL is not set: links in e-mails sent by the Celery worker would point to "
            f"{FALLBACK}.",
            hint="Set SITE_URL to the public address, e.g. https://dialogue.example.org.",
            id="bpdialogue.W001",
        )
    ]
