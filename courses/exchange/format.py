"""The course exchange format ("ustaz-course", version 1): its vocabulary and limits.

A course file is JSON (courses/fixtures/ready_course.json is an example): `course` (titles and
summaries per language, language, estimated hours, area and level codes of the framework named by
`framework`), then `modules` of `lessons`. Texts are objects with one entry per language. A lesson
names its files (uploaded video, attachments; the course its cover) by their path inside the .zip
that carries the JSON as `course.json`. Conditions point at lessons by 0-based
[module index, lesson index].
"""

from django.conf import settings
from django.utils.translation import gettext as _

from courses.models import LessonKind

FORMAT = "ustaz-course"
VERSION = 1
JSON_NAME = "course.json"

# The short kind codes the format uses; the model's own values are accepted too.
KIND_CODES = {
    "explanation": LessonKind.EXPLANATION_CONVERSATION,
    "lecture": LessonKind.LECTURE,
    "practical": LessonKind.PRACTICAL_WORK,
    "exercises": LessonKind.EXERCISES_TRAINING,
    "laboratory": LessonKind.LABORATORY,
    "independent": LessonKind.INDEPENDENT,
    "creative": LessonKind.CREATIVE,
    "quiz": LessonKind.QUIZ,
    "interactive": LessonKind.INTERACTIVE,
}
CODE_OF_KIND = {kind.value: code for code, kind in KIND_CODES.items()}


def limit(name: str, default: int) -> int:
    """A size limit, overridable in settings (COURSE_EXCHANGE_<NAME>)."""
    return int(getattr(settings, f"COURSE_EXCHANGE_{name}", default))


def max_json_bytes() -> int:
    return limit("MAX_JSON_BYTES", 20 * 1024 * 1024)


def max_file_bytes() -> int:
    return limit("MAX_FILE_BYTES", 500 * 1024 * 1024)


def max_total_bytes() -> int:
    return limit("MAX_TOTAL_BYTES", 2 * 1024 * 1024 * 1024)


def max_members() -> int:
    return limit("MAX_MEMBERS", 5000)


# A member that unpacks to more than this many times its packed size is a zip bomb.
MAX_COMPRESSION_RATIO = 200


class CourseFormatError(ValueError):
    """The upload does not describe a course; `problems` says where and why, translated."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = [str(problem) for problem in problems]


def module_place(module_index: int) -> str:
    return _("module %(module)d") % {"module": module_index + 1}


def lesson_place(module_index: int, lesson_index: int) -> str:
    return _("module %(module)d, lesson %(lesson)d") % {
        "module": module_index + 1,
        "lesson": lesson_index + 1,
    }
