"""The reader's language: in the URL for the pages, negotiated for everything else.

The portal's and the workspace's pages sit under `i18n_patterns` without a prefix for the
default language: English at `/meetings/…`, Russian at `/ru/meetings/…`, so a link or a search
engine keeps the language a page is in. Django's LocaleMiddleware then reads every path
without a prefix as English, the API's and the feeds' included; those are not pages in a
language (one URL answers each caller in the language it asks for: the API's `?lang=` and
`Accept-Language`, a feed's subscriber's browser), so for them `LanguageMiddleware` keeps
Django's usual negotiation (language cookie, then `Accept-Language`, then `LANGUAGE_CODE`).
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import LocalePrefixPattern, URLResolver, get_resolver, translate_url
from django.utils import translation


@cache
def _unprefixed_patterns(urlconf: str) -> tuple:
    """The top-level patterns of the URL map outside `i18n_patterns`."""
    return tuple(
        pattern
        for pattern in get_resolver(urlconf).url_patterns
        if not (
            isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern)
        )
    )


def is_language_neutral(path: str, urlconf: str | None = None) -> bool:
    """Whether the path belongs to the URL map's part without a language prefix."""
    path = path.removeprefix("/")
    patterns = _unprefixed_patterns(urlconf or settings.ROOT_URLCONF)
    return any(pattern.pattern.match(path) for pattern in patterns)


class LanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware for pages; the usual negotiation for the paths without a prefix."""

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if is_language_neutral(request.path_info, urlconf):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


def language_versions(request) -> list[dict]:
    """The page the request is on in each language: code, local name, absolute URL, whether
    it is the current and the default language (the `x-default` alternate). Paths the
    URL map does not translate (no language prefix) are the same in every language, so they
    get none: an alternate must be another language's version of the page."""
    path = request.get_full_path()
    if is_language_neutral(request.path_info, getattr(request, "urlconf", None)):
        return []
    versions = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        versions.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": request.build_absolute_uri(translate_url(path, code)),
                "current": code == translation.get_language(),
                "default": code == settings.LANGUAGE_CODE,
            }
        )
    # A path the URL map does not resolve (a 404) translates to itself in every language.
    if len({version["url"] for version in versions}) < len(versions):
        return []
    return versions
