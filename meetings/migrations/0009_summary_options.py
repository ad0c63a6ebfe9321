from django.db import migrations, models

FIELD = dict(
    default=False,
    help_text="A table after the conclusions: what is to be done, by whom, by when, where.",
    verbose_name="Print the action points in the Summary/conclusions",
)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0008_agenda_times"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting", name="summary_action_points", field=models.BooleanField(**FIELD)
        ),
        migrations.AddField(
            model_name="historicalmeeting",
            name="summary_action_points",
            field=models.BooleanField(**FIELD),
        ),
    ]
