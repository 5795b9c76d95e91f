"""The database itself refuses to change or delete audit rows.

PostgreSQL: UPDATE and DELETE raise. SQLite: UPDATE raises (Django's test
flush empties tables with DELETE on SQLite, so there only UPDATE is blocked;
the model and queryset refuse deletes on every database).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_auditentry_no_update ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_auditentry_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_auditentry_no_update;"


def forwards(apps, schema_editor):
    sql = {"postgresql": PG_UP, "sqlite": SQLITE_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = {"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
