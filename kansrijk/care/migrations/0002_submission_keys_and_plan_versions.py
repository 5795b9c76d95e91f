# Adds a submission key (one record per submitted form) to every record a form creates,
# a version to the plan's goals and actions (guarded edits) and a cancellation note to visits.
# Unique keys are added in three steps so that existing rows each get their own key.

import uuid

from django.db import migrations, models

MODELS = ["contactattempt", "visit", "assessment", "plangoal", "planaction"]


def fill_keys(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("care", name)
        for row in model.objects.filter(submission_key__isnull=True).only("pk"):
            row.submission_key = uuid.uuid4()
            row.save(update_fields=["submission_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("care", "0001_initial"),
    ]

    operations = [
        *[
            migrations.AddField(model_name=name, name="submission_key", field=models.UUIDField(null=True, editable=False))
            for name in MODELS
        ],
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        *[
            migrations.AlterField(
                model_name=name,
                name="submission_key",
                field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
            )
            for name in MODELS
        ],
        migrations.AddField(
            model_name="plangoal",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="planaction",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="visit",
            name="cancellation_note",
            field=models.CharField(blank=True, max_length=500, verbose_name="why cancelled"),
        ),
    ]
