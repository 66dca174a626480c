"""Rating scale (Likert): a value from scale_min to scale_max, possibly reverse-coded; it earns
its position on the scale. Attitude scales are made of these."""

from decimal import Decimal

from django.utils.translation import gettext as _

from diagnostics.kinds.base import ONE, QuestionKind, question_label
from lms.params import int_or_none


def likert_fraction(question, value: Decimal) -> Decimal:
    span = Decimal(question.scale_max - question.scale_min)
    fraction = (Decimal(value) - question.scale_min) / span
    return ONE - fraction if question.reverse_coded else fraction


class RatingScale(QuestionKind):
    code = "likert"
    sql_fraction = """
        (CASE WHEN q.reverse_coded THEN q.scale_max - {answer}.number
              ELSE {answer}.number - q.scale_min END)
        / (1.0 * (q.scale_max - q.scale_min))"""

    def read(self, question, post, given, problems):
        raw = post.get(f"q{question.pk}", "").strip()
        if not raw:
            return
        low, high = question.scale_min, question.scale_max
        value = int_or_none(raw, minimum=low, maximum=high)
        if value is None:
            problems.append(
                _("%(question)s: choose a value from %(low)d to %(high)d")
                % {"question": question_label(question), "low": low, "high": high}
            )
        else:
            given.number = Decimal(value)

    def fraction(self, question, choices, given):
        return None if given.number is None else likert_fraction(question, given.number)

    def export_value(self, question, choices, given):
        # The point of the scale as the teacher chose it, before any reverse coding.
        return None if given.number is None else int(given.number)

    def export_labels(self, question, choices):
        labels = [
            (question.scale_min, _("the lowest point of the scale")),
            (question.scale_max, _("the highest point of the scale")),
        ]
        if question.reverse_coded:
            labels.append(("", _("reverse-coded: the value is as chosen, scoring reverses it")))
        return labels

    def json_export(self, question, choices):
        return {
            "scale_min": question.scale_min,
            "scale_max": question.scale_max,
            "reverse": question.reverse_coded,
        }

    def demo_answer(self, question, choices, given, ability, knows, rng):
        agreement = 1 - ability if question.reverse_coded else ability
        if question.part == "attitude" and question.scale.code == "anxiety":
            agreement = 1 - ability
        span = question.scale_max - question.scale_min
        value = round(question.scale_min + span * agreement + rng.gauss(0, 0.7))
        given.number = Decimal(min(question.scale_max, max(question.scale_min, value)))
