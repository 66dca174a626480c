"""Search moves to a table of its own, one row per resource (see SearchEntry), so ranking and
counting the thousands of matches of a common word reads neither descriptions nor file texts.
On PostgreSQL: a GIN index on `heading || body` (what matching uses), the trigram index for
typos, and a covering index so browsing without words counts facets from the index alone."""

import django.contrib.postgres.search
import django.db.models.deletion
import library.fields
from django.db import migrations, models

POSTGRES_INDEXES = [
    "CREATE INDEX IF NOT EXISTS library_searchentry_document_gin "
    "ON library_searchentry USING gin ((heading || body))",
    "CREATE INDEX IF NOT EXISTS library_searchentry_search_text_trgm "
    "ON library_searchentry USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS library_searchentry_browse ON library_searchentry (published) "
    "INCLUDE (resource_id, kind, language, year, published_at, area_ids, level_ids, subject_ids)",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_INDEXES:
            schema_editor.execute(statement)


def fill_entries(apps, schema_editor):
    # The entries are derived data: built by the indexing code of today, as the command
    # `reindex_library` would. A new database has no resources and does nothing here.
    from library.indexing import reindex_all

    reindex_all()


class Migration(migrations.Migration):

    dependencies = [
        ('library', '0004_browse_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('resource', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='library.resource')),
                ('published', models.BooleanField(default=False)),
                ('published_at', models.DateTimeField(null=True)),
                ('kind', models.CharField(max_length=20)),
                ('language', models.CharField(max_length=2)),
                ('year', models.PositiveSmallIntegerField(null=True)),
                ('area_ids', library.fields.IdListField(default=list)),
                ('level_ids', library.fields.IdListField(default=list)),
                ('subject_ids', library.fields.IdListField(default=list)),
                ('heading', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('body', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('search_text', models.CharField(blank=True, max_length=800)),
            ],
        ),
        migrations.RunPython(fill_entries, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='resource',
            name='facet_ids',
        ),
        migrations.RemoveField(
            model_name='resource',
            name='search_text',
        ),
        migrations.RemoveField(
            model_name='resource',
            name='search_vector',
        ),
    ]
