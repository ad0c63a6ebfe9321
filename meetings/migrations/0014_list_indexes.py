# The portal's lists at full scale (#13): indexes for the orders and filters they use.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0013_translations"),
        ("participants", "0005_dialogue_letterhead"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["start_date", "id"], name="meeting_list_order"),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                condition=models.Q(("visibility", "public")),
                fields=["start_date", "id"],
                name="meeting_public_list_order",
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["kind", "start_date", "id"], name="meeting_kind_list_order"),
        ),
        migrations.AddIndex(
            model_name="statementspeaker",
            index=models.Index(fields=["participant", "statement"], name="speaker_statements"),
        ),
        migrations.AddIndex(
            model_name="delegation",
            index=models.Index(fields=["participant", "meeting"], name="delegation_by_participant"),
        ),
    ]
