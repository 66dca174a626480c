"""PostgreSQL only: a covering index, so browsing without words (every published resource, with
its facets) is an index-only scan instead of a read of the whole table. Covering indexes are a
PostgreSQL feature; SQLite skips this migration's work."""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS library_resource_browse ON library_resource (published) "
    "INCLUDE (id, kind, language, year, published_at, view_count, facet_ids)"
)
BACKWARD = "DROP INDEX IF EXISTS library_resource_browse"


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0003_resource_facet_ids")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
