"""Filters every list shares: incremental sync (`modified_since`, `modified_until`,
`created_since`) and free text (`q`)."""

import datetime

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from .. import search as text_search
from .pagination import SYNC_FIELD


class BoundedIsoDateTimeField(IsoDateTimeField):
    """ISO 8601 times that also exist in UTC: '0001-01-01T00:00+01:00' does not, and would
    otherwise fail deep in the database adapter instead of as a 400."""

    def to_python(self, value):
        try:
            result = super().to_python(value)
            if result is not None:
                # In UTC: PostgreSQL refuses offsets beyond ±16 hours that Python accepts.
                result = result.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(
                "Not a time that can be compared.", code="invalid"
            ) from error
        return result


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class SyncFilterSet(django_filters.FilterSet):
    # The fields `q` searches, in each subclass.
    search_fields: tuple[str, ...] = ()

    modified_since = DateTimeFilter(
        field_name=SYNC_FIELD,
        lookup_expr="gte",
        label="Records changed at or after this time (ISO 8601). For records of a meeting's "
        "record, publishing the record counts as a change.",
    )
    modified_until = DateTimeFilter(
        field_name=SYNC_FIELD, lookup_expr="lte", label="Records changed at or before this time."
    )
    created_since = DateTimeFilter(
        field_name="created_at", lookup_expr="gte", label="Records created at or after this time."
    )
    q = django_filters.CharFilter(
        method="search",
        label="Free text, matched in the main texts as the portal's search matches them: "
        "every word, in any language, in any of its forms; a participant's name stands for "
        "every name it has had.",
    )

    def search(self, queryset, name, value):
        # The portal's search decides what matches (bpdialogue/search.py), on the stored
        # vectors where the table has one; the list keeps its own order and paging.
        if not self.search_fields:
            return queryset
        matched = text_search.matching(queryset, text_search.parse_query(value), self.search_fields)
        return matched.distinct() if any("__" in f for f in self.search_fields) else matched


def uid_filter(field_name: str, label: str) -> django_filters.UUIDFilter:
    """A filter on a related record given by its public id."""
    return django_filters.UUIDFilter(field_name=f"{field_name}__uid", label=label)


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class YearFilter(django_filters.NumberFilter):
    # Whole years the calendar can hold: a `__year` lookup outside them raises, not filters.
    field_class = forms.IntegerField

    def __init__(self, field_name: str, label: str = "Calendar year, e.g. 2016."):
        super().__init__(field_name=f"{field_name}__year", label=label, min_value=1, max_value=9999)
