import django.db.models.expressions
from django.db import migrations, models

import bpdialogue.constraints


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_ordered_participants"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="day",
            field=models.DateField(
                blank=True,
                help_text="For a meeting of several days: the day it is held on.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalagendaitem",
            name="day",
            field=models.DateField(
                blank=True,
                help_text="For a meeting of several days: the day it is held on.",
                null=True,
            ),
        ),
        migrations.RemoveConstraint(
            model_name="agendaitem",
            name="agendaitem_end_not_before_start",
        ),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=bpdialogue.constraints.CheckConstraint(
                condition=models.Q(
                    ("end_time__isnull", True),
                    ("start_time__isnull", True),
                    ("end_time__gt", django.db.models.expressions.F("start_time")),
                    _connector="OR",
                ),
                field="end_time",
                name="agendaitem_ends_after_start",
                violation_error_message="The item ends after it starts.",
            ),
        ),
    ]
