from django.db import migrations


def focal_points_from_flag(apps, schema_editor):
    """Each person marked a focal point becomes one, undated, for their affiliation in every
    dialogue the affiliation is a member of (the flag said no more than that)."""
    Person = apps.get_model("participants", "Person")
    Membership = apps.get_model("participants", "Membership")
    FocalPoint = apps.get_model("participants", "FocalPoint")
    for person in Person.objects.filter(is_focal_point=True, affiliation__isnull=False):
        dialogue_ids = (
            Membership.objects.filter(participant_id=person.affiliation_id)
            .values_list("dialogue_id", flat=True)
            .distinct()
        )
        for dialogue_id in dialogue_ids:
            FocalPoint.objects.get_or_create(
                dialogue_id=dialogue_id,
                participant_id=person.affiliation_id,
                person=person,
                valid_from=None,
            )


def flag_from_focal_points(apps, schema_editor):
    Person = apps.get_model("participants", "Person")
    Person.objects.filter(focal_points__isnull=False).update(is_focal_point=True)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0002_people_focal_points_retirement"),
    ]

    operations = [
        migrations.RunPython(focal_points_from_flag, flag_from_focal_points),
        migrations.RemoveField(model_name="historicalperson", name="is_focal_point"),
        migrations.RemoveField(model_name="person", name="is_focal_point"),
    ]
