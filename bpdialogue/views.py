"""Site-wide pages that belong to no one app: search."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import search as search_module


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    participant = forms.CharField(
        label=_("Said or done by"),
        required=False,
        max_length=100,
        help_text=_("A state or organisation, e.g. Iran or IOM."),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Everything")), *search_module.KINDS]
    )

    def clean_participant(self):
        term = self.cleaned_data["participant"]
        if not term:
            return None
        participant = search_module.search_participant(term)
        if participant is None:
            raise forms.ValidationError(
                _("No state or organisation matches “%(term)s”."), params={"term": term}
            )
        return participant


def search(request):
    form = SearchForm(request.GET or None)
    hits, searched = [], False
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["participant"]):
        searched = True
        hits = search_module.search(
            viewer=request.user,
            query=form.cleaned_data["q"],
            year=form.cleaned_data["year"],
            participant=form.cleaned_data["participant"],
            kind=form.cleaned_data["kind"],
        )
    return render(
        request,
        "search.html",
        {
            "form": form,
            "hits": hits,
            "searched": searched,
            "search_query": request.GET.get("q", ""),
        },
    )
