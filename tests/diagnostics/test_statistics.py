import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.urls import reverse

from diagnostics.item_stats import report as statistics
from diagnostics.item_stats.report import round_statistics_compute
from diagnostics.item_stats.tasks import compute_round_statistics
from diagnostics.models import ItemStatisticsReport, Question, Response
from tests.diagnostics.factories import (
    AnswerFactory,
    AreaFactory,
    InstrumentFactory,
    QuestionFactory,
    ResponseFactory,
    RoundFactory,
)
from tests.lms.factories import MethodistFactory

# Four teachers x three knowledge questions of weight 1, worked by hand below.
#
#            k1  k2  k3   total
#   t1        1   1   1     3
#   t2        1   1   0     2
#   t3        1   0   0     1
#   t4        0   0   0     0
#
# Facility = mean / max: k1 3/4 = 75 %, k2 2/4 = 50 %, k3 1/4 = 25 %.
# Cronbach's alpha = k/(k-1) * (1 - sum of item variances / variance of the total), variances
# with n - 1 = 3:
#   item variances: k1 (3 * 0.25^2 + 0.75^2) / 3 = 0.25, k2 (4 * 0.5^2) / 3 = 1/3, k3 0.25;
#   sum 5/6. Totals 3, 2, 1, 0 (mean 1.5): (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3.
#   alpha = 3/2 * (1 - (5/6) / (5/3)) = 3/2 * 1/2 = 0.75.
# Discrimination of k1 = 100 * r(k1, rest), rest = k2 + k3 = 2, 1, 0, 0 (mean 0.75):
#   deviations k1 .25 .25 .25 -.75, rest 1.25 .25 -.75 -.75; sum of products 0.75,
#   sums of squares 0.75 and 2.75: r = 0.75 / sqrt(0.75 * 2.75) = 0.5222.
KNOWLEDGE_POINTS = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]
TOTAL_PERCENTS = [Decimal(100), Decimal("66.67"), Decimal("33.33"), Decimal(0)]


def scored_response(round_, questions, points, percent=None):
    """A scored response with an answer for each question whose points are not None."""
    response = ResponseFactory(round=round_, status=Response.Status.SCORED, percent=percent)
    for question, earned in zip(questions, points, strict=True):
        if earned is not None:
            AnswerFactory(response=response, question=question, points=Decimal(earned))
    return response


def make_round(*, codes=("k1", "k2", "k3"), part=Question.Part.KNOWLEDGE, weight=1, schools=()):
    instrument = InstrumentFactory()
    area = AreaFactory(framework=instrument.framework, code="digital-content", name_en="Content")
    questions = [
        QuestionFactory(instrument=instrument, area=area, code=code, part=part, weight=weight)
        for code in codes
    ]
    return RoundFactory(instrument=instrument, schools=list(schools)), questions


@pytest.fixture
def knowledge_round(db):
    round_, questions = make_round()
    for points, percent in zip(KNOWLEDGE_POINTS, TOTAL_PERCENTS, strict=True):
        scored_response(round_, questions, points, percent)
    return round_


def knowledge_items(report):
    items = report.data["parts"]["knowledge"]["statistics"]["items"]
    return {item["key"]: item for item in items}


# The service ----------------------------------------------------------------------------------


def test_facility_and_alpha_match_the_hand_arithmetic(knowledge_round):
    report = round_statistics_compute(round=knowledge_round)

    assert report.respondents == 4
    items = knowledge_items(report)
    assert [items[code]["facility_index"] for code in ("k1", "k2", "k3")] == pytest.approx(
        [75, 50, 25]
    )
    assert items["k1"]["discrimination_index"] == pytest.approx(52.22, abs=0.01)
    knowledge = report.data["parts"]["knowledge"]["statistics"]
    assert knowledge["reliability"]["alpha"] == pytest.approx(0.75)
    assert knowledge["areas"][0]["area"] == "digital-content"
    assert knowledge["areas"][0]["reliability"]["alpha"] == pytest.approx(0.75)
    # Only knowledge questions in this instrument: no self-assessment part.
    assert report.data["parts"]["self_assessment"] is None


def test_total_histogram_counts_response_percentages(knowledge_round):
    report = round_statistics_compute(round=knowledge_round)

    counts = {b["lower_percent"]: b["count"] for b in report.data["total_histogram"]}
    # 0 -> [0, 10); 33.33 -> [30, 40); 66.67 -> [60, 70); 100 -> the last bin, [90, 100].
    assert counts == {0: 1, 10: 0, 20: 0, 30: 1, 40: 0, 50: 0, 60: 1, 70: 0, 80: 0, 90: 1}


def test_computing_twice_keeps_one_report_with_the_same_numbers(knowledge_round):
    first = round_statistics_compute(round=knowledge_round).data
    second = round_statistics_compute(round=knowledge_round)

    assert ItemStatisticsReport.objects.filter(round=knowledge_round).count() == 1
    assert second.data == first


def test_unanswered_knowledge_question_scores_zero_but_survey_item_is_left_out(db):
    round_, questions = make_round(codes=("k1", "s1", "s2"))
    k1, s1, s2 = questions
    Question.objects.filter(pk__in=[s1.pk, s2.pk]).update(
        part=Question.Part.SELF_ASSESSMENT, weight=2
    )
    # k1: t4 skipped it. s1: t4 skipped it. s2: t2 and t4 skipped it.
    for points in ([1, 2, 1], [1, 1, None], [0, 0, 0], [None, None, None]):
        scored_response(round_, questions, points)

    report = round_statistics_compute(round=round_)

    knowledge = knowledge_items(report)["k1"]
    # Knowledge test: the skip counts as 0 points, so the mean is (1 + 1 + 0 + 0) / 4.
    assert (knowledge["n_answered"], knowledge["n_scored"]) == (3, 4)
    assert knowledge["facility_index"] == pytest.approx(50)
    survey = report.data["parts"]["self_assessment"]["statistics"]["items"]
    by_code = {item["key"]: item for item in survey}
    # Survey: skips are missing. s1 = (2 + 1 + 0) / 3 of 2 points; s2 = (1 + 0) / 2 of 2.
    assert by_code["s1"]["n_answered"] == 3
    assert by_code["s1"]["facility_index"] == pytest.approx(50)
    assert by_code["s2"]["n_answered"] == 2
    assert by_code["s2"]["facility_index"] == pytest.approx(25)
    assert report.respondents == 4


def test_unscored_questions_and_unscored_responses_are_left_out(knowledge_round):
    instrument = knowledge_round.instrument
    area = instrument.questions.first().area
    free_text = QuestionFactory(
        instrument=instrument, area=area, code="free", kind=Question.Kind.FREE_TEXT
    )
    weightless = QuestionFactory(instrument=instrument, area=area, code="zero", weight=0)
    AnswerFactory(response=knowledge_round.responses.first(), question=free_text)
    AnswerFactory(response=knowledge_round.responses.first(), question=weightless, points=0)
    for status in (Response.Status.DRAFT, Response.Status.SUBMITTED):
        ResponseFactory(round=knowledge_round, status=status)

    report = round_statistics_compute(round=knowledge_round)

    assert report.respondents == 4
    assert set(knowledge_items(report)) == {"k1", "k2", "k3"}


@pytest.mark.parametrize("respondents", [0, 1])
def test_fewer_than_two_respondents_gives_a_report_that_says_so(db, respondents):
    round_, questions = make_round()
    for _ in range(respondents):
        scored_response(round_, questions, [1, 0, 1], Decimal("66.67"))

    report = round_statistics_compute(round=round_)

    assert report.respondents == respondents
    assert report.data["too_few_respondents"] is True
    assert report.data["parts"] == {"knowledge": None, "self_assessment": None}
    assert sum(b["count"] for b in report.data["total_histogram"]) == respondents


def test_respondents_count_even_without_scored_questions(db):
    round_, questions = make_round(codes=("free",))
    Question.objects.filter(pk=questions[0].pk).update(kind=Question.Kind.FREE_TEXT)
    for percent in (Decimal(40), Decimal(80)):
        scored_response(round_, questions, [None], percent)

    report = round_statistics_compute(round=round_)

    assert report.respondents == 2
    assert report.data["parts"] == {"knowledge": None, "self_assessment": None}
    assert [b["count"] for b in report.data["total_histogram"]] == [0, 0, 0, 0, 1, 0, 0, 0, 1, 0]


def test_points_outside_the_weight_are_clipped_and_counted(knowledge_round):
    answer = knowledge_round.responses.get(percent=0).answers.get(question__code="k1")
    answer.points = Decimal("1.5")
    answer.save(update_fields=["points"])

    report = round_statistics_compute(round=knowledge_round)

    assert report.data["clipped_answers"] == 1
    assert knowledge_items(report)["k1"]["facility_index"] == pytest.approx(100)


def test_answers_are_read_in_one_query(knowledge_round, django_assert_num_queries):
    questions = statistics.scored_questions(round=knowledge_round)
    with django_assert_num_queries(1):
        table = statistics.read_score_table(round=knowledge_round, questions=questions)
    assert table.points.tolist() == KNOWLEDGE_POINTS


# The Celery task ------------------------------------------------------------------------------


def test_task_computes_the_report(knowledge_round):
    assert compute_round_statistics.delay(knowledge_round.pk).get() == 4
    assert knowledge_round.item_statistics.respondents == 4


def test_task_for_a_deleted_round_does_nothing(db):
    assert compute_round_statistics.delay(987654).get() is None
    assert not ItemStatisticsReport.objects.exists()


def test_task_retries_a_database_hiccup(knowledge_round, monkeypatch):
    calls = []
    real_compute = statistics.round_statistics_compute

    def flaky_compute(*, round):
        calls.append(round.pk)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_compute(round=round)

    monkeypatch.setattr(statistics, "round_statistics_compute", flaky_compute)

    # throw=False: with eager propagation on, Celery would raise the Retry instead of running
    # the retry in-process as a worker would.
    result = compute_round_statistics.apply(args=[knowledge_round.pk], throw=False)
    assert result.get() == 4
    assert len(calls) == 2


def test_task_does_not_retry_a_defect(knowledge_round, monkeypatch):
    calls = []

    def broken_compute(*, round):
        calls.append(round.pk)
        raise ValueError("a bug")

    monkeypatch.setattr(statistics, "round_statistics_compute", broken_compute)

    with pytest.raises(ValueError, match="a bug"):
        compute_round_statistics.delay(knowledge_round.pk).get()
    assert len(calls) == 1


# The command ----------------------------------------------------------------------------------


def run_item_stats(*args) -> str:
    out = io.StringIO()
    call_command("item_stats", *args, stdout=out)
    return out.getvalue()


def test_command_csv_has_a_row_per_question_with_its_statistics(knowledge_round):
    output = run_item_stats("--round", str(knowledge_round.pk), "--format", "csv")

    rows = list(csv.DictReader(io.StringIO(output)))
    assert [row["code"] for row in rows] == ["k1", "k2", "k3"]
    assert [float(row["facility_index"]) for row in rows] == pytest.approx([75, 50, 25])
    assert {row["part"] for row in rows} == {"knowledge"}
    assert rows[0]["area"] == "digital-content"
    assert float(rows[0]["max_score"]) == 1
    assert rows[0]["n_answered"] == "4"
    assert float(rows[0]["discrimination_index"]) == pytest.approx(52.22, abs=0.01)


def test_command_json_prints_the_stored_report(knowledge_round):
    document = json.loads(run_item_stats("--round", str(knowledge_round.pk), "--format", "json"))

    stored = ItemStatisticsReport.objects.get(round=knowledge_round)
    assert document["round"] == knowledge_round.pk
    assert document["respondents"] == 4
    assert document["data"] == stored.data
    knowledge = document["data"]["parts"]["knowledge"]["statistics"]
    assert knowledge["reliability"]["alpha"] == pytest.approx(0.75)


def test_command_refuses_an_unknown_round(db):
    with pytest.raises(CommandError, match="no round with id 424242"):
        run_item_stats("--round", "424242", "--format", "csv")


# The page -------------------------------------------------------------------------------------


@pytest.fixture
def flagged_round(school):
    """The hand-worked round plus k4, which everybody gets right: too easy."""
    round_, questions = make_round(codes=("k1", "k2", "k3", "k4"), schools=[school])
    for points, percent in zip(KNOWLEDGE_POINTS, TOTAL_PERCENTS, strict=True):
        scored_response(round_, questions, [*points, 1], percent)
    return round_


def statistics_url(round_):
    return reverse("diagnostics:statistics", args=[round_.pk])


def get_page(client, user, round_):
    client.force_login(user)
    return client.get(statistics_url(round_), headers={"accept-language": "en"})


def test_methodist_sees_the_statistics_and_the_flags(client, flagged_round, methodist):
    round_statistics_compute(round=flagged_round)

    response = get_page(client, methodist, flagged_round)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Too easy" in page  # k4's badge and the explanation below the table
    assert "The facility index is above 95%" in page
    assert "0.75" in page  # alpha: k4 has no variance and is left out of it
    assert "Left out of alpha" in page
    sections = response.context["sections"]
    flagged = [row.code for row in sections[0].questions if row.flags]
    assert flagged == ["k4"]
    assert page.count('class="table-warning"') == 1
    assert "vendor/chart.js-4.6.1/chart.umd.min.js" in page
    assert 'id="total-histogram-data"' in page


def test_question_text_is_shown_in_the_readers_language(client, flagged_round):
    Question.objects.filter(code="k4", instrument=flagged_round.instrument).update(
        text_en="Which key saves a file?", text_ru="Какая клавиша сохраняет файл?"
    )
    round_statistics_compute(round=flagged_round)

    page = get_page(client, MethodistFactory(preferred_language="ru"), flagged_round)

    assert "Какая клавиша сохраняет файл?" in page.content.decode()


def test_administrator_sees_the_statistics_too(client, flagged_round, administrator):
    round_statistics_compute(round=flagged_round)
    assert get_page(client, administrator, flagged_round).status_code == 200


def test_page_without_a_report_offers_to_compute_it(client, flagged_round, methodist):
    response = get_page(client, methodist, flagged_round)

    assert response.status_code == 200
    assert "have not been computed yet" in response.content.decode()


def test_page_says_when_there_are_too_few_respondents(client, methodist):
    round_, questions = make_round()
    scored_response(round_, questions, [1, 1, 0])
    round_statistics_compute(round=round_)

    response = get_page(client, methodist, round_)

    assert "Too few respondents" in response.content.decode()


def test_recompute_queues_the_task_and_redirects_back(client, flagged_round, methodist):
    client.force_login(methodist)

    # Sent at once (the view writes nothing to commit first), so it can say whether the broker
    # took it: tests/faults/test_redis_stopped.py has the refused case.
    response = client.post(statistics_url(flagged_round))

    assert response.status_code == 302
    assert response.url == statistics_url(flagged_round)
    assert ItemStatisticsReport.objects.get(round=flagged_round).respondents == 4


# The round is taken by `school`: its teacher and head read their own results and reports
# elsewhere, never the item statistics.
@pytest.mark.parametrize("user", ["teacher", "head", "other_head"])
def test_teachers_and_heads_cannot_see_it(client, flagged_round, user, request):
    assert get_page(client, request.getfixturevalue(user), flagged_round).status_code == 403


def test_teacher_cannot_recompute(client, flagged_round, teacher):
    client.force_login(teacher)
    assert client.post(statistics_url(flagged_round)).status_code == 403
    assert not ItemStatisticsReport.objects.exists()


def test_stranger_is_sent_to_sign_in(client, flagged_round):
    response = client.get(statistics_url(flagged_round))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_unknown_round_is_404(client, methodist):
    client.force_login(methodist)
    assert client.get(reverse("diagnostics:statistics", args=[424242])).status_code == 404


def test_page_query_count_does_not_grow_with_the_questions(
    client, methodist, django_assert_max_num_queries
):
    round_, questions = make_round(codes=[f"q{i}" for i in range(40)])
    for row in range(5):
        scored_response(round_, questions, [(row + i) % 2 for i in range(40)])
    round_statistics_compute(round=round_)
    client.force_login(methodist)

    # session, user, the round with its instrument and report (one JOIN), the questions with
    # their areas (one JOIN)
    with django_assert_max_num_queries(4):
        response = client.get(statistics_url(round_))
    assert len(response.context["sections"][0].questions) == 40
