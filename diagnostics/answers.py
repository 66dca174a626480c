"""Reading a page of answers from a POST: validate everything, then save, never half.

Field names: `q<id>` holds a choice id (single, level statements, true/false), several choice
ids (multiple), a scale value (rating scale), a number or a text; matching sends
`q<id>-<prompt choice id>` = the id of the choice whose match was picked.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from diagnostics.models import Question
from diagnostics.rules import SELECTION_KINDS, answer_key

Kind = Question.Kind
MAX_TEXT_LENGTH = 5000


class InvalidAnswers(ValueError):
    """The submission cannot be right (a forged id, a value off the scale, a bad number)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class GivenAnswer:
    question: Question
    selected: list[int] = field(default_factory=list)
    number: Decimal | None = None
    text: str = ""
    matches: dict[int, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.selected or self.number is not None or self.text or self.matches)

    @property
    def text_key(self) -> str:
        if self.question.kind != Kind.SHORT_ANSWER:
            return ""
        return answer_key(self.text, case_sensitive=self.question.case_sensitive)[:255]


def _number(raw: str) -> Decimal:
    # Teachers in kk/ru/ky locales write a decimal comma.
    try:
        value = Decimal(raw.strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation as error:
        raise ValueError from error
    if not value.is_finite():
        raise ValueError
    return value


def _read_one(question: Question, post, problems: list[str]) -> GivenAnswer:
    given = GivenAnswer(question)
    name = f"q{question.pk}"
    label = question.code
    choice_ids = {c.pk for c in question.choices.all()}
    if question.kind in SELECTION_KINDS:
        raw = post.getlist(name) if question.kind == Kind.MULTIPLE else [post.get(name, "")]
        raw = [value for value in raw if value != ""]
        if question.kind != Kind.MULTIPLE and len(raw) > 1:
            problems.append(_("%(question)s: only one choice is allowed") % {"question": label})
        for value in raw:
            if not value.isdigit() or int(value) not in choice_ids:
                problems.append(
                    _("%(question)s: that choice does not belong to the question")
                    % {"question": label}
                )
            else:
                given.selected.append(int(value))
    elif question.kind == Kind.LIKERT:
        raw = post.get(name, "").strip()
        if raw:
            if (
                not raw.lstrip("-").isdigit()
                or not question.scale_min <= int(raw) <= question.scale_max
            ):
                problems.append(
                    _("%(question)s: choose a value from %(low)d to %(high)d")
                    % {"question": label, "low": question.scale_min, "high": question.scale_max}
                )
            else:
                given.number = Decimal(int(raw))
    elif question.kind == Kind.NUMERICAL:
        raw = post.get(name, "").strip()
        if raw:
            try:
                given.number = _number(raw)
            except ValueError:
                problems.append(
                    _("%(question)s: “%(value)s” is not a number")
                    % {"question": label, "value": raw[:40]}
                )
    elif question.kind in (Kind.SHORT_ANSWER, Kind.FREE_TEXT):
        given.text = post.get(name, "").strip()[:MAX_TEXT_LENGTH]
    elif question.kind == Kind.MATCHING:
        prompts = {c.pk for c in question.choices.all() if c.credit > 0}
        for prompt in prompts:
            raw = post.get(f"{name}-{prompt}", "")
            if raw == "":
                continue
            if not raw.isdigit() or int(raw) not in choice_ids:
                problems.append(
                    _("%(question)s: that match does not belong to the question")
                    % {"question": label}
                )
            else:
                given.matches[prompt] = int(raw)
    return given


def read_page(
    post, questions: list[Question], *, all_questions: list[Question]
) -> list[GivenAnswer]:
    """The answers to these questions, or InvalidAnswers listing every forged or bad value."""
    page_ids = {q.pk for q in questions}
    known = {q.pk for q in all_questions}
    problems: list[str] = []
    for key in post:
        if key.startswith("q") and key[1:].split("-")[0].isdigit():
            question_id = int(key[1:].split("-")[0])
            if question_id not in known:
                problems.append(
                    _("An answer was sent for a question that is not in this instrument.")
                )
            elif question_id not in page_ids:
                problems.append(_("An answer was sent for a question that is not on this page."))
    given = [_read_one(question, post, problems) for question in questions]
    if problems:
        raise InvalidAnswers(sorted(set(problems)))
    return given


def missing_required(questions: list[Question], answered_ids: set[int]) -> list[Question]:
    return [q for q in questions if q.required and q.pk not in answered_ids]
