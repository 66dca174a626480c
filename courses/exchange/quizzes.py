"""A quiz lesson's quiz in and out of the course format.

The file holds its settings and its questions, in the diagnostics instrument format's question
shape (one engine). Importing loads the questions into a diagnostics knowledge-test instrument of
their own and gives the lesson its `Quiz` on that pool, so teachers take it like any quiz;
exporting writes the lesson's `Quiz` back. `show_feedback` came after the first files: a file
without it shows feedback, as the quiz's default does.
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from courses.models import Lesson, Quiz
from diagnostics.interchange import (
    FORMAT as INSTRUMENT_FORMAT,
)
from diagnostics.interchange import (
    InstrumentFormatError,
    instrument_import,
    question_export,
)
from diagnostics.kinds.content import translated
from diagnostics.models import Choice, Question

# For Lesson querysets that export: with `select_related(QUIZ_SELECTED)` and this prefetch,
# the quizzes of a whole course are read in two queries, however many there are.
QUIZ_SELECTED = "quiz__instrument"


def quiz_questions_prefetch() -> Prefetch:
    return Prefetch(
        "quiz__instrument__questions",
        queryset=Question.objects.select_related("area", "scale")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))
        .order_by("position", "pk"),
    )


def quiz_export(lesson: Lesson) -> dict | None:
    quiz = getattr(lesson, "quiz", None)
    if quiz is None:
        return None
    return {
        "pass_percent": float(lesson.pass_mark) if lesson.pass_mark is not None else None,
        "attempts": quiz.attempts_allowed,
        "draw": quiz.questions_drawn,
        "show_feedback": quiz.show_feedback,
        "questions": [question_export(q) for q in quiz.instrument.questions.all()],
    }


def _settings(data, where: str, problems: list[str]) -> dict | None:
    """The quiz's settings from the file, or None (with the problem added) when malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        problems.append(_("%(where)s: the quiz has no list of questions") % {"where": where})
        return None
    attempts, draw = data.get("attempts") or 0, data.get("draw")
    show_feedback = data.get("show_feedback", True)
    if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 0:
        problems.append(
            _("%(where)s: attempts must be a whole number (0: unlimited)") % {"where": where}
        )
        return None
    if draw is not None and (
        not isinstance(draw, int)
        or isinstance(draw, bool)
        or not 0 < draw <= len(data["questions"])
    ):
        problems.append(
            _("%(where)s: the questions drawn must number from 1 to the size of the pool")
            % {"where": where}
        )
        return None
    if not isinstance(show_feedback, bool):
        problems.append(_("%(where)s: show_feedback must be true or false") % {"where": where})
        return None
    return {"attempts_allowed": attempts, "questions_drawn": draw, "show_feedback": show_feedback}


def quiz_import(*, lesson: Lesson, data, framework, where: str, problems: list[str]) -> None:
    """Give `lesson` the quiz the file describes; problems are added, prefixed with where."""
    settings = _settings(data, where, problems)
    if settings is None:
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
                    # A quiz asks knowledge questions: a question that names no part is one.
                    "questions": [
                        {"part": Question.Part.KNOWLEDGE.value, **question}
                        if isinstance(question, dict)
                        else question
                        for question in data["questions"]
                    ],
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
    Quiz.objects.create(lesson=lesson, instrument=instrument, **settings)
    if data.get("pass_percent") is not None and lesson.pass_mark is None:
        lesson.pass_mark = Decimal(str(data["pass_percent"]))
        lesson.save(update_fields=["pass_mark"])
