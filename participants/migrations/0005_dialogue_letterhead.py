from django.db import migrations, models

import participants.letterheads

LOGO_HELP = (
    "The logo's file under static/, e.g. img/budapest-process-logo.svg: an SVG, PNG or JPEG "
    "image of at most 1 MB."
)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0004_person_erasure"),
    ]

    operations = [
        migrations.AddField(
            model_name="dialogue",
            name="letterhead",
            field=models.BooleanField(
                default=False,
                help_text="Print the dialogue's name and logo at the top of its "
                "Summary/conclusions.",
            ),
        ),
        migrations.AddField(
            model_name="dialogue",
            name="letterhead_logo",
            field=models.CharField(
                blank=True,
                help_text=LOGO_HELP,
                max_length=200,
                validators=[participants.letterheads.validate_letterhead_logo],
            ),
        ),
        migrations.AddField(
            model_name="historicaldialogue",
            name="letterhead",
            field=models.BooleanField(
                default=False,
                help_text="Print the dialogue's name and logo at the top of its "
                "Summary/conclusions.",
            ),
        ),
        migrations.AddField(
            model_name="historicaldialogue",
            name="letterhead_logo",
            field=models.CharField(
                blank=True,
                help_text=LOGO_HELP,
                max_length=200,
                validators=[participants.letterheads.validate_letterhead_logo],
            ),
        ),
    ]
