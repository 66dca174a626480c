"""Add the questions of a Moodle GIFT file to an instrument, as the admin's GIFT import does."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from diagnostics.authoring import InstrumentLockedError
from diagnostics.interchange.gift_import import GIFT_PARTS, GiftImportError, gift_import
from diagnostics.models import Area, Instrument


class Command(BaseCommand):
    # argparse needs a plain string: marked for translation, read once at import.
    help = _("Import the questions of a GIFT file into an instrument; all of them or none.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("The GIFT file (UTF-8)."))
        parser.add_argument(
            "--instrument", type=int, required=True, help=_("Id of the instrument.")
        )
        parser.add_argument(
            "--area",
            help=_("Code of the competence area of the questions."),
        )
        parser.add_argument(
            "--area-from-category",
            action="store_true",
            help=_("Take the area from a question's $CATEGORY when its last part is an area code."),
        )
        parser.add_argument(
            "--part",
            choices=[part.value for part in GIFT_PARTS],
            default=GIFT_PARTS[0].value,
        )
        parser.add_argument(
            "--language",
            choices=settings.MODELTRANSLATION_LANGUAGES,
            default=settings.LANGUAGE_CODE
            if settings.LANGUAGE_CODE in settings.MODELTRANSLATION_LANGUAGES
            else settings.MODELTRANSLATION_DEFAULT_LANGUAGE,
            help=_("Language the file is written in."),
        )
        parser.add_argument(
            "--all-languages",
            action="store_true",
            help=_("Copy the texts into every language."),
        )

    def handle(self, *args, **options):
        instrument = self.instrument(options["instrument"])
        area = self.area(instrument, options["area"])
        if area is None and not options["area_from_category"]:
            raise CommandError(_("Give --area, or --area-from-category, or both."))
        try:
            report = gift_import(
                instrument=instrument,
                source=self.read(options["file"]),
                area=area,
                part=options["part"],
                language=options["language"],
                all_languages=options["all_languages"],
                area_from_category=options["area_from_category"],
            )
        except InstrumentLockedError as error:
            raise CommandError(str(error)) from error
        except GiftImportError as error:
            lines = [_("Nothing was imported:"), *(str(p) for p in error.problems)]
            raise CommandError("\n".join(lines)) from error
        for skipped in report.skipped:
            self.stderr.write(str(skipped))
        self.stdout.write(
            _("Imported %(count)d questions into instrument %(id)d (version %(version)d).")
            % {"count": len(report.questions), "id": instrument.pk, "version": instrument.version}
        )

    @staticmethod
    def instrument(pk: int) -> Instrument:
        try:
            return Instrument.objects.get(pk=pk)
        except Instrument.DoesNotExist:
            raise CommandError(_("There is no instrument %(id)d.") % {"id": pk}) from None

    @staticmethod
    def area(instrument: Instrument, code: str | None) -> Area | None:
        if not code:
            return None
        areas = {area.code: area for area in Area.objects.filter(framework=instrument.framework)}
        if code not in areas:
            raise CommandError(
                _("The framework has no area “%(code)s”; its areas are: %(codes)s.")
                % {"code": code, "codes": ", ".join(sorted(areas)) or "—"}
            )
        return areas[code]

    @staticmethod
    def read(path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from error
