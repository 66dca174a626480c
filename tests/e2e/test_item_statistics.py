from decimal import Decimal

import pytest
from django.urls import reverse

from diagnostics.item_stats.report import round_statistics_compute
from diagnostics.models import Question, Response
from tests.diagnostics.factories import (
    AnswerFactory,
    AreaFactory,
    InstrumentFactory,
    QuestionFactory,
    ResponseFactory,
    RoundFactory,
)
from tests.e2e.helpers import sign_in
from tests.lms.factories import PASSWORD, MethodistFactory

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1366, "height": 768}
LONG_TEXT = {
    "kk": (
        "Мұғалім сабақта интерактивті тақтаны, цифрлық білім беру ресурстарын және оқушылардың "
        "жеке құрылғыларын бір мезгілде қолданғанда, қандай ұйымдастыру шаралары оқушылардың "
        "назарын сақтауға және уақытты үнемдеуге көмектеседі?"
    ),
    "ru": (
        "Какие организационные меры помогают сохранить внимание учащихся и сэкономить время, "
        "когда учитель одновременно использует на уроке интерактивную доску, цифровые "
        "образовательные ресурсы и личные устройства учащихся?"
    ),
    "ky": (
        "Мугалим сабакта интерактивдүү тактаны, санариптик билим берүү ресурстарын жана "
        "окуучулардын жеке түзмөктөрүн бир эле учурда колдонгондо, кандай уюштуруу чаралары "
        "окуучулардын көңүлүн сактоого жана убакытты үнөмдөөгө жардам берет?"
    ),
}
# Five teachers x six questions: q1 everybody gets (too easy), q2 nobody (too hard), q3 goes
# against the others (low discrimination), the rest tell teachers apart.
POINTS = [
    [1, 0, 0, 1, 1, 1],
    [1, 0, 1, 1, 1, 0],
    [1, 0, 0, 1, 0, 1],
    [1, 0, 1, 0, 0, 0],
    [1, 0, 1, 0, 0, 0],
]


def flagged_round():
    instrument = InstrumentFactory()
    areas = [
        AreaFactory(
            framework=instrument.framework,
            code=f"area-{n}",
            position=n,
            name_kk="Цифрлық білім беру ресурстарын құру және бейімдеу",
            name_ru="Создание и адаптация цифровых образовательных ресурсов",
            name_ky="Санариптик билим берүү ресурстарын түзүү жана ыңгайлаштыруу",
            name_en="Creating and adapting digital educational resources",
        )
        for n in range(2)
    ]
    questions = [
        QuestionFactory(
            instrument=instrument,
            area=areas[n % 2],
            code=f"digital-resources-question-{n + 1}",
            text_kk=LONG_TEXT["kk"],
            text_ru=LONG_TEXT["ru"],
            text_ky=LONG_TEXT["ky"],
            text_en="Which measures keep pupils' attention?",
        )
        for n in range(6)
    ]
    round_ = RoundFactory(instrument=instrument)
    for row in POINTS:
        response = ResponseFactory(round=round_, status=Response.Status.SCORED)
        for question, points in zip(questions, row, strict=True):
            AnswerFactory(response=response, question=question, points=Decimal(points))
    round_statistics_compute(round=round_)
    return round_, questions


@pytest.mark.parametrize("language", ["kk", "ru", "ky"])
def test_methodist_sees_every_flag_on_a_laptop_and_opens_the_question(
    page, transactional_db, language
):
    round_, questions = flagged_round()
    methodist = MethodistFactory(preferred_language=language)
    page.set_viewport_size(LAPTOP)
    sign_in(page, methodist.email, PASSWORD)

    page.goto(reverse("diagnostics:statistics", args=[round_.pk]))

    # Numbered as the teacher saw them: by area, then position.
    numbers = page.locator("#questions-knowledge tbody a.istat-link").all_text_contents()
    assert [number.split()[0] for number in numbers] == ["1", "2", "3", "4", "5", "6"]
    flag_cells = page.locator("#questions-knowledge tbody td.istat-flags")
    assert flag_cells.count() == 6
    badges = page.locator("#questions-knowledge tbody td.istat-flags .badge")
    assert badges.count() >= 3  # too easy, too hard, low discrimination
    inner_width = page.evaluate("window.innerWidth")
    assert inner_width == LAPTOP["width"]
    for locator in (flag_cells, badges):
        for index in range(locator.count()):
            box = locator.nth(index).bounding_box()
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= inner_width, (language, index, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= inner_width
    # The whole table fits its box at this width: nothing to scroll to at all.
    box = page.locator(".istat-scroll").first
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert box.get_attribute("tabindex") == "0"
    assert box.get_attribute("aria-label")
    page.screenshot(path=f"test-results/item-statistics-1366-{language}.png", full_page=True)

    link = page.locator("#questions-knowledge tbody a.istat-link").first
    with page.expect_navigation() as navigation:
        link.click()
    assert navigation.value.status == 200
    assert page.url.endswith(reverse("admin:diagnostics_question_change", args=[questions[0].pk]))
    assert Question.objects.get(pk=questions[0].pk).code in page.content()
