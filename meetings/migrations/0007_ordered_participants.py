"""Presenters, speakers and responsible participants keep the order they were chosen in: the
tables Django made for the three lists become through models with a position, under the same
table and column names (so no row moves), and their change histories follow. Existing lists
are numbered in the order they were shown until now (by kind, then sort name)."""

import django.db.models.deletion
from django.db import migrations, models

# (owner model, many-to-many field, its related name, through model, the participant's
#  related name on it, the history's model for the list before it had an order)
LISTS = [
    (
        "agendaitem",
        "presenters",
        "presented_agenda_items",
        "AgendaItemPresenter",
        "presenter_places",
        "HistoricalAgendaItem_presenters",
    ),
    (
        "statement",
        "speakers",
        "statements",
        "StatementSpeaker",
        "speaker_places",
        "HistoricalStatement_speakers",
    ),
    (
        "actionpoint",
        "responsible",
        "action_points",
        "ActionPointResponsible",
        "responsible_places",
        "HistoricalActionPoint_responsible",
    ),
]


def _history_link(to):
    return models.ForeignKey(
        blank=True,
        db_constraint=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to=to,
    )


def _operations(owner, field, related_name, through, places, old_history):
    history = f"Historical{through}"
    return [
        # The table is there already: only Django's description of it changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name=through,
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            owner,
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to=f"meetings.{owner}",
                            ),
                        ),
                        (
                            "participant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name=places,
                                to="participants.participant",
                            ),
                        ),
                    ],
                    options={
                        "db_table": f"meetings_{owner}_{field}",
                        "unique_together": {(owner, "participant")},
                    },
                ),
                migrations.AlterField(
                    model_name=owner,
                    name=field,
                    field=models.ManyToManyField(
                        blank=True,
                        related_name=related_name,
                        through=f"meetings.{through}",
                        to="participants.participant",
                    ),
                ),
            ],
        ),
        migrations.RenameModel(old_name=old_history, new_name=history),
        migrations.AlterModelOptions(name=history.lower(), options={"verbose_name": history}),
        # The history's copies of the same columns, as the history now describes them.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=history.lower(), name=owner, field=_history_link(f"meetings.{owner}")
                ),
                migrations.AlterField(
                    model_name=history.lower(),
                    name="participant",
                    field=_history_link("participants.participant"),
                ),
            ],
        ),
        migrations.AddField(
            model_name=through.lower(),
            name="position",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name=history.lower(),
            name="position",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AlterModelOptions(name=through.lower(), options={"ordering": ["position"]}),
    ]


def number_as_shown(apps, schema_editor):
    """Number each list (and each list its history kept) in the order the pages showed it."""
    for owner, _field, _related, through, _places, _old in LISTS:
        for model, group in (
            (apps.get_model("meetings", through), f"{owner}_id"),
            (apps.get_model("meetings", f"Historical{through}"), "history_id"),
        ):
            rows = model.objects.order_by(
                group, "participant__kind", "participant__sort_name", "pk"
            )
            changed, last_group, position = [], None, 0
            for row in rows.only("pk", group, "position"):
                position = position + 1 if getattr(row, group) == last_group else 1
                last_group = getattr(row, group)
                if row.position != position:
                    row.position = position
                    changed.append(row)
            model.objects.bulk_update(changed, ["position"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_invitations"),
        ("participants", "0001_initial"),
    ]

    operations = [
        *(operation for spec in LISTS for operation in _operations(*spec)),
        migrations.RunPython(number_as_shown, migrations.RunPython.noop),
    ]
