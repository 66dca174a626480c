from django.core.management.base import BaseCommand

from library.browse_cache import catalogue_changed
from library.indexing import reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search entry of every library resource (after restoring a database "
        "or changing how resources are indexed). Safe to run at any time; searches keep working."
    )

    def handle(self, *args, **options):
        count = reindex_all()
        catalogue_changed()
        self.stdout.write(self.style.SUCCESS(f"Reindexed {count} resource(s)."))
