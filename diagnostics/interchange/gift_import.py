"""Adding the questions of a Moodle GIFT file to an instrument: all of them or, on any problem,
none. The file is read by diagnostics/interchange/gift_parser.py; each question's kind
(diagnostics/kinds/) turns its answers into choices.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diagnostics.authoring.locking import InstrumentLockedError, instrument_locked
from diagnostics.interchange.gift_parser import parse_gift
from diagnostics.interchange.gift_types import Kind as GiftKind
from diagnostics.interchange.gift_types import Question as GiftQuestion
from diagnostics.interchange.gift_types import TextFormat as GiftTextFormat
from diagnostics.kinds.content import LANGUAGES
from diagnostics.kinds.registry import kind_for
from diagnostics.models import Area, Choice, Instrument, Question

GIFT_PARTS = (Question.Part.KNOWLEDGE, Question.Part.SELF_ASSESSMENT)
# Moodle's auto-format is plain text with its line breaks; [html] and [markdown] are rendered
# (and sanitised) when the question is shown.
TEXT_FORMATS = {
    GiftTextFormat.HTML: Question.TextFormat.HTML,
    GiftTextFormat.MARKDOWN: Question.TextFormat.MARKDOWN,
}


@dataclass(frozen=True)
class GiftProblem:
    line: int | None
    message: str

    def __str__(self):
        if self.line is None:
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class GiftImportError(Exception):
    """The file cannot be imported as a whole; `problems` lists every reason, with its line."""

    def __init__(self, problems: list[GiftProblem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class GiftImportReport:
    questions: list[Question]
    skipped: list[GiftProblem]


@dataclass
class GiftTarget:
    """Where the imported questions go and in which language their texts are written."""

    instrument: Instrument
    area: Area | None
    part: str
    language: str
    all_languages: bool = False
    area_from_category: bool = False
    areas_by_code: dict[str, Area] = field(default_factory=dict)

    def texts(self, name: str, value: str) -> dict[str, str]:
        languages = LANGUAGES if self.all_languages else (self.language,)
        return {f"{name}_{language}": value for language in languages}

    def area_for(self, category: str | None) -> Area | None:
        if self.area_from_category and category:
            code = category.rstrip("/").rsplit("/", 1)[-1].strip()
            found = self.areas_by_code.get(code) or self.areas_by_code.get(code.lower())
            if found is not None:
                return found
        return self.area


def gift_import(
    *,
    instrument: Instrument,
    source: str | bytes,
    area: Area | None,
    part: str = Question.Part.KNOWLEDGE,
    language: str | None = None,
    all_languages: bool = False,
    area_from_category: bool = False,
) -> GiftImportReport:
    """Add the questions of a GIFT file to the instrument; all of them or, on any problem, none.

    Descriptions (text without answers) are not questions and are reported as skipped.
    """
    if instrument_locked(instrument):
        raise InstrumentLockedError(instrument)
    if part not in GIFT_PARTS:
        raise ValueError(part)
    target = GiftTarget(
        instrument=instrument,
        area=area,
        part=part,
        language=language if language in LANGUAGES else settings.MODELTRANSLATION_DEFAULT_LANGUAGE,
        all_languages=all_languages,
        area_from_category=area_from_category,
        areas_by_code={a.code: a for a in Area.objects.filter(framework=instrument.framework_id)},
    )
    parsed = parse_gift(source)
    problems = [GiftProblem(error.line, str(error.message)) for error in parsed.errors]
    skipped, built = [], []
    for item in parsed.questions:
        if item.kind == GiftKind.DESCRIPTION:
            skipped.append(GiftProblem(item.line, _("a description, not a question; skipped.")))
            continue
        try:
            built.append(_gift_question(item, target))
        except ValidationError as error:
            problems += [GiftProblem(item.line, message) for message in _messages(error)]
    if problems:
        raise GiftImportError(sorted(problems, key=lambda problem: problem.line or 0))
    with transaction.atomic():
        questions = _save_gift_questions(instrument, built)
    return GiftImportReport(questions=questions, skipped=skipped)


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    messages = []
    for name, errors in error.error_dict.items():
        for message in ValidationError(errors).messages:
            messages.append(f"{name}: {message}")
    return messages


def _gift_question(item: GiftQuestion, target: GiftTarget) -> tuple[Question, list[Choice]]:
    area = target.area_for(item.category)
    if area is None:
        raise ValidationError(
            gettext_lazy(
                "No area for this question: choose one, or name an area code as the last part "
                "of its $CATEGORY."
            )
        )
    question = Question(
        instrument=target.instrument,
        area=area,
        code=item.title,  # made unique when saved
        part=target.part,
        kind=Question.Kind(item.kind.value),
        text_format=TEXT_FORMATS.get(item.text_format, Question.TextFormat.PLAIN),
        **target.texts("text", item.text),
        **target.texts("feedback", item.general_feedback),
    )
    choices = [Choice(**row) for row in kind_for(question).gift_choices(item, target.texts)]
    # Foreign keys were chosen from the instrument's own framework; checking them again would
    # cost a query per question.
    question.full_clean(
        exclude=["code", "instrument", "area", "scale"],
        validate_unique=False,
        validate_constraints=False,
    )
    for choice in choices:
        choice.full_clean(exclude=["question"], validate_unique=False, validate_constraints=False)
    return question, choices


def _unique_codes(instrument: Instrument, wanted: Sequence[str]) -> list[str]:
    taken = set(Question.objects.filter(instrument=instrument).values_list("code", flat=True))
    codes = []
    for number, raw in enumerate(wanted, start=len(taken) + 1):
        base = slugify(raw)[:56] or f"gift-{number}"
        code, suffix = base, 2
        while code in taken:
            code, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(code)
        codes.append(code)
    return codes


def _save_gift_questions(instrument, built) -> list[Question]:
    start = Question.objects.filter(instrument=instrument).aggregate(p=Max("position"))["p"] or 0
    questions = [question for question, _choices in built]
    codes = _unique_codes(instrument, [question.code for question in questions])
    for position, (question, code) in enumerate(zip(questions, codes, strict=True), start=1):
        question.code = code
        question.position = start + position
    Question.objects.bulk_create(questions)
    rows = []
    for question, choices in built:
        for position, choice in enumerate(choices, start=1):
            choice.question = question
            choice.position = position
            rows.append(choice)
    Choice.objects.bulk_create(rows)
    return questions
