"""The demo answers every kind of question a methodist can write, free text included (its kind
once lacked the `knows` argument the demo passes, so seeding an instrument with an essay
question crashed)."""

import random

import pytest

from diagnostics.demo import _answer
from diagnostics.kinds.registry import all_kinds
from tests.diagnostics.factories import ChoiceFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [kind.code for kind in all_kinds()])
def test_the_demo_answers_a_question_of_every_kind(kind):
    # Every kind's required fields; a rating scale needs its range.
    question = QuestionFactory(kind=kind, scale_min=1, scale_max=5)
    ChoiceFactory(question=question, credit=1, match_text="a")
    ChoiceFactory(question=question, credit=0, match_text="b")
    given = _answer(question, ability=0.7, rng=random.Random(4))
    assert given.question == question
    assert not given.problem
