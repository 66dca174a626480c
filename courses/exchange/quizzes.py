"""A quiz lesson's questions in and out of the course format.

The file holds them in the diagnostics instrument format's question shape (one engine). Until
the quiz engine's own model lands, they are loaded into a diagnostics knowledge-test instrument
linked to the lesson (`ImportedQuiz`), which the export reads back.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from courses.models import ImportedQuiz, Lesson
from diagnostics.interchange import (
    FORMAT as INSTRUMENT_FORMAT,
)
from diagnostics.interchange import (
    InstrumentFormatError,
    instrument_export,
    instrument_import,
)
from diagnostics.kinds.content import translated


def quiz_export(lesson: Lesson) -> dict | None:
    quiz = getattr(lesson, "imported_quiz", None)
    if quiz is None:
        return None
    questions = instrument_export(quiz.instrument)["instrument"]["questions"]
    return {
        "pass_percent": float(lesson.pass_mark) if lesson.pass_mark is not None else None,
        "attempts": quiz.attempts,
        "draw": quiz.draw,
        "questions": questions,
    }


def quiz_import(*, lesson: Lesson, data, framework, where: str, problems: list[str]) -> None:
    """Load the quiz of `lesson`; problems are added, prefixed with where they are."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        problems.append(_("%(where)s: the quiz has no list of questions") % {"where": where})
        return
    attempts, draw = data.get("attempts") or 0, data.get("draw")
    if not isinstance(attempts, int) or attempts < 0:
        problems.append(
            _("%(where)s: attempts must be a whole number (0: unlimited)") % {"where": where}
        )
        return
    if draw is not None and (not isinstance(draw, int) or not 0 < draw <= len(data["questions"])):
        problems.append(
            _("%(where)s: the questions drawn must number from 1 to the size of the pool")
            % {"where": where}
        )
        return
    try:
        instrument = instrument_import(
            {
                "format": INSTRUMENT_FORMAT,
                "framework": {"code": framework.code, "name": translated(framework, "name")},
                "instrument": {
                    "code": f"course-quiz-{lesson.pk}",
                    "kind": "knowledge_test",
                    "title": translated(lesson, "title"),
                    "questions": data["questions"],
                },
            }
        )
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        found = error.problems if isinstance(error, InstrumentFormatError) else [str(error)]
        problems.extend(
            _("%(where)s, quiz: %(problem)s") % {"where": where, "problem": problem}
            for problem in found
        )
        return
    ImportedQuiz.objects.create(lesson=lesson, instrument=instrument, attempts=attempts, draw=draw)
    if data.get("pass_percent") is not None and lesson.pass_mark is None:
        lesson.pass_mark = Decimal(str(data["pass_percent"]))
        lesson.save(update_fields=["pass_mark"])
