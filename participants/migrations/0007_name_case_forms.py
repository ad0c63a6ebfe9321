from django.db import migrations, models

import bpdialogue.grammar

FIELD = dict(
    blank=True,
    default=dict,
    help_text='The name in the cases a language needs inside a sentence, e.g. {"ru": '
    '{"genitive": "Афганистана"}}. A missing form reads as the name itself.',
    validators=[bpdialogue.grammar.validate_name_forms],
)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0006_translations"),
    ]

    operations = [
        migrations.AddField(
            model_name="participantname", name="forms", field=models.JSONField(**FIELD)
        ),
        migrations.AddField(
            model_name="historicalparticipantname", name="forms", field=models.JSONField(**FIELD)
        ),
    ]
