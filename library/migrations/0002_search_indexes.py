"""PostgreSQL-only search indexes: pg_trgm, a GIN index on the full-text vector and a trigram GIN
index for typo-tolerant matching. SQLite (the embedded mode) has neither and skips them."""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS library_resource_search_vector_gin "
    "ON library_resource USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS library_resource_search_text_trgm "
    "ON library_resource USING gin (search_text gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS library_resource_search_text_trgm",
    "DROP INDEX IF EXISTS library_resource_search_vector_gin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
