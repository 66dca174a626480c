"""Level statements: the teacher picks the statement that describes them; statement k of n
earns k / n (self-assessment)."""

from decimal import Decimal

from diagnostics.kinds.content import json_decimal, translated
from diagnostics.kinds.selection import SelectionKind, choice_texts


class LevelStatements(SelectionKind):
    code = "level_statements"

    def json_choices(self, item, where, problems):
        top = max((Decimal(str(c.get("points", 0))) for c in item["choices"]), default=0)
        return [
            {
                # An exported file carries the exact credit; a hand-written one gives points.
                "credit": json_decimal(c["credit"], where, problems)
                if "credit" in c
                else ((Decimal(str(c.get("points", 0))) / top) if top else 0),
                **choice_texts(c),
            }
            for c in item["choices"]
        ]

    def json_export(self, question, choices):
        steps = len(choices) - 1 or 1
        return {
            "choices": [
                {
                    "text": translated(c, "text"),
                    "points": int((c.credit * steps).to_integral_value()),
                    "credit": float(c.credit),
                    "feedback": translated(c, "feedback"),
                }
                for c in choices
            ]
        }

    def demo_answer(self, question, choices, given, ability, knows, rng):
        index = min(
            len(choices) - 1, max(0, round(ability * (len(choices) - 1) + rng.gauss(0, 0.6)))
        )
        given.selected = [choices[index].pk]
