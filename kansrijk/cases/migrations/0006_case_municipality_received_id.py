from django.db import migrations, models


class Migration(migrations.Migration):
    """The cases of a municipality and period with their ids, for the figures (index-only on PostgreSQL)."""

    dependencies = [
        ("cases", "0005_team_pages_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_municipality_received",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["municipality", "received_at", "id"], name="case_municipality_received"),
        ),
    ]
