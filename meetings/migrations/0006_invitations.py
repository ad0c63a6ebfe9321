import bpdialogue.constraints
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


def delegates_to_registrations(apps, schema_editor):
    """A delegation's people become its confirmed registrations, as they would be now."""
    Delegation = apps.get_model("meetings", "Delegation")
    Registration = apps.get_model("meetings", "Registration")
    Registration.objects.bulk_create(
        [
            Registration(
                meeting_id=delegation.meeting_id,
                participant_id=delegation.participant_id,
                person=person,
                position=person.position,
                status="confirmed",
            )
            for delegation in Delegation.objects.prefetch_related("delegates")
            for person in delegation.delegates.all()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_renderjob_heartbeat"),
        ("participants", "0002_people_focal_points_retirement"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InvitationDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True, db_index=True)),
                ("email", models.EmailField(max_length=254)),
                ("key", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=20,
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=500)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["invitation", "participant__kind", "participant__sort_name", "email"],
            },
        ),
        migrations.CreateModel(
            name="InvitationRound",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True, db_index=True)),
                ("subject", models.CharField(max_length=250)),
                ("text", models.TextField(max_length=20000)),
                ("agenda_pdf", models.FileField(blank=True, upload_to="invitations/%Y/")),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
        migrations.RunPython(delegates_to_registrations, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="historicaldelegation_delegates",
            name="delegation",
        ),
        migrations.RemoveField(
            model_name="historicaldelegation_delegates",
            name="history",
        ),
        migrations.RemoveField(
            model_name="historicaldelegation_delegates",
            name="person",
        ),
        migrations.RemoveField(
            model_name="delegation",
            name="delegates",
        ),
        migrations.AddField(
            model_name="delegation",
            name="headcount_note",
            field=models.CharField(
                blank=True,
                help_text="Why the headcount is set by hand; empty means it counts the confirmed registrations.",
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="historicaldelegation",
            name="headcount_note",
            field=models.CharField(
                blank=True,
                help_text="Why the headcount is set by hand; empty means it counts the confirmed registrations.",
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="invitationdelivery",
            name="focal_point",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="invitations",
                to="participants.person",
            ),
        ),
        migrations.AddField(
            model_name="invitationdelivery",
            name="participant",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="participants.participant",
            ),
        ),
        migrations.AddField(
            model_name="invitationround",
            name="meeting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="invitations",
                to="meetings.meeting",
            ),
        ),
        migrations.AddField(
            model_name="invitationround",
            name="sent_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="invitationdelivery",
            name="invitation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deliveries",
                to="meetings.invitationround",
            ),
        ),
        migrations.DeleteModel(
            name="HistoricalDelegation_delegates",
        ),
        migrations.AddConstraint(
            model_name="invitationdelivery",
            constraint=bpdialogue.constraints.UniqueConstraint(
                field="focal_point",
                fields=("invitation", "focal_point"),
                name="invitation_once_per_focal_point",
                violation_error_message="%(focal_point)s is already invited in this round.",
            ),
        ),
    ]
