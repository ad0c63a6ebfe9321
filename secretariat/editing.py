"""Saving an edit form without losing anybody's work.

Every edit form carries the `version` it was loaded at. Saving goes through the service that
owns the object; when someone else saved in between, nothing is written and the editor sees
who saved which item and when, and, field by field, what is stored now ("theirs") next to
what they typed ("yours"), with the form ready to save their version again on top of the new
one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext

from bpdialogue.models import VersionConflict
from bpdialogue.translations import authoritative_language, text_in, translated_fields
from meetings.models import chosen_participants, keeps_chosen_order


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "authoritative_language" in self.fields:
            # Posted without it (a page or a script from before it existed), a record keeps
            # its language and a new one takes the site's.
            self.fields["authoritative_language"].required = False
        if self.instance.pk:
            self.fields["version"].required = True
            self.initial.setdefault("version", self.instance.version)
            # A translated field is edited in its original: the form must not offer the
            # translation of the editor's language (what it would read) for saving as it.
            self.initial.update(originals(self.instance, self.fields))

    def clean_authoritative_language(self):
        return self.cleaned_data.get("authoritative_language") or (
            self.instance.authoritative_language
        )


def originals(instance: models.Model, names) -> dict[str, str]:
    """The original text (the authoritative language's) of each translated field in `names`."""
    source = authoritative_language(instance)
    return {
        name: text_in(instance, name, source)
        for name in translated_fields(instance)
        if name in names
    }


@dataclass(frozen=True)
class Change:
    label: str
    theirs: str
    yours: str


@dataclass(frozen=True)
class Conflict:
    """Someone saved `what` after the editor loaded it: who, when, and what differs."""

    what: str
    saved_by: str
    saved_at: datetime.datetime | None
    changes: list[Change] = field(default_factory=list)


def conflict_with(current: models.Model, changes: list[Change] = ()) -> Conflict:
    """The conflict with `current`, the stored row, as its change history tells who saved it."""
    last = current.history.first() if hasattr(current, "history") else None
    who = last.history_user if last is not None else None
    meta = current._meta
    return Conflict(
        what=f"{meta.verbose_name.capitalize()} “{str(current)[:80]}”",
        saved_by=who.get_username() if who is not None else gettext("someone (no user recorded)"),
        saved_at=last.history_date if last is not None else None,
        changes=list(changes),
    )


def _comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, tuple):  # a list whose order counts (presenters, speakers, ...)
        return tuple(item.pk if isinstance(item, models.Model) else item for item in value)
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return frozenset(item.pk if isinstance(item, models.Model) else item for item in value)
    if value in (None, ""):
        return None
    return value


def _shown(field: forms.Field, value) -> str:
    choices = {}
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = {str(key): label for key, label in field.choices}
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return ", ".join(str(choices.get(str(item), item)) for item in value) or "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if value in (None, ""):
        return "—"
    return str(choices.get(str(value), value))


def changes_between(form: forms.Form, theirs: dict) -> list[Change]:
    """The fields where `theirs` (field name → stored value) differs from what the editor
    submitted in `form`."""
    changes = []
    for name, form_field in form.fields.items():
        if name == "version" or name not in theirs:
            continue
        yours = form.cleaned_data.get(name)
        if isinstance(theirs[name], tuple):
            yours = tuple(yours or ())
        if _comparable(theirs[name]) != _comparable(yours):
            changes.append(
                Change(
                    str(form[name].label),
                    _shown(form_field, theirs[name]),
                    _shown(form_field, yours),
                )
            )
    return changes


def conflicting_changes(form: forms.ModelForm, current: models.Model) -> list[Change]:
    """The fields where the stored object now differs from what the editor submitted (the
    model's fields: a form's own, such as a note on a status change, are not stored there)."""
    stored = {field.name for field in current._meta.get_fields()}
    translated = originals(current, form.fields)
    theirs = {}
    for name in form.fields:
        if name != "version" and name in stored and keeps_chosen_order(current, name):
            theirs[name] = tuple(chosen_participants(current, name))
        elif name in translated:
            theirs[name] = translated[name]
        elif name != "version" and name in stored:
            value = getattr(current, name)
            theirs[name] = list(value.all()) if hasattr(value, "all") else value  # M2M manager
    return changes_between(form, theirs)


def form_changes(form: forms.ModelForm) -> dict:
    """What the form says of the model's fields, for a service to apply."""
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name in form.cleaned_data and name != "version"
    }


def _stored(model, pk):
    found = model._base_manager.filter(pk=pk).first()
    if found is None:
        raise Http404(f"This {model._meta.verbose_name} was deleted meanwhile.")
    return found


def save_versioned(
    form: VersionedForm, *, update, by
) -> tuple[VersionedForm | None, Conflict | None]:
    """Save a valid form through `update`, the service that owns the object
    (`update(obj, expected_version, changes, by)`). Returns (None, None) on success; (the same
    form with the service's errors at their fields, None) when a rule refuses the change; or
    (fresh form, conflict) when someone else saved first: the fresh form holds the editor's
    input at the stored version, so submitting it again reapplies their edit knowingly."""
    # The form wrote the input onto its instance; the service compares with the stored row.
    obj = _stored(type(form.instance), form.instance.pk)
    try:
        update(obj, form.cleaned_data["version"], form_changes(form), by)
    except VersionConflict:
        current = _stored(type(obj), obj.pk)
        conflict = conflict_with(current, conflicting_changes(form, current))
        data = form.data.copy()
        data[form.add_prefix("version")] = current.version
        return type(form)(data, instance=current, prefix=form.prefix), conflict
    except ValidationError as error:
        apply_errors(form, error)
        return form, None
    return None, None


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, at the fields it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
