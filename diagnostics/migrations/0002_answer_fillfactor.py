from django.db import migrations

# Scoring rewrites every answer row once (its points). With pages left partly free PostgreSQL
# updates rows in place ("HOT" updates) instead of adding entries to all four of the table's
# indexes: measured 1.5 s -> 0.85 s per batch of 500 responses (docs/benchmarks.md).
TABLES = {"diagnostics_answer": 70, "diagnostics_areascore": 80}


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, fillfactor in TABLES.items():
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(table)} SET (fillfactor = {int(fillfactor)})"
        )


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
