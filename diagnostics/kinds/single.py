"""Single choice: one right answer among several (radio buttons)."""

from diagnostics.kinds.content import json_decimal, translated
from diagnostics.kinds.selection import SelectionKind, choice_texts


class SingleChoice(SelectionKind):
    code = "single"

    def json_choices(self, item, where, problems):
        return [
            {
                "credit": json_decimal(c["credit"], where, problems)
                if "credit" in c
                else (1 if c.get("correct") else 0),
                **choice_texts(c),
            }
            for c in item["choices"]
        ]

    def json_export(self, question, choices):
        return {
            "choices": [
                {
                    "text": translated(c, "text"),
                    "correct": c.credit == 1,
                    "credit": float(c.credit),
                    "feedback": translated(c, "feedback"),
                }
                for c in choices
            ]
        }

    def demo_answer(self, question, choices, given, ability, knows, rng):
        right = [c for c in choices if c.credit == 1] or choices
        wrong = [c for c in choices if c.credit != 1] or choices
        given.selected = [rng.choice(right if knows else wrong).pk]
