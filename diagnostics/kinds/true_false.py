"""True / false: two choices, "True" then "False", labelled in every interface language."""

from diagnostics.kinds.content import TRUE_FALSE_LABELS, interface_texts, json_texts, translated
from diagnostics.kinds.selection import SelectionKind


class TrueFalse(SelectionKind):
    code = "true_false"

    def json_choices(self, item, where, problems):
        correct = bool(item.get("correct"))
        feedback = item.get("choice_feedback") or {}
        return [
            {
                "credit": 1 if correct == is_true else 0,
                **interface_texts("text", label),
                **json_texts("feedback", feedback.get(key)),
            }
            for label, is_true, key in zip(
                TRUE_FALSE_LABELS, (True, False), ("true", "false"), strict=True
            )
        ]

    def json_export(self, question, choices):
        data = {"correct": bool(choices) and choices[0].credit == 1}
        # What a teacher reads after picking "true" and after picking "false".
        feedback = {
            key: translated(c, "feedback")
            for key, c in zip(("true", "false"), choices, strict=False)
            if any(translated(c, "feedback").values())
        }
        if feedback:
            data["choice_feedback"] = feedback
        return data

    def gift_choices(self, item, texts):
        # "True" and "False" are words of the interface, so every language gets its own.
        return [
            {
                "credit": choice.credit,
                **interface_texts(
                    "text", TRUE_FALSE_LABELS[0] if choice.text == "True" else TRUE_FALSE_LABELS[1]
                ),
                **texts("feedback", choice.feedback),
            }
            for choice in item.choices
        ]

    def demo_answer(self, question, choices, given, ability, knows, rng):
        right = [c for c in choices if c.credit == 1] or choices
        wrong = [c for c in choices if c.credit != 1] or choices
        given.selected = [rng.choice(right if knows else wrong).pk]
