"""What the choice kinds share (single, multiple, level statements, true/false): the teacher
picks choice ids, and an answer earns the clamped sum of the picked choices' credits."""

from django.utils.translation import gettext as _

from diagnostics.kinds.base import ZERO, QuestionKind, clamp, question_label
from diagnostics.kinds.content import json_texts
from lms.params import int_or_none

# Only selections are summed, without a condition on them: matching answers alone carry matched
# pairs (their kind refuses any other), and a condition on matched_choice_id is one PostgreSQL
# could answer from the index of "no match" rows, which it once did for every answer.
SELECTION_SQL = """(
        SELECT {clamp_sum} FROM {answer_choice} ac JOIN {choice} c ON c.id = ac.choice_id
        WHERE ac.answer_id = {answer}.id)"""


class SelectionKind(QuestionKind):
    stores_options = True
    many = False  # several choices may be picked
    sql_fraction = SELECTION_SQL

    def read(self, question, post, given, problems):
        name = f"q{question.pk}"
        choice_ids = {c.pk for c in question.choices.all()}
        raw = post.getlist(name) if self.many else [post.get(name, "")]
        # The same choice sent twice is one choice (a forged form; the answer keeps it once).
        raw = list(dict.fromkeys(value for value in raw if value != ""))
        if not self.many and len(raw) > 1:
            problems.append(
                _("%(question)s: only one choice is allowed")
                % {"question": question_label(question)}
            )
        for value in raw:
            choice_id = int_or_none(value)
            if choice_id not in choice_ids:
                problems.append(
                    _("%(question)s: that choice does not belong to the question")
                    % {"question": question_label(question)}
                )
            elif choice_id not in given.selected:
                given.selected.append(choice_id)

    def fraction(self, question, choices, given):
        chosen = set(given.selected)
        return clamp(sum((c.credit for c in choices if c.pk in chosen), ZERO))

    def export_value(self, question, choices, given):
        # A choice is its number in the question's order (1, 2, ...): stable for a statistics
        # package, whatever language the texts are in. Several are listed in order, "1;3".
        numbers = choice_numbers(choices)
        picked = sorted(numbers[pk] for pk in given.selected if pk in numbers)
        if not picked:
            return None
        if self.many:
            return ";".join(str(number) for number in picked)
        return picked[0]

    def export_labels(self, question, choices):
        return [(number, str(c)) for number, c in enumerate(choices, start=1)]

    def gift_choices(self, item, texts):
        return [
            {
                "credit": choice.credit,
                **texts("text", choice.text),
                **texts("feedback", choice.feedback),
            }
            for choice in item.choices
        ]


def choice_numbers(choices: list) -> dict[int, int]:
    """{choice id: its number in the question, from 1}, in the order the choices are given."""
    return {c.pk: number for number, c in enumerate(choices, start=1)}


def choice_texts(choice: dict) -> dict:
    """A JSON choice's text and feedback fields."""
    return {**json_texts("text", choice["text"]), **json_texts("feedback", choice.get("feedback"))}
