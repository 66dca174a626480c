"""Matching: each prompt (a choice with credit) is paired with a match; distractors are choices
without a prompt or credit. An answer earns the share of prompts paired with their own match.

Field names: `q<id>-<prompt choice id>` = the id of the choice whose match was picked.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from diagnostics.kinds.base import ZERO, QuestionKind, question_label
from diagnostics.kinds.content import json_texts, translated
from lms.params import int_or_none


class Matching(QuestionKind):
    stores_options = True
    code = "matching"
    # The prompt's own row carries its match, so a right pair is choice_id = matched_choice_id.
    sql_fraction = """COALESCE((
        SELECT 1.0 * COUNT(*) FROM {answer_choice} ac
        WHERE ac.answer_id = {answer}.id AND ac.matched_choice_id = ac.choice_id) / (
        SELECT NULLIF(COUNT(*), 0) FROM {choice} c WHERE c.question_id = q.id AND c.credit > 0
        ), 0)"""

    def read(self, question, post, given, problems):
        name = f"q{question.pk}"
        choice_ids = {c.pk for c in question.choices.all()}
        prompts = {c.pk for c in question.choices.all() if c.credit > 0}
        for prompt in prompts:
            raw = post.get(f"{name}-{prompt}", "")
            if raw == "":
                continue
            match = int_or_none(raw)
            if match not in choice_ids:
                problems.append(
                    _("%(question)s: that match does not belong to the question")
                    % {"question": question_label(question)}
                )
            else:
                given.matches[prompt] = match

    def fraction(self, question, choices, given):
        prompts = [c for c in choices if c.credit > 0]  # distractors carry no credit
        if not prompts:
            return ZERO
        matches = given.matches or {}
        right = sum(1 for c in prompts if matches.get(c.pk) == c.pk)
        return Decimal(right) / Decimal(len(prompts))

    def export_value(self, question, choices, given):
        # Each prompt answered, as "prompt=match" by the choices' numbers in the question
        # ("1=1;2=3": prompt 1 got its own match, prompt 2 the match of choice 3).
        numbers = {c.pk: number for number, c in enumerate(choices, start=1)}
        pairs = sorted(
            (numbers[prompt], numbers[match])
            for prompt, match in (given.matches or {}).items()
            if prompt in numbers and match in numbers
        )
        return ";".join(f"{prompt}={match}" for prompt, match in pairs) or None

    def export_labels(self, question, choices):
        return [
            (number, " → ".join(text for text in (c.text, c.match_text) if text))
            for number, c in enumerate(choices, start=1)
        ]

    def json_choices(self, item, where, problems):
        return [
            {
                "credit": 1 if pair.get("prompt") else 0,
                **json_texts("text", pair.get("prompt") or ""),
                **json_texts("match_text", pair["match"]),
            }
            for pair in item.get("pairs", [])
        ]

    def json_export(self, question, choices):
        return {
            "pairs": [
                {
                    "prompt": translated(c, "text") if c.text else None,
                    "match": translated(c, "match_text"),
                }
                for c in choices
            ]
        }

    def gift_choices(self, item, texts):
        return [
            {
                "credit": 1 if pair.prompt else 0,
                **texts("text", pair.prompt),
                **texts("match_text", pair.match),
            }
            for pair in item.pairs
        ]

    def demo_answer(self, question, choices, given, ability, knows, rng):
        for prompt in [c for c in choices if c.credit > 0]:
            given.matches[prompt.pk] = (
                prompt.pk if rng.random() < ability else rng.choice(choices).pk
            )
