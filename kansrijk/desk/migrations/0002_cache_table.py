"""Create the database cache table when the settings use one (production: the public forms' rate limits).

`createcachetable` does nothing for other cache backends (local memory in development and tests).
If a deployment switches to the database cache later, run `manage.py createcachetable` once.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_desk")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
