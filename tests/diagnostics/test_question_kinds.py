"""The question engine's registry: every kind has its module, and a new kind is one module (plus
its template) that the taking pages, the pricing and set-based scoring all pick up."""

from decimal import Decimal

import pytest
from django.urls import reverse

from diagnostics.kinds.base import ZERO, QuestionKind, typed_number
from diagnostics.kinds.pricing import answer_fraction, points
from diagnostics.kinds.registry import all_kinds, kind_named, kind_registered
from diagnostics.models import Question, Response
from tests.diagnostics.factories import (
    ChoiceFactory,
    LevelBandFactory,
    LevelFactory,
    QuestionFactory,
    RoundFactory,
)


def test_every_kind_of_question_has_its_module_and_template():
    assert {kind.code for kind in all_kinds()} == set(Question.Kind.values)
    for kind in all_kinds():
        assert kind.template == f"diagnostics/kinds/{kind.code}.html"
        assert kind.priced == bool(kind.sql_fraction), kind.code


class Closeness(QuestionKind):
    """A throwaway kind: guess a number; the nearer the guess, the more it earns (linearly, down
    to nothing at the choice's tolerance)."""

    code = "closeness"
    sql_fraction = """COALESCE((
        SELECT MAX(CASE WHEN ABS({answer}.number - c.value) >= c.tolerance THEN 0
                        ELSE 1 - 1.0 * ABS({answer}.number - c.value) / c.tolerance END)
        FROM {choice} c WHERE c.question_id = q.id AND c.value IS NOT NULL), 0)"""

    def read(self, question, post, given, problems):
        raw = post.get(f"q{question.pk}", "").strip()
        if raw:
            try:
                given.number = typed_number(raw)
            except ValueError:
                problems.append(f"{question.code}: not a number")

    def fraction(self, question, choices, given):
        if given.number is None:
            return ZERO
        return max(
            (
                max(ZERO, 1 - abs(given.number - c.value) / c.tolerance)
                for c in choices
                if c.value is not None
            ),
            default=ZERO,
        )


@pytest.fixture
def closeness_template(settings, tmp_path):
    folder = tmp_path / "diagnostics" / "kinds"
    folder.mkdir(parents=True)
    (folder / "closeness.html").write_text(
        '<input type="text" inputmode="decimal" name="q{{ question.pk }}" '
        'id="closeness-{{ question.pk }}" value="{{ given.number|default_if_none:"" }}">'
    )
    template = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**template, "DIRS": [*template["DIRS"], tmp_path]}]


@pytest.fixture
def closeness():
    with kind_registered(Closeness()) as kind:
        yield kind
    assert kind_named("closeness") is None  # forgotten again


def test_a_new_kind_is_taken_priced_scored_and_shown(
    client, teacher, closeness, closeness_template, django_capture_on_commit_callbacks
):
    question = QuestionFactory(kind="closeness", code="founded", text_en="When was it founded?")
    ChoiceFactory(question=question, value=Decimal(1991), tolerance=Decimal(10), credit=1)
    instrument = question.instrument
    LevelBandFactory(
        instrument=instrument,
        level=LevelFactory(framework=instrument.framework, name_en="Sharp"),
        min_score=Decimal(75),
    )
    round = RoundFactory(instrument=instrument, schools=[teacher.school])
    client.force_login(teacher)

    started = client.get(reverse("diagnostics:take", args=[round.pk]))
    response = Response.objects.get(round=round, teacher=teacher)
    page_url = reverse("diagnostics:page", args=[response.pk, 1])
    assert started["Location"] == page_url
    assert f'id="closeness-{question.pk}"' in client.get(page_url).content.decode()

    bad = client.post(page_url, {f"q{question.pk}": "soon", "go": "next"})
    assert bad.status_code == 400
    assert "founded: not a number" in bad.content.decode()
    client.post(page_url, {f"q{question.pk}": "1993", "go": "next"})
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(reverse("diagnostics:submit", args=[response.pk]))

    response.refresh_from_db()
    assert response.status == Response.Status.SCORED
    answer = response.answers.get()
    expected = points(question, answer_fraction(question, [*question.choices.all()], number=1993))
    assert answer.points == expected == Decimal("0.8000")
    assert (response.percent, response.level.name_en) == (Decimal("80.00"), "Sharp")
    result = client.get(submitted["Location"], headers={"accept-language": "en"}).content.decode()
    assert "Sharp" in result
    assert "80%" in result
