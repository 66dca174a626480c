"""Create a new draft version of an instrument from its JSON ("ustaz.instrument/1")."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from diagnostics.authoring import instrument_band_problems
from diagnostics.interchange.instrument_json import InstrumentFormatError, instrument_import


class Command(BaseCommand):
    # argparse needs a plain string: marked for translation, read once at import.
    help = _("Import an instrument from JSON as a new draft version; prints its id and version.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("The JSON file."))

    def handle(self, *args, **options):
        data = self.read(options["file"])
        try:
            instrument = instrument_import(data)
        except InstrumentFormatError as error:
            lines = [_("The file does not describe an instrument:")]
            lines += [f"- {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from error
        except IntegrityError as error:
            # e.g. two questions with one code: the database refuses, and nothing is saved.
            raise CommandError(
                _("The instrument contradicts itself: %(error)s") % {"error": error}
            ) from error
        for problem in instrument_band_problems(instrument):
            self.stderr.write(_("Warning: %(problem)s") % {"problem": problem})
        self.stdout.write(
            _("Imported instrument %(id)d, version %(version)d.")
            % {"id": instrument.pk, "version": instrument.version}
        )

    @staticmethod
    def read(path: Path):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from error
        except UnicodeDecodeError as error:
            raise CommandError(_("%(file)s is not UTF-8 text.") % {"file": path}) from error
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                _("%(file)s is not valid JSON: line %(line)d, column %(column)d: %(message)s")
                % {"file": path, "line": error.lineno, "column": error.colno, "message": error.msg}
            ) from error
