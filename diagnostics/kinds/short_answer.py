"""Short answer: typed text compared with the accepted answers by their key (Unicode-normalised,
spaces folded and, unless the question is case-sensitive, case folded)."""

from diagnostics.kinds.base import MAX_TEXT_LENGTH, ZERO, QuestionKind, answer_key, clamp
from diagnostics.kinds.content import json_decimal, json_texts


class ShortAnswer(QuestionKind):
    code = "short_answer"
    sql_fraction = """COALESCE((
        SELECT {clamp_max} FROM {choice} c
        WHERE c.question_id = q.id AND c.answer_key <> '' AND c.answer_key = {answer}.text_key
        ), 0)"""

    def read(self, question, post, given, problems):
        given.text = post.get(f"q{question.pk}", "").strip()[:MAX_TEXT_LENGTH]

    def text_key(self, question, text):
        return answer_key(text, case_sensitive=question.case_sensitive)[:255]

    def fraction(self, question, choices, given):
        key = answer_key(given.text, case_sensitive=question.case_sensitive)
        credits = [c.credit for c in choices if key and c.answer_key == key]
        return clamp(max(credits, default=ZERO))

    def json_choices(self, item, where, problems):
        sensitive = bool(item.get("case_sensitive"))
        return [
            {
                "answer_key": answer_key(a["answer"], case_sensitive=sensitive),
                "credit": json_decimal(a.get("credit", 1), where, problems),
                **json_texts("text", a["answer"]),
            }
            for a in item.get("accepted", [])
        ]

    def json_export(self, question, choices):
        return {
            "case_sensitive": question.case_sensitive,
            "accepted": [
                {"answer": c.text_en or c.answer_key, "credit": float(c.credit)} for c in choices
            ],
        }

    def gift_choices(self, item, texts):
        return [
            {
                "credit": choice.credit,
                "answer_key": answer_key(choice.text),
                **texts("text", choice.text),
                **texts("feedback", choice.feedback),
            }
            for choice in item.choices
        ]

    def demo_answer(self, question, choices, given, ability, knows, rng):
        given.text = (choices[0].text if choices else "") if knows else "=A1+A5"
