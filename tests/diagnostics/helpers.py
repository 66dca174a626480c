from decimal import Decimal

from diagnostics.kinds.answers import GivenAnswer
from diagnostics.models import Response
from diagnostics.taking.pages import instrument_questions
from diagnostics.taking.services import response_save_answers, response_start


def by_code(instrument) -> dict:
    return {q.code: q for q in instrument_questions(instrument)}


def choice(question, text: str):
    # English texts: true/false labels are translated, so other languages differ.
    return next(c for c in question.choices.all() if text in (c.text_en, c.match_text_en))


def answered_response(round, teacher, answers: dict, *, submit=True) -> Response:
    """A response with answers given by question code: a choice text, a list of texts, a
    number, a string, or {prompt text: match text} for matching."""
    questions = by_code(round.instrument)
    given = []
    for code, value in answers.items():
        question = questions[code]
        item = GivenAnswer(question)
        kind = question.kind
        if kind in ("single", "level_statements", "true_false"):
            item.selected = [choice(question, value).pk]
        elif kind == "multiple":
            item.selected = [choice(question, v).pk for v in value]
        elif kind in ("likert", "numerical"):
            item.number = Decimal(str(value))
        elif kind in ("short_answer", "free_text"):
            item.text = value
        elif kind == "matching":
            item.matches = {
                choice(question, p).pk: choice(question, m).pk for p, m in value.items()
            }
        given.append(item)
    response = response_start(round=round, teacher=teacher)
    response_save_answers(response=response, answers=given)
    if submit:
        from django.utils import timezone

        Response.objects.filter(pk=response.pk).update(
            status=Response.Status.SUBMITTED, submitted_at=timezone.now()
        )
    response.refresh_from_db()
    return response


ALL_RIGHT = {
    "single": "B",
    "multi": ["A", "B"],
    "levels": "L2",
    "likert": 4,
    "likert-rev": 2,
    "tf": "False",
    "short": "  =сумм(a1:a5) ",
    "num": "4.5",
    "match": {"Word": "Documents", "Excel": "Tables"},
    "essay": "I like it",
    "anx": 5,
}
