from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from library.importer import COLUMNS, import_library


class Command(BaseCommand):
    help = (
        "Import a folder of library files described by a CSV of metadata. Every row is checked "
        "first; if any row is bad, nothing is imported. Columns: " + ", ".join(COLUMNS) + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the folder with the files named in the CSV")
        parser.add_argument(
            "--csv",
            dest="csv_path",
            help="the metadata CSV (default: FOLDER/metadata.csv)",
        )

    def handle(self, *args, folder, csv_path=None, **options):
        folder_path = Path(folder)
        csv_file = Path(csv_path) if csv_path else folder_path / "metadata.csv"
        report = import_library(folder_path, csv_file)
        if not report.ok:
            for line, message in report.errors:
                where = f"line {line}: " if line else ""
                self.stderr.write(f"{csv_file.name}: {where}{message}")
            bad_lines = len({line for line, _message in report.errors})
            raise CommandError(
                f"{len(report.errors)} problem(s) on {bad_lines} line(s); nothing was imported. "
                "Fix the CSV and run the command again."
            )
        for resource in report.created:
            self.stdout.write(f"  + {resource.get_kind_display()}: {resource.title}")
        self.stdout.write(self.style.SUCCESS(f"Imported {len(report.created)} resource(s)."))
