"""`/api/v1/deletions/?since=`: what was deleted, so a partner's copy can match ours."""

import django_filters
from django.db.models import F
from rest_framework import mixins, serializers

from bpdialogue.deletions import domain_models
from bpdialogue.models import Deletion

from .filters import DateTimeFilter
from .viewsets import ApiGenericViewSet


class DeletionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="object_uid", help_text="The deleted record's uid.")
    model = serializers.CharField(help_text="What it was, e.g. 'meetings.statement'.")

    class Meta:
        model = Deletion
        fields = ["id", "model", "deleted_at"]


class DeletionFilter(django_filters.FilterSet):
    since = DateTimeFilter(
        field_name="deleted_at", lookup_expr="gte", label="Deletions at or after this time."
    )
    until = DateTimeFilter(
        field_name="deleted_at", lookup_expr="lte", label="Deletions at or before this time."
    )
    model = django_filters.ChoiceFilter(
        choices=lambda: [(m._meta.label_lower,) * 2 for m in domain_models()],
        label="Only deletions of this kind of record, e.g. meetings.meeting.",
    )

    class Meta:
        model = Deletion
        fields = []


class DeletionViewSet(mixins.ListModelMixin, ApiGenericViewSet):
    """Records deleted since a time, oldest first; only those you could have seen."""

    queryset = Deletion.objects.all()
    serializer_class = DeletionSerializer
    filterset_class = DeletionFilter

    def visible(self, queryset, policy):
        return policy.deletions(queryset)

    def sync_modified(self):
        return F("deleted_at")
