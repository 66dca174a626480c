"""Short answer: typed text compared with the accepted answers by their key (Unicode-normalised,
spaces folded and, unless the question is case-sensitive, case folded). An accepted answer `*`
accepts any answer, as in Moodle (GIFT's `=%0%*#…` gives feedback for any other answer)."""

from django.conf import settings
from django.utils.translation import gettext as _

from diagnostics.kinds.base import ZERO, QuestionKind, answer_key, clamp, read_text
from diagnostics.kinds.content import json_decimal, json_texts, translated

ANY_ANSWER = "*"


class ShortAnswer(QuestionKind):
    code = "short_answer"
    sql_fraction = """COALESCE((
        SELECT {clamp_max} FROM {choice} c
        WHERE c.question_id = q.id AND c.answer_key <> '' AND {answer}.text_key <> ''
          AND (c.answer_key = {answer}.text_key OR c.answer_key = '*')), 0)"""

    def read(self, question, post, given, problems):
        read_text(question, post, given, problems)

    def text_key(self, question, text):
        return answer_key(text, case_sensitive=question.case_sensitive)[:255]

    def fraction(self, question, choices, given):
        key = answer_key(given.text, case_sensitive=question.case_sensitive)
        credits = [c.credit for c in choices if key and c.answer_key in (key, ANY_ANSWER)]
        return clamp(max(credits, default=ZERO))

    def export_labels(self, question, choices):
        return [("", _("the text as the teacher typed it"))]

    def json_choices(self, item, where, problems):
        sensitive = bool(item.get("case_sensitive"))
        rows = []
        for accepted in item.get("accepted", []):
            texts = json_texts("text", accepted["answer"])
            written = accepted.get("key") or _first_written(texts)
            rows.append(
                {
                    "answer_key": answer_key(written, case_sensitive=sensitive)[:255],
                    "credit": json_decimal(accepted.get("credit", 1), where, problems),
                    **texts,
                    **json_texts("feedback", accepted.get("feedback")),
                }
            )
        return rows

    def json_export(self, question, choices):
        accepted = []
        for c in choices:
            texts = translated(c, "text")
            # The answer as it was written, in every language it was written in; the compared
            # key only when it is not what the text gives.
            answer = {"answer": texts if any(texts.values()) else c.answer_key}
            written = _first_written({f"text_{code}": text for code, text in texts.items()})
            if answer_key(written, case_sensitive=question.case_sensitive) != c.answer_key:
                answer["key"] = c.answer_key
            answer["credit"] = float(c.credit)
            if any(translated(c, "feedback").values()):
                answer["feedback"] = translated(c, "feedback")
            accepted.append(answer)
        return {"case_sensitive": question.case_sensitive, "accepted": accepted}

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


def _first_written(texts: dict) -> str:
    """The text an answer's key comes from: the default language's, else the first one given."""
    default = texts.get(f"text_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}")
    return default or next((text for text in texts.values() if text), "")
