"""Multiple choice: any number of choices, each with its own (possibly negative) credit."""

from diagnostics.kinds.content import json_decimal, translated
from diagnostics.kinds.selection import SelectionKind, choice_texts


class MultipleChoice(SelectionKind):
    code = "multiple"
    many = True

    def json_choices(self, item, where, problems):
        return [
            {"credit": json_decimal(c.get("credit", 0), where, problems), **choice_texts(c)}
            for c in item["choices"]
        ]

    def json_export(self, question, choices):
        return {
            "choices": [
                {
                    "text": translated(c, "text"),
                    "credit": float(c.credit),
                    "feedback": translated(c, "feedback"),
                }
                for c in choices
            ]
        }

    def demo_answer(self, question, choices, given, ability, knows, rng):
        given.selected = [c.pk for c in choices if (c.credit > 0) == (rng.random() < ability)]
