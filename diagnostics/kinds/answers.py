"""Reading a page of answers from a POST: validate everything, then save, never half.

Each question's fields are named after it (`q<id>`, see its kind's `read`); the kind reads them.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from diagnostics.kinds.registry import kind_for
from lms.params import int_or_none, without_nul


class InvalidAnswers(ValueError):
    """The submission cannot be right (a forged id, a value off the scale, a bad number).

    `given` holds every answer of the page as read, the valid ones complete and the invalid
    ones marked (`GivenAnswer.problem`), so that the page is shown again as the teacher left it
    and the valid answers can still be saved. `forged` says an id was sent that is not on the
    page: then nothing is saved.
    """

    def __init__(self, problems: list[str], *, given=(), forged: bool = False):
        super().__init__("; ".join(problems))
        self.problems = problems
        self.given = list(given)
        self.forged = forged

    @property
    def valid(self) -> list:
        return [g for g in self.given if not g.problem]


@dataclass
class GivenAnswer:
    """One answer as given, before it is stored: what each kind reads from the form."""

    question: object  # a Question
    selected: list[int] = field(default_factory=list)
    number: Decimal | None = None
    text: str = ""
    matches: dict[int, int] = field(default_factory=dict)
    # Set when the value could not be read: the message, and what was typed, to show it again.
    problem: str = ""
    raw: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.selected or self.number is not None or self.text or self.matches)

    @property
    def text_key(self) -> str:
        return kind_for(self.question).text_key(self.question, self.text)


def read_answer(question, post, problems: list[str]) -> GivenAnswer:
    """The answer to one question; each bad value adds a translated message to `problems`."""
    given = GivenAnswer(question)
    before = len(problems)
    kind_for(question).read(question, post, given, problems)
    if len(problems) > before:
        given.problem = "; ".join(problems[before:])
        given.raw = without_nul(post.get(f"q{question.pk}", ""))[:200]
    return given


def read_page(post, questions: list, *, all_questions: list, on_page=None) -> list[GivenAnswer]:
    """The answers to these questions, or InvalidAnswers listing every forged or bad value.

    `on_page` (default: `questions`) are the questions whose fields the page has; an autosave
    reads only the questions the teacher changed, a subset of them.
    """
    page_ids = {q.pk for q in (questions if on_page is None else on_page)}
    known = {q.pk for q in all_questions}
    problems: list[str] = []
    for key in post:
        head = key[1:].split("-")[0]
        # Only ASCII digits name a question's field; more digits than any id are no question.
        if key.startswith("q") and head.isascii() and head.isdigit():
            question_id = int_or_none(head)
            if question_id not in known:
                problems.append(
                    _("An answer was sent for a question that is not in this instrument.")
                )
            elif question_id not in page_ids:
                problems.append(_("An answer was sent for a question that is not on this page."))
    forged = bool(problems)
    given = [read_answer(question, post, problems) for question in questions]
    if problems:
        raise InvalidAnswers(list(dict.fromkeys(problems)), given=given, forged=forged)
    return given


def missing_required(questions: list, answered_ids: set[int]) -> list:
    return [q for q in questions if q.required and q.pk not in answered_ids]
