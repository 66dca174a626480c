"""Create a course from a .zip (or bare .json) in the course exchange format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courses.exchange import CourseFormatError, course_import, upload_read


class Command(BaseCommand):
    # argparse needs a plain string: marked for translation, read once at import.
    help = _("Import a course from a .zip or .json; a taken address gets a new one.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("The .zip or .json file."))
        parser.add_argument("--publish", action="store_true", help=_("Publish the course at once."))

    def handle(self, *args, **options):
        try:
            with options["file"].open("rb") as fileobj:
                upload = upload_read(fileobj)
                try:
                    course = course_import(upload.data, upload=upload, published=options["publish"])
                finally:
                    upload.close()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s")
                % {"file": options["file"], "error": error.strerror}
            ) from error
        except CourseFormatError as error:
            lines = [_("The file does not describe a course:")]
            lines += [f"- {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from error
        for warning in course.import_warnings:
            self.stderr.write(_("Warning: %(problem)s") % {"problem": warning})
        self.stdout.write(
            _("Imported course “%(title)s” at the address %(slug)s.")
            % {"title": course, "slug": course.slug}
        )
