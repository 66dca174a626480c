"""Write a course, with its files, as a .zip in the course exchange format (or its bare JSON)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courses.exchange import course_export, course_export_zip
from courses.models import Course


class Command(BaseCommand):
    # argparse needs a plain string: marked for translation, read once at import.
    help = _("Export a course with its files as a .zip (course.json and the files).")

    def add_arguments(self, parser):
        parser.add_argument("slug", help=_("The course's address (slug)."))
        parser.add_argument("--output", "-o", type=Path, help=_("The .zip (or .json) to write."))

    def handle(self, *args, **options):
        course = Course.objects.filter(slug=options["slug"]).first()
        if course is None:
            raise CommandError(_("No course has the address “%(slug)s”.") % options)
        target = options["output"]
        if target is not None and target.suffix.lower() == ".json":
            data, files = course_export(course)
            target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            if files:
                self.stderr.write(_("Warning: a .json carries no files; write a .zip for them."))
        elif target is not None:
            with target.open("wb") as out:
                course_export_zip(course, out)
        else:
            course_export_zip(course, sys.stdout.buffer)
            return
        self.stdout.write(
            _("Exported “%(title)s” to %(file)s.") % {"title": course, "file": target}
        )
