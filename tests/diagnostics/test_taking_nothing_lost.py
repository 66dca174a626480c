"""Nothing a teacher typed is lost: a bad value on a page keeps every other answer as chosen or
typed, saves what could be read, and names the question by its number and text; missing
required questions are listed with links to them."""

import pytest
from django.urls import reverse

from diagnostics.models import Answer
from tests.diagnostics.helpers import answered_response, by_code, choice


@pytest.fixture
def response(open_round, teacher):
    return answered_response(open_round, teacher, {}, submit=False)


def page_url(response, number):
    return reverse("diagnostics:page", args=[response.pk, number])


def second_page(open_round, **extra):
    """Page 2 (internet): two rating scales, a true/false, a short answer, a word as a number."""
    questions = by_code(open_round.instrument)
    data = {
        f"q{questions['likert'].pk}": "4",
        f"q{questions['likert-rev'].pk}": "2",
        f"q{questions['tf'].pk}": choice(questions["tf"], "False").pk,
        f"q{questions['short'].pk}": "=SUM(A1:A5)",
        f"q{questions['num'].pk}": "four and a half",
        "go": "next",
    }
    data.update(extra)
    return questions, data


def test_a_word_in_a_number_field_keeps_every_other_answer(client, teacher, response, open_round):
    questions, data = second_page(open_round)
    client.force_login(teacher)
    reply = client.post(page_url(response, 2), data, headers={"accept-language": "en"})
    assert reply.status_code == 400
    html = reply.content.decode()
    likert, reverse_coded = questions["likert"], questions["likert-rev"]
    # Chosen radios and scales are still chosen, typed text still there.
    assert f'id="l{likert.pk}-4" value="4" autocomplete="off" checked' in html
    assert f'id="l{reverse_coded.pk}-2" value="2" autocomplete="off" checked' in html
    assert f'value="{choice(questions["tf"], "False").pk}" checked' in html
    assert 'value="=SUM(A1:A5)"' in html
    # The bad value is shown again, marked, and named by number and text, never by code.
    assert 'value="four and a half"' in html and 'aria-invalid="true"' in html
    num = questions["num"]
    assert f'href="#question-{num.pk}"' in html
    message = reply.context["problems"][0].message
    assert "“Average of 4 and 5”" in message and "is not a number" in message
    assert message.startswith("Question ") and "num:" not in html
    # What could be read is saved; the bad number is not.
    saved = dict(Answer.objects.filter(response=response).values_list("question__code", "number"))
    assert set(saved) == {"likert", "likert-rev", "tf", "short"}
    assert saved["likert"] == 4


def test_autosave_of_a_bad_value_says_which_question(client, teacher, response, open_round):
    questions, data = second_page(open_round)
    client.force_login(teacher)
    reply = client.post(
        page_url(response, 2), data, headers={"HX-Request": "true", "accept-language": "en"}
    )
    assert reply.status_code == 400
    problems = reply.json()["problems"]
    assert [p["anchor"] for p in problems] == [f"question-{questions['num'].pk}"]
    assert "Average of 4 and 5" in problems[0]["message"]
    assert Answer.objects.filter(response=response).count() == 4


def test_missing_required_questions_are_listed_with_links(client, teacher, response, open_round):
    questions = by_code(open_round.instrument)
    client.force_login(teacher)
    data = {f"q{questions['single'].pk}": choice(questions["single"], "B").pk, "go": "next"}
    reply = client.post(page_url(response, 1), data, headers={"accept-language": "en"})
    html = reply.content.decode()
    for code in ("multi", "levels"):
        assert f'href="#question-{questions[code].pk}"' in html
    assert "How do you use documents?" in html.split('id="problems"')[1].split("</div>")[0]


def test_review_lists_missing_questions_with_links(client, teacher, response, open_round):
    questions = by_code(open_round.instrument)
    client.force_login(teacher)
    html = client.get(reverse("diagnostics:submit", args=[response.pk])).content.decode()
    anchor = f"{page_url(response, 2)}#question-{questions['likert'].pk}"
    assert f'href="{anchor}"' in html
    assert "I search well" in html


def test_each_question_shows_its_number(client, teacher, response):
    client.force_login(teacher)
    html = client.get(page_url(response, 2)).content.decode()
    assert '<span class="question-number">4.</span>' in html
