"""The item-statistics page's question rows (numbered, linked, texts rendered by their format)
and its CSV download. The hand-worked round is in test_statistics.py."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from diagnostics.item_stats.export import _two_decimals
from diagnostics.item_stats.report import round_statistics_compute
from diagnostics.models import Answer, Area, Question
from tests.diagnostics.factories import AreaFactory
from tests.diagnostics.test_statistics import (
    KNOWLEDGE_POINTS,
    TOTAL_PERCENTS,
    make_round,
    scored_response,
)
from tests.lms.factories import MethodistFactory


@pytest.fixture
def flagged_round(school):
    """The hand-worked round of test_statistics plus k4, which everybody gets right: too easy."""
    round_, questions = make_round(codes=("k1", "k2", "k3", "k4"), schools=[school])
    for points, percent in zip(KNOWLEDGE_POINTS, TOTAL_PERCENTS, strict=True):
        scored_response(round_, questions, [*points, 1], percent)
    return round_


def page_url(round_):
    return reverse("diagnostics:statistics", args=[round_.pk])


def csv_url(round_):
    return reverse("diagnostics:statistics-csv", args=[round_.pk])


def get(client, user, url, language="en"):
    client.force_login(user)
    return client.get(url, headers={"accept-language": language})


def csv_rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads Cyrillic and Kazakh right
    return list(csv.reader(io.StringIO(body[1:])))


def set_text(round_, code, text, text_format=Question.TextFormat.PLAIN):
    Question.objects.filter(instrument=round_.instrument, code=code).update(
        text_en=text, text_format=text_format
    )


# Rows on the page -------------------------------------------------------------------------------


def test_each_row_links_to_its_question_and_the_link_opens_for_the_methodist(
    client, flagged_round, methodist
):
    round_statistics_compute(round=flagged_round)
    k4 = flagged_round.instrument.questions.get(code="k4")

    response = get(client, methodist, page_url(flagged_round))

    link = reverse("admin:diagnostics_question_change", args=[k4.pk])
    assert f'href="{link}"' in response.content.decode()
    question_page = client.get(link)
    assert question_page.status_code == 200
    assert question_page.context["original"] == k4


def test_rows_carry_the_number_the_teacher_saw(client, flagged_round, methodist):
    # The teacher walks the instrument area by area: k3 moved to an area that comes first is
    # the teacher's question 1.
    instrument = flagged_round.instrument
    instrument.framework.areas.update(position=5)
    first_area = AreaFactory(framework=instrument.framework, code="first", position=0)
    instrument.questions.filter(code="k3").update(area=first_area)
    round_statistics_compute(round=flagged_round)

    response = get(client, methodist, page_url(flagged_round))

    rows = response.context["sections"][0].questions
    assert [(row.number, row.code) for row in rows] == [(1, "k3"), (2, "k1"), (3, "k2"), (4, "k4")]


def test_html_question_text_is_rendered_sanitised_not_escaped(client, flagged_round, methodist):
    set_text(
        flagged_round,
        "k1",
        '<p>Which <b>key</b> saves?</p><script>alert("owned")</script>'
        '<img src="x" onerror="alert(1)">',
        Question.TextFormat.HTML,
    )
    set_text(flagged_round, "k2", "Press **Ctrl+S** to save", Question.TextFormat.MARKDOWN)
    round_statistics_compute(round=flagged_round)

    page = get(client, methodist, page_url(flagged_round)).content.decode()

    assert "Which key saves?" in page  # the row's line, without markup
    assert "<b>key</b>" in page  # the full text, rendered
    assert "<strong>Ctrl+S</strong>" in page
    assert "Press Ctrl+S to save" in page
    assert "&lt;b&gt;" not in page and "**Ctrl+S**" not in page
    assert "owned" not in page
    assert "onerror" not in page


def test_plain_text_is_escaped(client, flagged_round, methodist):
    set_text(flagged_round, "k1", "Is <b>this</b> bold?")
    round_statistics_compute(round=flagged_round)

    page = get(client, methodist, page_url(flagged_round)).content.decode()

    assert "Is &lt;b&gt;this&lt;/b&gt; bold?" in page
    assert "<b>this</b>" not in page


def test_long_text_is_cut_with_the_whole_text_at_hand(client, flagged_round, methodist):
    long_text = "Which of these tools " + "and these " * 30 + "keeps the class together?"
    set_text(flagged_round, "k1", long_text)
    round_statistics_compute(round=flagged_round)

    response = get(client, methodist, page_url(flagged_round))

    row = response.context["sections"][0].questions[0]
    assert row.short_text.endswith("…") and len(row.short_text) < len(long_text)
    page = response.content.decode()
    assert f'title="{long_text}"' in page
    assert "keeps the class together?" in row.full_html


def test_a_question_deleted_since_the_report_keeps_its_numbers_without_a_link(
    client, flagged_round, methodist
):
    round_statistics_compute(round=flagged_round)
    # Answers protect their question; with them gone (say, a test round was cleared), it can go.
    Answer.objects.filter(question__code="k2").delete()
    flagged_round.instrument.questions.filter(code="k2").delete()

    response = get(client, methodist, page_url(flagged_round))

    rows = response.context["sections"][0].questions
    assert [row.code for row in rows] == ["k1", "k3", "k4", "k2"]
    assert rows[-1].pk is None and rows[-1].number is None
    assert "This question was deleted after the statistics were computed." in (
        response.content.decode()
    )


def test_page_offers_the_csv_once_there_is_a_report(client, flagged_round, methodist):
    assert (
        csv_url(flagged_round)
        not in get(client, methodist, page_url(flagged_round)).content.decode()
    )
    round_statistics_compute(round=flagged_round)
    assert (
        csv_url(flagged_round) in get(client, methodist, page_url(flagged_round)).content.decode()
    )


# The CSV --------------------------------------------------------------------------------------


def test_csv_has_every_question_with_its_numbers_and_flags_in_words(
    client, flagged_round, methodist
):
    round_statistics_compute(round=flagged_round)

    response = get(client, methodist, csv_url(flagged_round))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"item-statistics-round-{flagged_round.pk}.csv" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header == [
        "Part", "Question number", "Code", "Area", "Question", "Answered", "Respondents counted",
        "Mean points", "Maximum points", "Facility index, %", "Standard deviation, %",
        "Discrimination index", "Discriminative efficiency, %", "Flags",
    ]  # fmt: skip
    by_code = {row[2]: dict(zip(header, row, strict=True)) for row in rows}
    assert list(by_code) == ["k1", "k2", "k3", "k4"]
    k1 = by_code["k1"]
    assert k1["Part"] == "Knowledge test"
    assert k1["Question number"] == "1"
    assert k1["Area"] == "Content"
    assert k1["Question"] == Question.objects.get(code="k1").text
    # The hand-worked numbers of test_statistics, two decimals on every database.
    assert (k1["Answered"], k1["Respondents counted"]) == ("4", "4")
    assert (k1["Mean points"], k1["Maximum points"]) == ("0.75", "1.00")
    assert [by_code[code]["Facility index, %"] for code in ("k1", "k2", "k3", "k4")] == [
        "75.00", "50.00", "25.00", "100.00",
    ]  # fmt: skip
    assert k1["Standard deviation, %"] == "50.00"
    assert k1["Discrimination index"] == "52.22"
    # k4 has no variance: no discrimination, an empty cell rather than "None".
    assert by_code["k4"]["Discrimination index"] == ""
    assert by_code["k4"]["Flags"] == "Too easy"
    assert k1["Flags"] == ""


def test_csv_speaks_the_readers_language(client, flagged_round):
    round_statistics_compute(round=flagged_round)

    response = get(client, MethodistFactory(preferred_language="ru"), csv_url(flagged_round))

    header, *rows = csv_rows(response)
    assert header[0] == "Часть" and header[-1] == "Отметки"
    assert rows[-1][-1] == "Слишком лёгкий"


def test_csv_lists_both_parts(client, methodist):
    round_, questions = make_round(codes=("k1", "s1"))
    Question.objects.filter(pk=questions[1].pk).update(part=Question.Part.SELF_ASSESSMENT)
    for points in ([1, 1], [0, 0], [1, 0]):
        scored_response(round_, questions, points)
    round_statistics_compute(round=round_)

    header, *rows = csv_rows(get(client, methodist, csv_url(round_)))

    assert [(row[0], row[2]) for row in rows] == [
        ("Knowledge test", "k1"),
        ("Self-assessment", "s1"),
    ]


def test_csv_cells_cannot_run_as_formulas(client, flagged_round, methodist):
    set_text(flagged_round, "k1", "=cmd|' /C calc'!A0")
    Area.objects.filter(code="digital-content").update(name_en="@SUM(1+1)")
    round_statistics_compute(round=flagged_round)

    header, *rows = csv_rows(get(client, methodist, csv_url(flagged_round)))

    k1 = dict(zip(header, rows[0], strict=True))
    assert k1["Question"] == "'=cmd|' /C calc'!A0"
    assert k1["Area"] == "'@SUM(1+1)"


def test_negative_numbers_stay_numbers(client, methodist):
    # q3 goes against the other two: a negative discrimination, written as a number.
    round_, questions = make_round()
    for points in ([1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1], [1, 0, 0]):
        scored_response(round_, questions, points)
    round_statistics_compute(round=round_)

    header, *rows = csv_rows(get(client, methodist, csv_url(round_)))

    discrimination = dict(zip(header, rows[2], strict=True))["Discrimination index"]
    assert discrimination.startswith("-")
    assert float(discrimination) < 0


@pytest.mark.parametrize(
    ("value", "cell"),
    [(0.125, "0.13"), (52.22222, "52.22"), (-0.0001, "0.00"), (100, "100.00"), (None, "")],
)
def test_numbers_have_two_decimals_rounded_half_up(value, cell):
    assert str(_two_decimals(value)) == cell


def test_csv_without_a_report_says_to_compute_first(client, flagged_round, methodist):
    response = get(client, methodist, csv_url(flagged_round))

    assert response.status_code == 302
    assert response.url == page_url(flagged_round)
    page = client.get(response.url, headers={"accept-language": "en"}).content.decode()
    assert "There is nothing to download yet" in page


def test_administrator_downloads_the_csv_too(client, flagged_round, administrator):
    round_statistics_compute(round=flagged_round)
    assert get(client, administrator, csv_url(flagged_round)).status_code == 200


# `school` takes the round: its head and teacher read their own reports, never item statistics.
@pytest.mark.parametrize("user", ["teacher", "head", "other_head"])
def test_teachers_and_heads_cannot_download_the_csv(client, flagged_round, user, request):
    round_statistics_compute(round=flagged_round)
    response = get(client, request.getfixturevalue(user), csv_url(flagged_round))
    assert response.status_code == 403


def test_stranger_is_sent_to_sign_in_for_the_csv(client, flagged_round):
    round_statistics_compute(round=flagged_round)
    response = client.get(csv_url(flagged_round))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_csv_of_an_unknown_round_is_404(client, methodist):
    client.force_login(methodist)
    assert client.get(reverse("diagnostics:statistics-csv", args=[424242])).status_code == 404


def test_csv_query_count_does_not_grow_with_the_questions(
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
        response = client.get(csv_url(round_))
    assert len(csv_rows(response)) == 41


def test_weights_of_points_keep_two_decimals(client, methodist):
    round_, questions = make_round(weight=Decimal("2.5"))
    for points in ([2.5, 1, 0], [0, 2.5, 1], [1, 0, 2.5]):
        scored_response(round_, questions, points)
    round_statistics_compute(round=round_)

    header, *rows = csv_rows(get(client, methodist, csv_url(round_)))

    k1 = dict(zip(header, rows[0], strict=True))
    assert k1["Maximum points"] == "2.50"
    assert k1["Mean points"] == "1.17"  # 3.5 / 3
