import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import bpdialogue.constraints

STATUS = [
    ("open", "Open"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("dropped", "Dropped"),
]


def stamps():
    return [
        (
            "id",
            models.BigAutoField(
                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
            ),
        ),
        ("uid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
        ("created_at", models.DateTimeField(auto_now_add=True)),
        ("updated_at", models.DateTimeField(auto_now=True, db_index=True)),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0009_summary_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ConclusionReference",
            fields=[
                *stamps(),
                (
                    "relation",
                    models.CharField(
                        choices=[
                            ("confirms", "confirms"),
                            ("amends", "amends"),
                            ("supersedes", "supersedes"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "conclusion",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="references",
                        to="meetings.conclusion",
                    ),
                ),
                (
                    "earlier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="referred_by",
                        to="meetings.conclusion",
                        verbose_name="earlier conclusion",
                    ),
                ),
            ],
            options={
                "ordering": ["conclusion", "earlier__meeting__start_date", "earlier__position"],
                "constraints": [
                    bpdialogue.constraints.UniqueConstraint(
                        fields=("conclusion", "earlier"),
                        name="conclusionreference_once",
                        field="earlier",
                        violation_error_message="This conclusion already refers to that one.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ActionPointStatusChange",
            fields=[
                *stamps(),
                ("from_status", models.CharField(choices=STATUS, max_length=20)),
                ("to_status", models.CharField(choices=STATUS, max_length=20)),
                ("note", models.TextField(blank=True, max_length=2000)),
                (
                    "action_point",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="status_changes",
                        to="meetings.actionpoint",
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["action_point", "created_at", "id"]},
        ),
        migrations.CreateModel(
            name="ActionPointReminder",
            fields=[
                *stamps(),
                (
                    "stage",
                    models.CharField(
                        choices=[("due_soon", "Due soon"), ("overdue", "Overdue")], max_length=20
                    ),
                ),
                ("due_date", models.DateField()),
                ("recipient_count", models.PositiveIntegerField(default=0)),
                (
                    "action_point",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="meetings.actionpoint",
                    ),
                ),
            ],
            options={
                "ordering": ["action_point", "created_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("action_point", "stage", "due_date"),
                        name="actionpointreminder_once_per_stage",
                        violation_error_message="The focal points were already reminded at "
                        "this stage.",
                    )
                ],
            },
        ),
    ]
