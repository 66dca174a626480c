from decimal import Decimal

import pytest

from diagnostics.kinds.pricing import answer_fraction, points
from diagnostics.models import AreaScore, Response, ScaleScore
from diagnostics.scoring.sets import responses_score, waiting_responses_score
from tests.diagnostics.helpers import ALL_RIGHT, answered_response, by_code
from tests.lms.factories import TeacherFactory


def score(response) -> Response:
    responses_score(response_ids=[response.pk])
    response.refresh_from_db()
    return response


def answer_points(response) -> dict:
    return {a.question.code: a.points for a in response.answers.select_related("question")}


def area(response, code, part="all") -> AreaScore:
    return response.area_scores.select_related("level").get(area__code=code, part=part)


def test_every_question_kind_earns_its_points(open_round, teacher):
    response = score(answered_response(open_round, teacher, ALL_RIGHT))
    assert answer_points(response) == {
        "single": Decimal("1"),
        "multi": Decimal("2"),  # weight 2, credits 0.5 + 0.5
        "levels": Decimal("0.6667"),  # statement 2 of 0..3
        "likert": Decimal("0.75"),  # 4 on 1..5
        "likert-rev": Decimal("0.75"),  # 2 on a reversed 1..5
        "tf": Decimal("1"),
        "short": Decimal("1"),  # Russian function name, other case, spaces
        "num": Decimal("1"),
        "match": Decimal("1"),
        "essay": None,  # free text is not scored
        "anx": Decimal("1"),
    }
    assert response.status == Response.Status.SCORED
    assert response.points == Decimal("9.1667")
    assert response.max_points == Decimal("10")
    assert response.percent == Decimal("91.67")
    assert response.level.code == "high"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"multi": ["A", "C"]}, Decimal("0")),  # 0.5 - 1 is clamped at zero, never negative
        ({"multi": ["A"]}, Decimal("1")),  # partial credit: half of weight 2
        ({"short": "SUM(A1:A5)"}, Decimal("0.5")),  # a partially accepted answer
        ({"short": "=AVERAGE(A1:A5)"}, Decimal("0")),
        ({"num": "4"}, Decimal("0.5")),  # the 4..5 range includes its edges
        ({"num": "4.8"}, Decimal("0.5")),  # inside the 4..5 range answer
        ({"num": "7"}, Decimal("0")),
        ({"match": {"Word": "Documents", "Excel": "Music"}}, Decimal("0.5")),
        ({"likert-rev": 5}, Decimal("0")),
        ({"likert-rev": 1}, Decimal("1")),
    ],
)
def test_partial_credit_negative_weights_and_reverse_coding(open_round, teacher, answers, expected):
    response = score(answered_response(open_round, teacher, answers))
    (code,) = answers
    assert answer_points(response)[code] == expected


# Answer sets for checking the SQL against the Python rules: everything right, then partial
# credit (a partly accepted short answer, half of a multiple choice, one pair of two, the lower
# level statements), negative credit clamped at zero, numerical answers exactly at, just inside
# and just outside a tolerance, reverse coding, and questions left unanswered.
SQL_VERSUS_PYTHON = {
    "all right": ALL_RIGHT,
    "partial": {
        "single": "A",
        "multi": ["A"],
        "levels": "L1",
        "likert": 2,
        "likert-rev": 5,
        "tf": "True",
        "short": "sum(a1:a5)",
        "num": "4",  # the lower edge of the 4..5 range: half credit
        "match": {"Word": "Documents", "Excel": "Music"},
        "anx": 3,
    },
    "clamped and outside": {
        "multi": ["A", "C"],  # 0.5 - 1 is clamped at zero
        "levels": "L0",
        "short": "=AVERAGE(A1:A5)",
        "num": "5.0001",  # just outside the range's upper edge
        "match": {"Word": "Tables", "Excel": "Documents"},
        "anx": 1,
    },
    "inside the tolerance": {
        "multi": ["A", "B", "C"],
        "num": "4.6",  # inside the range, not the exact answer
        "match": {"Word": "Documents"},  # one prompt left unanswered
        "short": "SUM(A1:A5)",
    },
}


@pytest.mark.parametrize("answers", SQL_VERSUS_PYTHON.values(), ids=SQL_VERSUS_PYTHON.keys())
def test_sql_agrees_with_the_python_rules(open_round, teacher, answers):
    response = score(answered_response(open_round, teacher, answers))
    questions = by_code(open_round.instrument)
    compared = {}
    for answer in response.answers.prefetch_related("selections"):
        question = questions[answer.question.code]
        selections = list(answer.selections.all())
        fraction = answer_fraction(
            question,
            question.choices.all(),
            selected=[s.choice_id for s in selections if s.matched_choice_id is None],
            number=answer.number,
            text=answer.text,
            matches={s.choice_id: s.matched_choice_id for s in selections if s.matched_choice_id},
        )
        assert answer.points == points(question, fraction), question.code
        compared[question.code] = fraction
    assert set(compared) == {code for code in answers if code in questions}


def test_the_sql_comparison_covers_partial_credit_tolerances_and_matching(open_round, teacher):
    """The answer sets above really reach the cases they are meant to: not only all or nothing."""
    fractions = {}
    for name, answers in SQL_VERSUS_PYTHON.items():
        response = score(
            answered_response(open_round, TeacherFactory(school=teacher.school), answers)
        )
        for answer in response.answers.select_related("question"):
            weight = answer.question.weight
            if answer.points is not None:
                fractions[(name, answer.question.code)] = answer.points / weight
    assert fractions[("partial", "multi")] == Decimal("0.5")
    assert fractions[("partial", "short")] == Decimal("0.5")
    assert fractions[("partial", "num")] == Decimal("0.5")
    assert fractions[("partial", "match")] == Decimal("0.5")
    assert fractions[("clamped and outside", "multi")] == 0
    assert fractions[("clamped and outside", "num")] == 0
    assert fractions[("clamped and outside", "match")] == 0
    assert fractions[("inside the tolerance", "num")] == Decimal("0.5")
    assert fractions[("inside the tolerance", "match")] == Decimal("0.5")
    assert fractions[("all right", "num")] == 1


def test_level_boundaries_are_inclusive(open_round, school):
    exactly_half = {
        "single": "A",
        "multi": ["A", "B"],
        "levels": "L0",  # docs: 2 of 4 = 50 %
        "likert": 1,
        "likert-rev": 5,
        "tf": "False",
        "short": "=SUM(A1:A5)",
        "num": 4.5,
    }  # net: 3 of 6; total 5 of 10 = 50 %
    just_below = dict(exactly_half, num=4)  # 4.5 of 10 = 45 %
    at = score(answered_response(open_round, TeacherFactory(school=school), exactly_half))
    below = score(answered_response(open_round, TeacherFactory(school=school), just_below))
    assert (at.percent, at.level.code) == (Decimal("50.00"), "mid")
    assert (below.percent, below.level.code) == (Decimal("45.00"), "low")
    assert area(at, "docs").percent == Decimal("50.00")
    assert area(at, "docs").level.code == "mid"
    # No thresholds were set for "net": its score has no level rather than a wrong one.
    assert area(at, "net").level is None


def test_self_assessment_and_knowledge_are_scored_apart(open_round, teacher):
    response = score(answered_response(open_round, teacher, ALL_RIGHT))
    docs_self = area(response, "docs", AreaScore.Part.SELF_ASSESSMENT)
    docs_test = area(response, "docs", AreaScore.Part.KNOWLEDGE)
    assert (docs_self.points, docs_self.max_points) == (Decimal("0.6667"), Decimal("1"))
    assert (docs_test.points, docs_test.max_points) == (Decimal("3"), Decimal("3"))


def test_unanswered_questions_count_as_zero(open_round, teacher):
    response = score(answered_response(open_round, teacher, {"single": "B"}))
    assert response.points == Decimal("1")
    assert response.max_points == Decimal("10")
    assert response.level.code == "low"


def test_attitude_scale_is_a_flag_not_a_score(open_round, teacher, school):
    anxious = score(answered_response(open_round, teacher, {"single": "B", "anx": 5}))
    calm = score(
        answered_response(open_round, TeacherFactory(school=school), {"single": "B", "anx": 2})
    )
    assert anxious.points == calm.points == Decimal("1")
    assert ScaleScore.objects.get(response=anxious).flagged is True
    assert ScaleScore.objects.get(response=calm).flagged is False
    assert ScaleScore.objects.get(response=calm).percent == Decimal("25.00")


def test_scoring_twice_gives_the_same_rows(open_round, teacher):
    response = score(answered_response(open_round, teacher, ALL_RIGHT))
    first = sorted(
        response.area_scores.values_list("area_id", "part", "points", "percent", "level_id")
    )
    assert responses_score(response_ids=[response.pk], rescore=True) == 1
    again = sorted(
        response.area_scores.values_list("area_id", "part", "points", "percent", "level_id")
    )
    assert first == again
    assert AreaScore.objects.filter(response=response).count() == len(first)
    # A scored response is not scored again unless re-scoring is asked for.
    assert responses_score(response_ids=[response.pk]) == 0


def test_rescoring_a_round_applies_a_fixed_key(open_round, teacher):
    from diagnostics.scoring.tasks import rescore_round

    response = score(answered_response(open_round, teacher, {"single": "A"}))
    assert response.points == Decimal("0")
    question = by_code(open_round.instrument)["single"]
    question.choices.filter(text_en="A").update(credit=1)  # the methodist fixes the key
    rescore_round.delay(open_round.pk)
    response.refresh_from_db()
    assert response.points == Decimal("1")


def test_drafts_are_never_scored(open_round, teacher):
    draft = answered_response(open_round, teacher, ALL_RIGHT, submit=False)
    assert waiting_responses_score() == 0
    draft.refresh_from_db()
    assert draft.status == Response.Status.DRAFT
    assert draft.points is None


def test_sweeper_requeues_a_lost_submission(open_round, teacher):
    from datetime import timedelta

    from django.utils import timezone

    from diagnostics.scoring.tasks import requeue_stale_submissions

    response = answered_response(open_round, teacher, ALL_RIGHT)
    # Submitted a while ago, and its task never ran (broker down, worker killed).
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=5)
    )
    assert requeue_stale_submissions.delay().get() is True
    response.refresh_from_db()
    assert response.status == Response.Status.SCORED
    assert requeue_stale_submissions.delay().get() is False


def test_submitting_prices_the_answers_by_the_key_of_that_moment(open_round, teacher):
    from diagnostics.taking.pages import instrument_questions
    from diagnostics.taking.services import response_submit

    draft = answered_response(open_round, teacher, {**ALL_RIGHT, "single": "A"}, submit=False)
    # While only drafts exist the instrument is not locked: the methodist fixes the key.
    question = by_code(open_round.instrument)["single"]
    question.choices.filter(text_en="A").update(credit=1)
    questions = instrument_questions(open_round.instrument)
    assert response_submit(response=draft, questions=questions) == []
    # Priced in the submit's own transaction, before any scoring task has run.
    assert draft.answers.get(question=question).points == Decimal("1")
    all_right = score(answered_response(open_round, TeacherFactory(), ALL_RIGHT))
    assert score(draft).points == all_right.points


def test_scoring_does_not_reprice_what_the_submit_priced(open_round, teacher):
    response = answered_response(open_round, teacher, ALL_RIGHT)
    single = by_code(open_round.instrument)["single"]
    response.answers.filter(question=single).update(points=Decimal("0.5"))
    score(response)
    assert answer_points(response)["single"] == Decimal("0.5")
    # Re-scoring, by contrast, prices every answer again from the keys.
    responses_score(response_ids=[response.pk], rescore=True)
    assert answer_points(response)["single"] == Decimal("1")


def test_scoring_tasks_keep_the_names_queued_messages_and_beat_use():
    from django.conf import settings

    from lms.celery import app

    pinned = {
        "diagnostics.tasks.score_waiting_responses",
        "diagnostics.tasks.rescore_round",
        "diagnostics.tasks.requeue_stale_submissions",
    }
    assert pinned <= set(app.tasks)  # registered when Django starts, as a worker does
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "diagnostics.tasks.requeue_stale_submissions" in beat
