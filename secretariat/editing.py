"""Saving an edit form without losing anybody's work.

Every edit form carries the `version` it was loaded at. Saving goes through
`VersionedModel.save_checked`; when someone else saved in between, nothing is written and the
editor sees, field by field, what is stored now ("theirs") next to what they typed ("yours"),
with the form ready to save their version again on top of the new one."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import models, transaction

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


def save_versioned(form: VersionedForm):
    """Save a valid form. Returns (None, []) on success, or (fresh form, changes) when someone
    else saved first: the fresh form holds the editor's input at the stored version, so
    submitting it again reapplies their edit knowingly."""
    obj = form.save(commit=False)
    try:
        with transaction.atomic():
            obj.save_checked(expected_version=form.cleaned_data["version"])
            form.save_m2m()
    except VersionConflict:
        current = type(obj)._base_manager.get(pk=obj.pk)
        changes = conflicting_changes(form, current)
        data = form.data.copy()
        data[form.add_prefix("version")] = current.version
        return type(form)(data, instance=current, prefix=form.prefix), changes
    return None, []
