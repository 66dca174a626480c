"""PostgreSQL-only: a GIN index on the posts' full-text vector (forums/search.py's PostDocument).
SQLite (the embedded mode) searches with LIKE and skips it."""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS forums_post_search_gin "
    "ON forums_post USING gin (to_tsvector('simple'::regconfig, body))"
)
BACKWARD = "DROP INDEX IF EXISTS forums_post_search_gin"


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
