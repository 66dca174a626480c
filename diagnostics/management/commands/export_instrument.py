"""Write an instrument as JSON ("ustaz.instrument/1") to standard output."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from diagnostics.interchange.instrument_json import instrument_export
from diagnostics.models import Instrument


class Command(BaseCommand):
    # argparse needs a plain string: marked for translation, read once at import.
    help = _("Write an instrument as JSON to standard output.")

    def add_arguments(self, parser):
        parser.add_argument("instrument", type=int, help=_("Id of the instrument."))

    def handle(self, *args, **options):
        try:
            instrument = Instrument.objects.select_related("framework").get(
                pk=options["instrument"]
            )
        except Instrument.DoesNotExist:
            raise CommandError(
                _("There is no instrument %(id)d.") % {"id": options["instrument"]}
            ) from None
        # Texts stay readable in every language instead of \u escapes.
        self.stdout.write(json.dumps(instrument_export(instrument), indent=2, ensure_ascii=False))
