"""Numerical: a number; each accepted value has a tolerance and a credit, the best one counts."""

from decimal import Decimal

from django.utils.translation import gettext as _

from diagnostics.kinds.base import (
    MAX_TYPED_NUMBER,
    ZERO,
    NumberTooLarge,
    QuestionKind,
    clamp,
    question_label,
    typed_number,
)
from diagnostics.kinds.content import json_decimal, json_texts, translated


class Numerical(QuestionKind):
    code = "numerical"
    sql_fraction = """COALESCE((
        SELECT {clamp_max} FROM {choice} c
        WHERE c.question_id = q.id AND c.value IS NOT NULL
          AND {answer}.number BETWEEN c.value - c.tolerance AND c.value + c.tolerance), 0)"""

    def read(self, question, post, given, problems):
        raw = post.get(f"q{question.pk}", "").strip()
        if not raw:
            return
        try:
            given.number = typed_number(raw)
        except NumberTooLarge:
            problems.append(
                _("%(question)s: the number is too large (it must be below %(max)s)")
                % {"question": question_label(question), "max": f"{MAX_TYPED_NUMBER:,.0f}"}
            )
        except ValueError:
            problems.append(
                _("%(question)s: “%(value)s” is not a number")
                % {"question": question_label(question), "value": raw[:40]}
            )

    def fraction(self, question, choices, given):
        if given.number is None:
            return ZERO
        number = Decimal(given.number)
        credits = [
            c.credit
            for c in choices
            if c.value is not None and abs(number - c.value) <= c.tolerance
        ]
        return clamp(max(credits, default=ZERO))

    def export_value(self, question, choices, given):
        # The number as typed, without the zeros storage pads it with: 4.5, not 4.5000.
        if given.number is None:
            return None
        number = Decimal(given.number).normalize()
        return number.quantize(Decimal(1)) if number == number.to_integral_value() else number

    def export_labels(self, question, choices):
        return [("", _("the number as the teacher typed it"))]

    def json_choices(self, item, where, problems):
        rows = []
        for answer in item.get("answers", []):
            feedback = json_texts("feedback", answer.get("feedback"))
            if answer.get("other"):
                # "Any other number": earns nothing, only carries its feedback (GIFT's `~#…`).
                rows.append({"value": None, "tolerance": 0, "credit": 0, **feedback})
                continue
            if "min" in answer:
                low = json_decimal(answer["min"], where, problems)
                high = json_decimal(answer["max"], where, problems)
                value, tolerance = (low + high) / 2, (high - low) / 2
            else:
                value = json_decimal(answer["value"], where, problems)
                tolerance = json_decimal(answer.get("tolerance", 0), where, problems)
            credit = json_decimal(answer.get("credit", 1), where, problems)
            rows.append({"value": value, "tolerance": tolerance, "credit": credit, **feedback})
        return rows

    def json_export(self, question, choices):
        answers = []
        for c in choices:
            # A row without a value accepts nothing: it is "any other number" with feedback.
            answer = (
                {"other": True}
                if c.value is None
                else {
                    "value": float(c.value),
                    "tolerance": float(c.tolerance),
                    "credit": float(c.credit),
                }
            )
            if any(translated(c, "feedback").values()):
                answer["feedback"] = translated(c, "feedback")
            answers.append(answer)
        return {"answers": answers}

    def gift_choices(self, item, texts):
        # The catch-all answer ("any other number", GIFT's `~#feedback`) earns nothing and has
        # no number to compare: a row without a value that keeps its feedback.
        return [
            {
                "value": answer.value,
                "tolerance": answer.tolerance,
                "credit": answer.credit if answer.value is not None else 0,
                **texts("feedback", answer.feedback),
            }
            for answer in item.numeric_answers
            if answer.value is not None or answer.feedback
        ]

    def demo_answer(self, question, choices, given, ability, knows, rng):
        value = choices[0].value if choices else Decimal(0)
        given.number = value if knows else value + rng.choice([-2, -1, 1, 3])
