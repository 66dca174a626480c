"""Courses in and out as files, so regions can share them (the "ustaz-course" format).

- format: the format's vocabulary, limits and `CourseFormatError`;
- export: `course_export` (JSON and the files it names), `course_export_zip`;
- upload: reading an uploaded .zip or .json safely (`upload_read`);
- importer: `course_import`, all or nothing;
- rules, quizzes: conditions and quiz questions in and out.

Modules inside this package import each other from their defining modules, never from here.
"""

from courses.exchange.export import course_export, course_export_zip
from courses.exchange.format import CourseFormatError
from courses.exchange.importer import course_import
from courses.exchange.upload import upload_read

__all__ = [
    "CourseFormatError",
    "course_export",
    "course_export_zip",
    "course_import",
    "upload_read",
]
