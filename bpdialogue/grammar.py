"""The grammar a document needs beyond English: a noun agreeing with a number, the case a name
takes inside a sentence, and the word that joins a list, per language.

English needs none of it (bpdialogue/text.py writes its lists and plurals). Russian declines
names: "из 22 стран – Афганистана, Австралии, …" puts every country in the genitive, which
cannot be derived reliably from the nominative ("Нидерланды" → "Нидерландов", "Бангладеш"
stays "Бангладеш"), so each dated name stores the forms a sentence needs
(`ParticipantName.forms`, validated here) and a missing one falls back to the nominative.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .text import join_names

# The cases a dated name may store, per language; the nominative is the name itself. A
# language that declines no names (English) stores none. A third language with cases adds
# its line here.
NAME_CASES: dict[str, tuple[str, ...]] = {
    "ru": ("genitive", "dative", "accusative", "instrumental", "prepositional"),
}
# A form is a name, as long as the longest name field (prose_name).
FORM_MAX_LENGTH = 250
# The word before a list's last name: "A, B и C".
CONJUNCTIONS = {"en": "and", "ru": "и"}


def base_language(language: str | None = None) -> str:
    """'ru' for 'ru', 'ru-ru' or the active Russian; the default language when none is active."""
    return (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def validate_name_forms(value) -> None:
    """`{"ru": {"genitive": "Афганистана"}}`: languages of LANGUAGES that decline names, their
    known cases, each a non-empty name of at most FORM_MAX_LENGTH characters."""
    if not isinstance(value, dict):
        raise ValidationError(
            _('Case forms are an object by language, e.g. {"ru": {"genitive": "Афганистана"}}.'),
            code="invalid",
        )
    languages = {code for code, _name in settings.LANGUAGES}
    errors = []
    for language, forms in value.items():
        cases = NAME_CASES.get(language) if language in languages else None
        if cases is None:
            declining = ", ".join(sorted(set(NAME_CASES) & languages))
            errors.append(
                ValidationError(
                    _("%(language)r: case forms are kept for %(languages)s only."),
                    code="invalid_language",
                    params={"language": language, "languages": declining},
                )
            )
            continue
        if not isinstance(forms, dict):
            errors.append(
                ValidationError(
                    _('%(language)s: the forms are an object by case, e.g. {"genitive": …}.'),
                    code="invalid",
                    params={"language": language},
                )
            )
            continue
        for case, form in forms.items():
            if case not in cases:
                errors.append(
                    ValidationError(
                        _("%(language)s: unknown case %(case)r (known: %(cases)s)."),
                        code="invalid_case",
                        params={"language": language, "case": case, "cases": ", ".join(cases)},
                    )
                )
            elif not isinstance(form, str) or not form.strip():
                errors.append(
                    ValidationError(
                        _("%(language)s %(case)s: the form is a non-empty text."),
                        code="invalid",
                        params={"language": language, "case": case},
                    )
                )
            elif len(form) > FORM_MAX_LENGTH:
                errors.append(
                    ValidationError(
                        _("%(language)s %(case)s: at most %(limit)s characters."),
                        code="max_length",
                        params={"language": language, "case": case, "limit": FORM_MAX_LENGTH},
                    )
                )
    if errors:
        raise ValidationError(errors)


def name_form(forms: dict, case: str, language: str | None = None) -> str:
    """The stored form of a name in `case` for `language` (the active one), '' when missing."""
    return ((forms or {}).get(base_language(language)) or {}).get(case, "").strip()


def russian_plural(count: int, one: str, few: str, many: str) -> str:
    """The noun agreeing with `count`: one for 1, 21, 101 (not 11); few for 2–4, 22–24 (not
    12–14); many for the rest (0, 5–20, 25–30). For a noun after a genitive numeral ("из 1
    страны", "из 22 стран") pass the genitive plural as both few and many."""
    last_two = abs(count) % 100
    last = last_two % 10
    if 11 <= last_two <= 14:
        return many
    if last == 1:
        return one
    if 2 <= last <= 4:
        return few
    return many


def russian_count(count: int, one: str, few: str, many: str) -> str:
    """'1 участник', '2 участника', '5 участников'."""
    return f"{count} {russian_plural(count, one, few, many)}"


def join_in_language(names: list[str], language: str | None = None) -> str:
    """'A, B and C' in English, 'A, B и C' in Russian."""
    return join_names(names, CONJUNCTIONS.get(base_language(language), CONJUNCTIONS["en"]))


# A language as a sentence names the language a text is in ("the authentic text is in
# English" / "… — на английском языке"): one line per language of LANGUAGES.
TEXT_IN_LANGUAGE = {
    "en": pgettext_lazy("the authentic text is …", "in English"),
    "ru": pgettext_lazy("the authentic text is …", "in Russian"),
}


def text_in_language(language: str) -> str:
    """'in English' in the active language ('на английском языке'); the language's own name
    for a language without its phrase here."""
    phrase = TEXT_IN_LANGUAGE.get(base_language(language))
    if phrase is not None:
        return str(phrase)
    return dict(settings.LANGUAGES).get(language, language)
