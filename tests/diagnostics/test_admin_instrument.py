"""The instrument pages of the admin: the list, the change page's tools (preview, dry run,
duplicate as new version), and who may use them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Instrument, Question, Response, Round
from tests.diagnostics.admin_helpers import change_form_data, change_url, english_methodist
from tests.diagnostics.factories import (
    ChoiceFactory,
    InstrumentFactory,
    LevelBandFactory,
    LevelFactory,
    QuestionFactory,
    ResponseFactory,
    RoundFactory,
)
from tests.lms.factories import HeadFactory, SchoolFactory, TeacherFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:diagnostics_instrument_changelist"


@pytest.fixture
def methodist_client(client):
    client.force_login(english_methodist())
    return client


def instrument_with_questions(**fields):
    instrument = InstrumentFactory(**fields)
    level = LevelFactory(framework=instrument.framework, position=1)
    LevelBandFactory(instrument=instrument, level=level, min_score=0)
    for code in ("q1", "q2"):
        question = QuestionFactory(instrument=instrument, code=code)
        ChoiceFactory(question=question, credit=1)
        ChoiceFactory(question=question, credit=0)
    return instrument


def tool_url(name, instrument):
    return reverse(f"admin:diagnostics_instrument_{name}", args=[instrument.pk])


# --- The list -----------------------------------------------------------------------------------


def test_instrument_list_runs_a_fixed_number_of_queries(
    methodist_client, django_assert_max_num_queries
):
    for _number in range(6):
        instrument = instrument_with_questions()
        ResponseFactory(round=RoundFactory(instrument=instrument), status=Response.Status.SCORED)

    # 1 session, 2 user, 3-4 the user's own and role group's permissions,
    # 5 frameworks for the filter, 6 count of the filtered list, 7 count of the whole list,
    # 8 the page of instruments (framework, question count and lock flag joined in),
    # 9 question texts per language for the page, 10 choice texts per language for the page.
    with django_assert_max_num_queries(10):
        response = methodist_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 6


def test_instrument_list_shows_how_complete_each_language_is(methodist_client):
    instrument = InstrumentFactory(title_en="ICT survey", title_ru="Опрос ИКТ")
    QuestionFactory(instrument=instrument, text_en="Do you use e-mail?", text_ru="")

    response = methodist_client.get(reverse(CHANGELIST))

    # Two texts: the title (en, ru) and the question (en only).
    content = response.content.decode()
    assert "kk&nbsp;0%" in content
    assert "ru&nbsp;50%" in content
    assert "en&nbsp;100%" in content


def test_instrument_list_filters_by_status_and_searches_titles_in_any_language(
    methodist_client,
):
    InstrumentFactory(title_en="Digital skills", title_kk="Цифрлық дағдылар")
    InstrumentFactory(title_en="Old survey", status=Instrument.Status.ARCHIVED)

    found = methodist_client.get(reverse(CHANGELIST), {"q": "Цифрлық"})
    archived = methodist_client.get(reverse(CHANGELIST), {"status__exact": "archived"})

    assert [i.title_en for i in found.context["cl"].result_list] == ["Digital skills"]
    assert [i.title_en for i in archived.context["cl"].result_list] == ["Old survey"]


# --- The change page ----------------------------------------------------------------------------


def test_change_page_links_the_preview_and_the_tools(methodist_client):
    instrument = instrument_with_questions()

    response = methodist_client.get(change_url(instrument))

    content = response.content.decode()
    assert reverse("diagnostics:preview", args=[instrument.pk]) in content
    assert tool_url("dry_run", instrument) in content
    assert tool_url("gift_import", instrument) in content
    assert tool_url("new_version", instrument) in content
    assert "kk&nbsp;" in content  # the languages' completeness, read-only


@pytest.mark.parametrize("locked", [False, True], ids=["draft", "locked"])
def test_change_page_queries_do_not_grow_with_the_questions(
    methodist_client, django_assert_max_num_queries, locked
):
    small = instrument_with_questions()
    large = instrument_with_questions()
    area = large.questions.first().area
    for number in range(20):
        QuestionFactory(instrument=large, area=area, code=f"x{number}")
        LevelBandFactory(instrument=large, area=area, level=LevelFactory(framework=area.framework))
    if locked:
        for instrument in (small, large):
            ResponseFactory(
                round=RoundFactory(instrument=instrument), status=Response.Status.SCORED
            )

    methodist_client.get(change_url(small))  # warm the session and the content types
    with CaptureQueriesContext(connection) as queries:
        methodist_client.get(change_url(small))
    # Areas, levels and scales are read once per page, not once per row (nor per locked row).
    with django_assert_max_num_queries(len(queries)):
        response = methodist_client.get(change_url(large))
    assert response.context["locked"] is locked


def test_dry_run_page_shows_reachable_levels_and_the_distribution(methodist_client):
    instrument = instrument_with_questions()

    response = methodist_client.get(tool_url("dry_run", instrument), {"respondents": "50"})

    assert response.status_code == 200
    result = response.context["dry_run"]
    assert result.respondents == 50
    assert sum(row.count for row in result.histogram) == 50
    assert result.scopes[0].max_points == 2
    assert 'id="dry-run-histogram"' in response.content.decode()


# --- Duplicate as new version ---------------------------------------------------------------


def test_duplicate_button_makes_an_editable_draft_of_a_locked_instrument(methodist_client):
    source = instrument_with_questions(title_kk="Сауалнама", title_en="Survey")
    ResponseFactory(round=RoundFactory(instrument=source), status=Response.Status.SCORED)

    response = methodist_client.post(tool_url("new_version", source))

    copy = Instrument.objects.get(code=source.code, version=2)
    assert response.status_code == 302
    assert response.url == change_url(copy)
    assert (copy.previous_version, copy.status) == (source, Instrument.Status.DRAFT)
    assert (copy.title_kk, copy.title_en) == ("Сауалнама", "Survey")
    assert copy.questions.count() == 2

    data = change_form_data(methodist_client, change_url(copy))
    row = next(k for k, v in data.items() if k.endswith("-code") and v == "q1").split("-")[1]
    data[f"questions-{row}-weight"] = "4"
    assert methodist_client.post(change_url(copy), data).status_code == 302
    assert Question.objects.get(instrument=copy, code="q1").weight == 4
    assert Question.objects.get(instrument=source, code="q1").weight == 1


def test_duplicate_action_on_the_list_opens_the_copy(methodist_client):
    source = instrument_with_questions()

    response = methodist_client.post(
        reverse(CHANGELIST),
        {"action": "duplicate_as_new_version", "_selected_action": [source.pk]},
    )

    copy = Instrument.objects.get(previous_version=source)
    assert response.status_code == 302
    assert response.url == change_url(copy)


def test_duplicate_is_refused_on_get(methodist_client):
    source = instrument_with_questions()

    response = methodist_client.get(tool_url("new_version", source))

    assert response.status_code == 405
    assert not Instrument.objects.filter(previous_version=source).exists()


# --- Who may author -----------------------------------------------------------------------------


def test_methodist_uses_every_authoring_page(methodist_client):
    instrument = instrument_with_questions()
    question = instrument.questions.first()
    pages = [
        reverse(CHANGELIST),
        change_url(instrument),
        tool_url("dry_run", instrument),
        tool_url("gift_import", instrument),
        reverse("admin:diagnostics_framework_changelist"),
        change_url(instrument.framework),
        reverse("admin:diagnostics_question_changelist"),
        change_url(question),
        reverse("admin:diagnostics_round_changelist"),
        reverse("admin:diagnostics_round_add"),
    ]
    for page in pages:
        assert methodist_client.get(page).status_code == 200, page


@pytest.mark.parametrize("make_user", [TeacherFactory, HeadFactory], ids=["teacher", "head"])
def test_teachers_and_heads_are_sent_to_the_admin_sign_in(client, make_user):
    instrument = instrument_with_questions()
    client.force_login(make_user())

    for page in (change_url(instrument), tool_url("dry_run", instrument)):
        response = client.get(page)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    client.post(tool_url("new_version", instrument))
    assert not Instrument.objects.filter(previous_version=instrument).exists()


def test_strangers_are_sent_to_the_admin_sign_in(client):
    instrument = instrument_with_questions()

    for page in (reverse(CHANGELIST), tool_url("gift_import", instrument)):
        response = client.get(page)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


# --- Rounds -------------------------------------------------------------------------------------


def test_methodist_opens_a_round_for_chosen_schools(client):
    methodist = english_methodist()
    client.force_login(methodist)
    instrument = InstrumentFactory()
    schools = [SchoolFactory(name="Gymnasium No. 7"), SchoolFactory()]
    opens = timezone.localtime() + timedelta(days=1)

    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "diagnostics",
            "model_name": "round",
            "field_name": "schools",
            "term": "Gymnasium",
        },
    )
    response = client.post(
        reverse("admin:diagnostics_round_add"),
        {
            "title": "Autumn diagnosis",
            "instrument": instrument.pk,
            "opens_at_0": opens.strftime("%Y-%m-%d"),
            "opens_at_1": "09:00:00",
            "closes_at_0": (opens + timedelta(days=14)).strftime("%Y-%m-%d"),
            "closes_at_1": "18:00:00",
            "region": "",
            "schools": [school.pk for school in schools],
        },
    )

    assert [result["text"] for result in found.json()["results"]] == ["Gymnasium No. 7"]
    assert response.status_code == 302
    created = Round.objects.get(title="Autumn diagnosis")
    assert set(created.schools.all()) == set(schools)
    assert created.created_by == methodist
