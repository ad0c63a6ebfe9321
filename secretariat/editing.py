"""Saving an edit form without losing anybody's work.

Every edit form carries the `version` it was loaded at. Saving goes through
`VersionedModel.save_checked`; when someone else saved in between, nothing is written and the
editor sees, field by field, what is stored now ("theirs") next to what they typed ("yours"),
with the form ready to save their version again on top of the new one."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from bpdialogue.models import VersionConflict


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].required = True
            self.initial.setdefault("version", self.instance.version)


@dataclass(frozen=True)
class Change:
    label: str
    theirs: str
    yours: str


def _comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return frozenset(item.pk if isinstance(item, models.Model) else item for item in value)
    if value in (None, ""):
        return None
    return value


def _shown(field: forms.Field, value) -> str:
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return ", ".join(str(item) for item in value) or "—"
    if value in (None, ""):
        return "—"
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
        field, forms.ModelChoiceField
    ):
        return str(dict(field.choices).get(value, value))
    return str(value)


def conflicting_changes(form: forms.ModelForm, current: models.Model) -> list[Change]:
    """The fields where the stored object now differs from what the editor submitted."""
    changes = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        theirs = getattr(current, name)
        if hasattr(theirs, "all"):  # a many-to-many manager
            theirs = list(theirs.all())
        yours = form.cleaned_data.get(name)
        if _comparable(theirs) != _comparable(yours):
            changes.append(Change(str(field.label), _shown(field, theirs), _shown(field, yours)))
    return changes


def form_changes(form: forms.ModelForm) -> dict:
    """What the form says of the model's fields, for a service to apply."""
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name in form.cleaned_data and name != "version"
    }


def save_versioned(form: VersionedForm, *, update, by):
    """Save a valid form through `update`, the service that owns the object
    (`update(obj, expected_version, changes, by)`). Returns (None, []) on success; (the same
    form with the service's errors at their fields, []) when a rule refuses the change; or
    (fresh form, changes) when someone else saved first: the fresh form holds the editor's
    input at the stored version, so submitting it again reapplies their edit knowingly."""
    # The form wrote the input onto its instance; the service compares with the stored row.
    obj = type(form.instance)._base_manager.get(pk=form.instance.pk)
    try:
        update(obj, form.cleaned_data["version"], form_changes(form), by)
    except VersionConflict:
        current = type(obj)._base_manager.get(pk=obj.pk)
        changes = conflicting_changes(form, current)
        data = form.data.copy()
        data[form.add_prefix("version")] = current.version
        return type(form)(data, instance=current, prefix=form.prefix), changes
    except ValidationError as error:
        apply_errors(form, error)
        return form, []
    return None, []


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, at the fields it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
