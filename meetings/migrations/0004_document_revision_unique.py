from django.db import migrations
from django.db.models import Count, Q

import bpdialogue.constraints

SERIES = ("meeting_id", "project_id", "kind", "language", "title")


def renumber_duplicate_revisions(apps, schema_editor):
    """Uploads sent at once could share a revision number before the constraint. The later
    of two rows sharing a number (in the order they were stored) moves up past it, and the
    revisions after it with it; papers without a duplicate keep their numbers."""
    Document = apps.get_model("meetings", "Document")
    uploaded = Document.objects.filter(generated=False)
    duplicated = (
        uploaded.order_by()
        .values(*SERIES, "revision")
        .annotate(rows=Count("id"))
        .filter(rows__gt=1)
        .values_list(*SERIES)
        .distinct()
    )
    for series in duplicated:
        revisions = uploaded.filter(**dict(zip(SERIES, series, strict=True)))
        previous = 0
        for pk, revision in revisions.order_by("revision", "created_at", "pk").values_list(
            "pk", "revision"
        ):
            previous = max(revision, previous + 1)
            if previous != revision:
                Document.objects.filter(pk=pk).update(revision=previous)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_registrations"),
    ]

    operations = [
        migrations.RunPython(renumber_duplicate_revisions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="document",
            constraint=bpdialogue.constraints.UniqueConstraint(
                condition=Q(("generated", False), ("meeting__isnull", False)),
                field="revision",
                fields=("meeting", "kind", "language", "title", "revision"),
                name="document_unique_revision_at_meeting",
                violation_error_message="%(title)s already has a revision %(revision)s; "
                "upload it again to store it as the next one.",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=bpdialogue.constraints.UniqueConstraint(
                condition=Q(("generated", False), ("project__isnull", False)),
                field="revision",
                fields=("project", "kind", "language", "title", "revision"),
                name="document_unique_revision_of_project",
                violation_error_message="%(title)s already has a revision %(revision)s; "
                "upload it again to store it as the next one.",
            ),
        ),
    ]
