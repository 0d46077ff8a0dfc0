from django.db import migrations


def forwards(apps, schema_editor):
    # Partial-name search (name LIKE '%…%') on PostgreSQL uses a trigram index; SQLite scans.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ent_name_trgm_idx ON enterprises_enterprise USING gin (name gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ent_name_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
