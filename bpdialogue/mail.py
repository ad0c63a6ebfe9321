"""The dialogue's own e-mails in the language of each person they go to."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation


def messages_in_their_languages(
    recipients: Iterable[tuple[str, str]], compose: Callable[[], tuple[str, str]]
) -> list[EmailMessage]:
    """One message to each address of `recipients` (address, language), composed by
    `compose()` as (subject, body) once per language with that language active, so its
    wording, the record's translated texts (a missing translation reads as the original), the
    dates and the links (/ru/...) are in it. A language no longer offered reads as the site's.
    One message each, so no one sees who else was written to."""
    offered = dict(settings.LANGUAGES)
    by_language: dict[str, list[str]] = {}
    for address, language in recipients:
        language = language if language in offered else settings.LANGUAGE_CODE
        by_language.setdefault(language, []).append(address)
    messages = []
    for language, addresses in sorted(by_language.items()):
        with translation.override(language):
            subject, body = compose()
        messages += [
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
            for address in addresses
        ]
    return messages
