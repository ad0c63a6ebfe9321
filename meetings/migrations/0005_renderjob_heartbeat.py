from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_document_revision_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="renderjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="renderjob",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Running"),
                    ("retrying", "Retrying"),
                    ("succeeded", "Succeeded"),
                    ("failed", "Failed"),
                ],
                default="queued",
                max_length=20,
            ),
        ),
    ]
