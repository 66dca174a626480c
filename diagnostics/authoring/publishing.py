"""What publishing requires: every required question can be answered, every threshold exists and
every level can be reached. A draft may be saved before any of this holds.

Pure over the questions, their choices and the thresholds as they are about to be saved, so the
admin checks what a methodist submitted, not what was stored before.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from diagnostics.authoring.dry_runs import answer_space, scope_ranges
from diagnostics.models import Choice, LevelBand, Question

Kind = Question.Kind


def question_name(number: int, question: Question) -> str:
    """“Question 3 (“Which program…”)”: how a methodist finds it on the page."""
    text = Truncator(" ".join((question.text or "").split())).chars(60)
    return _("Question %(number)d (“%(text)s”)") % {"number": number, "text": text}


def _has_correct_answer(question: Question, choices: Sequence[Choice]) -> bool:
    if question.kind == Kind.NUMERICAL:
        return any(c.value is not None and c.credit > 0 for c in choices)
    if question.kind == Kind.SHORT_ANSWER:
        return any(c.answer_key and c.credit > 0 for c in choices)
    return any(c.credit > 0 for c in choices)


def question_problem(question: Question, choices: Sequence[Choice]) -> str | None:
    """Why a teacher cannot answer (or cannot answer rightly) this question, or None."""
    kind = question.kind
    selection = (Kind.SINGLE, Kind.MULTIPLE, Kind.LEVEL_STATEMENTS, Kind.TRUE_FALSE)
    if kind in selection and not choices:
        return _("it has no choices, so it cannot be answered.")
    if kind == Kind.MATCHING and not any(c.credit > 0 and c.match_text for c in choices):
        return _("it has no pairs to match, so it cannot be answered.")
    if (
        question.part == Question.Part.KNOWLEDGE
        and kind not in (Kind.FREE_TEXT, Kind.LIKERT)
        and choices
        and not _has_correct_answer(question, choices)
    ):
        return _("it is a test question without a correct answer.")
    if kind in (Kind.NUMERICAL, Kind.SHORT_ANSWER) and not _has_correct_answer(question, choices):
        return _("it accepts no answer; add the correct one.")
    return None


def publish_problems(
    questions: Sequence[tuple[Question, Sequence[Choice]]],
    bands: Sequence[LevelBand],
    *,
    unit: str,
) -> list[str]:
    """Every question that cannot be answered, named by its number and text, and every level
    no answer can reach (what the dry run reports). Thresholds' own checks are band_problems."""
    problems = []
    for number, (question, choices) in enumerate(questions, start=1):
        problem = question_problem(question, choices) if question.required else None
        if problem:
            problems.append(
                _("%(question)s: %(problem)s")
                % {"question": question_name(number, question), "problem": problem}
            )
    if problems:
        return problems  # levels are judged once every question can be answered
    spaces = [answer_space(q, list(choices)) for q, choices in questions if q.is_scored]
    for scope in scope_ranges(spaces, bands, unit):
        for reach in scope.levels:
            if not reach.reachable:
                problems.append(
                    _(
                        "%(scope)s: no answers reach the level “%(level)s” (from %(threshold)s); "
                        "change its threshold or the questions."
                    )
                    % {
                        "scope": scope.label,
                        "level": reach.level,
                        "threshold": f"{Decimal(reach.threshold).normalize():f}",
                    }
                )
    return problems
