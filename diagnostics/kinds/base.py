"""What every question kind is asked, and the small rules kinds share.

A kind (one module in diagnostics/kinds/) answers five questions about its questions: how an
answer is read from a form (`read`), what share of the weight an answer earns, in Python
(`fraction`) and as the SQL expression set-based scoring evaluates (`sql_fraction`), how its
choices travel as JSON and GIFT (`json_choices`, `json_export`, `gift_choices`), what an answer
is in a spreadsheet of responses (`export_value`, `export_labels`), how the demo answers it
(`demo_answer`) and which template shows it (`template`).

Kinds know no model: they read the question and its choices they are handed, and build choices
as dicts of field values that the importers turn into rows. Shared helpers for texts and numbers
in imported files are in diagnostics/kinds/content.py.
"""

import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from lms.params import NUL_MESSAGE, has_nul, without_nul

ZERO = Decimal(0)
ONE = Decimal(1)
MAX_TEXT_LENGTH = 5000
# A typed number is stored in a column of 14 digits, 4 of them after the point (Answer.number and
# the quiz answer's number): below 10^10 in size, rounded to 4 places.
MAX_TYPED_NUMBER = Decimal(10) ** 10
TYPED_NUMBER_PLACES = Decimal("0.0001")


class NumberTooLarge(ValueError):
    """A number that is a number, but beyond what an answer can hold."""


def answer_key(text: str, *, case_sensitive: bool = False) -> str:
    """A short answer as it is compared: Unicode-normalised, spaces folded, case folded."""
    folded = " ".join(unicodedata.normalize("NFKC", text or "").split())
    return folded if case_sensitive else folded.casefold()


def read_text(question, post, given, problems: list[str]) -> None:
    """Typed text (short answers, free text): kept as typed, but a NUL byte, which no database
    column may hold, is a message on the page; the text is shown again without it."""
    raw = post.get(f"q{question.pk}", "")
    if has_nul(raw):
        problems.append(
            _("%(question)s: %(problem)s")
            % {"question": question_label(question), "problem": NUL_MESSAGE}
        )
    given.text = without_nul(raw).strip()[:MAX_TEXT_LENGTH]


def question_label(question) -> str:
    """A question as a teacher knows it, by its number and text (never its internal code)."""
    text = Truncator(" ".join(str(question.text).split())).chars(60)
    ordinal = getattr(question, "ordinal", None)
    if ordinal:
        return _("Question %(number)d “%(text)s”") % {"number": ordinal, "text": text}
    return _("Question “%(text)s”") % {"text": text}


def clamp(fraction: Decimal) -> Decimal:
    return max(ZERO, min(ONE, fraction))


def typed_number(raw: str) -> Decimal:
    """A number as a teacher types it, rounded to what is stored; ValueError when it is not one,
    NumberTooLarge when it is beyond the column (`1e12`, `1e999999`, 5,000 digits)."""
    # Teachers in kk/ru/ky locales write a decimal comma.
    try:
        value = Decimal(raw.strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation as error:
        raise ValueError from error
    if not value.is_finite():
        raise ValueError
    if abs(value) >= MAX_TYPED_NUMBER:
        raise NumberTooLarge
    # Below 10^10, so the rounded value has at most 14 digits: quantize cannot overflow.
    return value.quantize(TYPED_NUMBER_PLACES)


# The SQL pieces a kind's `sql_fraction` may use: {answer}, {answer_choice} and {choice} are the
# tables, `q` is the answer's question, {clamp_sum} and {clamp_max} clamp SUM(c.credit) and
# MAX(c.credit) of the choices `c` into [0, 1].
SQL_CLAMP = "CASE WHEN {x} < 0 THEN 0 WHEN {x} > 1 THEN 1 ELSE {x} END"


class QuestionKind:
    """One kind of question. Subclass it in a module of its own and list it in the registry."""

    code: str = ""  # the value stored in Question.kind
    template: str = ""  # the template that shows the question's inputs
    # False for kinds that never earn points (free text): scoring leaves them out entirely.
    priced: bool = True
    # True for kinds whose answers are chosen options (AnswerChoice rows): saving one replaces
    # its options; the others keep their answer in the answer row alone.
    stores_options: bool = False
    # The SQL expression of an answer's fraction of the weight (see SQL_CLAMP's comment).
    sql_fraction: str = ""

    def __init__(self) -> None:
        if not self.template:
            self.template = f"diagnostics/kinds/{self.code}.html"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"

    # --- taking ----------------------------------------------------------------------------

    def read(self, question, post, given, problems: list[str]) -> None:
        """Fill `given` (a GivenAnswer) from the POST; append a translated message per bad value.

        The question's fields are named `q<question id>` (and may add suffixes of their own).
        """
        raise NotImplementedError

    def text_key(self, question, text: str) -> str:
        """What set-based scoring compares typed text by (short answers only)."""
        return ""

    # --- pricing ---------------------------------------------------------------------------

    def fraction(self, question, choices: list, given) -> Decimal | None:
        """The share of the weight the answer earns, in [0, 1]; None when it earns nothing."""
        raise NotImplementedError

    # --- interchange -----------------------------------------------------------------------

    def json_choices(self, item: dict, where: str, problems: list[str]) -> list[dict]:
        """The choices (field dicts) of a question read from the JSON instrument format."""
        return []

    def json_export(self, question, choices: list) -> dict:
        """The kind's own entries of a question in the JSON instrument format."""
        return {}

    def gift_choices(self, item, texts) -> list[dict]:
        """The choices (field dicts) of a question read from GIFT.

        `item` is a parsed GIFT question (diagnostics/interchange/gift_types.py); `texts(field,
        value)` gives the translated fields the importer writes the text into.
        """
        return []

    # --- responses exported for a statistics package --------------------------------------

    def export_value(self, question, choices: list, given) -> int | Decimal | str | None:
        """The answer in one spreadsheet cell: a number where the answer is one, else text;
        None when nothing was answered. `given` is a GivenAnswer read back from the database."""
        if given.text:
            return given.text
        return given.number

    def export_labels(self, question, choices: list) -> list[tuple[object, str]]:
        """What the values of `export_value` mean, for the export's codebook: (value, label)."""
        return []

    # --- demo ------------------------------------------------------------------------------

    def demo_answer(self, question, choices: list, given, ability: float, knows: bool, rng) -> None:
        """Fill `given` as a teacher of this ability (0..1) plausibly would; `knows` is the draw
        the demo made for this question (diagnostics/demo.py). A kind that keeps no demo answer
        (free text) leaves `given` empty."""
