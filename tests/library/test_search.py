"""Search: every language's letters, Russian word forms and typos (PostgreSQL), facets."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from library.indexing import resources_reindex
from library.models import Resource, SearchEntry
from library.search import Filters, search
from tests.library.conftest import postgres_only
from tests.library.factories import ResourceFactory, SubjectFactory, TagFactory


def titles(results) -> list[str]:
    return [resource.title for resource in results.page.object_list]


@pytest.mark.parametrize(
    ("title", "language", "query"),
    [
        ("Қазақ тіліндегі әдістемелік құрал", "kk", "ӘДІСТЕМЕЛІК"),
        ("Ағылшын тілі: оқулық", "kk", "ағылшын"),
        ("Құқықтық нормалар және һәм ұғымдар", "kk", "ҚҰҚЫҚТЫҚ"),
        ("Санариптик сабак үчүн көнүгүүлөр", "ky", "КӨНҮГҮҮЛӨР"),
        ("Мугалимдин өнүгүүсү", "ky", "өнүгүүсү"),
    ],
)
def test_kazakh_and_kyrgyz_letters_are_found_in_any_case(teacher, title, language, query):
    wanted = ResourceFactory(title=title, language=language)
    ResourceFactory(title="Unrelated resource", language="en")
    assert titles(search(teacher, query=query)) == [wanted.title]


def test_kazakh_word_in_the_description_is_found_with_a_highlighted_snippet(teacher):
    ResourceFactory(
        title="Әдістемелік нұсқау",
        language="kk",
        description="Сабақта интерактивті тақтаны қолдану бойынша кеңестер",
    )
    results = search(teacher, query="тақтаны")
    assert len(results.page.object_list) == 1
    snippet = str(results.page.object_list[0].snippet)
    assert "<mark>тақтаны</mark>" in snippet


def test_snippet_escapes_html_from_the_resource(teacher):
    ResourceFactory(
        title="Guide", description="<script>alert('x')</script> spreadsheet formulas explained"
    )
    snippet = str(search(teacher, query="spreadsheet").page.object_list[0].snippet)
    assert "<mark>spreadsheet</mark>" in snippet
    # The only tags in a snippet are our highlights (PostgreSQL drops the markup, SQLite
    # escapes it).
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_every_word_of_the_query_must_match(teacher):
    ResourceFactory(title="Spreadsheet formulas for beginners")
    ResourceFactory(title="Spreadsheet charts")
    assert titles(search(teacher, query="spreadsheet formulas")) == [
        "Spreadsheet formulas for beginners"
    ]


def test_authors_and_tags_are_searched(teacher):
    ResourceFactory(title="A", authors="Айгүл Сейітова")
    ResourceFactory(title="B", tags=[TagFactory(name="медиасауаттылық")])
    assert titles(search(teacher, query="сейітова")) == ["A"]
    assert titles(search(teacher, query="медиасауаттылық")) == ["B"]


def test_unpublished_resources_are_found_by_methodists_only(teacher, methodist):
    ResourceFactory(title="Draft textbook", published=False, published_at=None)
    assert search(teacher, query="textbook").total == 0
    assert titles(search(methodist, query="textbook")) == ["Draft textbook"]


@postgres_only
def test_russian_query_finds_inflected_forms(teacher):
    ResourceFactory(title="Учебник информатики для седьмого класса", language="ru")
    ResourceFactory(title="Методические рекомендации по урокам", language="ru")
    assert titles(search(teacher, query="учебники")) == ["Учебник информатики для седьмого класса"]
    assert titles(search(teacher, query="информатикой")) == [
        "Учебник информатики для седьмого класса"
    ]
    assert titles(search(teacher, query="урок")) == ["Методические рекомендации по урокам"]


@postgres_only
def test_kazakh_kyrgyz_and_english_words_find_their_suffixed_forms(teacher):
    ResourceFactory(
        title="Сабақтың жоспары: цифрлық сауаттылық",
        language="kk",
        description="Сабақтарда интерактивті тақта қолданылады",
    )
    ResourceFactory(title="Мугалимдердин тажрыйбасы", language="ky")
    ResourceFactory(title="Lessons with spreadsheets", language="en")
    found = search(teacher, query="сабақ жоспар")
    assert titles(found) == ["Сабақтың жоспары: цифрлық сауаттылық"]
    assert "<mark>Сабақтарда</mark>" in str(found.page.object_list[0].snippet)
    assert titles(search(teacher, query="мугалим")) == ["Мугалимдердин тажрыйбасы"]
    assert titles(search(teacher, query="lesson")) == ["Lessons with spreadsheets"]
    # Short words are not prefixes: "сабақ" is, "сын" (three letters) is matched whole.
    assert search(teacher, query="сыныптар").total == 0


@postgres_only
def test_search_syntax_is_taken_as_written(teacher):
    for number in range(3):  # three of each: too many for "similar words" to join in
        ResourceFactory(title=f"Lessons with spreadsheets {number}", language="en")
        ResourceFactory(title=f"Lessons with video {number}", language="en")
    # "-word" and quotes keep PostgreSQL's web-search meaning: no word becomes a prefix.
    excluded = search(teacher, query="lessons -video")
    assert sorted(titles(excluded)) == [f"Lessons with spreadsheets {n}" for n in range(3)]
    phrase = search(teacher, query='"lessons with video"')
    assert sorted(titles(phrase)) == [f"Lessons with video {n}" for n in range(3)]


@postgres_only
def test_typos_are_forgiven(teacher):
    ResourceFactory(title="Цифровая безопасность учителя", language="ru")
    ResourceFactory(title="Қазақстан тарихы: электронды оқулық", language="kk")
    results = search(teacher, query="безопастность")
    assert titles(results) == ["Цифровая безопасность учителя"]
    assert results.forgave_typos
    assert titles(search(teacher, query="Қазақстн")) == ["Қазақстан тарихы: электронды оқулық"]


@postgres_only
def test_typos_are_forgiven_beside_a_few_exact_matches(teacher):
    ResourceFactory(title="Цифровая безопасность учителя", language="ru")
    ResourceFactory(title="Памятка: безопастность в сети", language="ru")
    results = search(teacher, query="безопастность")
    # One exact match (the misspelt title) is too few: the similar words join it.
    assert set(titles(results)) == {
        "Цифровая безопасность учителя",
        "Памятка: безопастность в сети",
    }
    assert not results.forgave_typos


def test_a_word_only_in_the_file_text_is_found_after_title_matches(teacher):
    in_file = ResourceFactory(title="Guide for the first lesson")
    Resource.objects.filter(pk=in_file.pk).update(extracted_text="How to use spreadsheets")
    resources_reindex([in_file.pk])
    ResourceFactory(title="Spreadsheets at school")
    ResourceFactory(title="Unrelated")
    assert titles(search(teacher, query="spreadsheets", sort="relevance")) == [
        "Spreadsheets at school",
        "Guide for the first lesson",
    ]


def test_reindex_command_rebuilds_lost_entries(teacher):
    ResourceFactory(title="Spreadsheets at school")
    SearchEntry.objects.all().delete()
    assert search(teacher, query="spreadsheets").total == 0
    call_command("reindex_library", stdout=StringIO())
    assert titles(search(teacher, query="spreadsheets")) == ["Spreadsheets at school"]


@postgres_only
def test_title_matches_rank_above_description_matches(teacher):
    ResourceFactory(title="Spreadsheets at school", description="A guide")
    ResourceFactory(title="A guide", description="About spreadsheets and formulas")
    assert titles(search(teacher, query="spreadsheets", sort="relevance"))[0] == (
        "Spreadsheets at school"
    )


@pytest.fixture
def catalogue(areas, levels):
    maths = SubjectFactory(name_en="Mathematics")
    docs, net, _pedagogy = areas
    ResourceFactory(title="Video one", kind="video", language="ru", year=2024, areas=[docs])
    ResourceFactory(
        title="Video two",
        kind="video",
        language="kk",
        year=2025,
        areas=[docs, net],
        subjects=[maths],
    )
    ResourceFactory(title="Plan one", kind="lesson_plan", language="kk", year=2025, areas=[net])
    ResourceFactory(title="Act one", kind="normative_act", language="ru", year=2007)
    ResourceFactory(title="Hidden video", kind="video", published=False, published_at=None)
    return {"maths": maths, "docs": docs, "net": net}  # fmt: skip


def counts(results, name) -> dict:
    facet = next(f for f in results.facets if f.name == name)
    # Kinds and languages by code (their labels follow the interface language), others by name.
    key = "value" if name in ("kind", "language") else "label"
    return {getattr(option, key): option.count for option in facet.options}


def test_facets_count_the_visible_results(teacher, catalogue):
    results = search(teacher)
    assert results.total == 4
    assert counts(results, "kind") == {"normative_act": 1, "lesson_plan": 1, "video": 2}
    assert counts(results, "language") == {"kk": 2, "ru": 2}
    assert counts(results, "area") == {"Documents": 2, "Internet": 2}
    assert counts(results, "year") == {"2025": 2, "2024": 1, "2007": 1}
    assert counts(results, "subject") == {"Mathematics": 1}


def test_a_chosen_facet_narrows_the_others_but_keeps_its_own_alternatives(teacher, catalogue):
    results = search(teacher, filters=Filters(kind=["video"]))
    assert sorted(titles(results)) == ["Video one", "Video two"]
    assert results.total == 2
    # Its own facet still offers the other kinds, with their counts.
    assert counts(results, "kind") == {"normative_act": 1, "lesson_plan": 1, "video": 2}
    assert counts(results, "language") == {"kk": 1, "ru": 1}
    assert counts(results, "area") == {"Documents": 2, "Internet": 1}


def test_filters_combine_with_the_query(teacher, catalogue):
    results = search(
        teacher, query="video", filters=Filters(area=[catalogue["net"].pk], language=["kk"])
    )
    assert titles(results) == ["Video two"]
    assert results.total == 1
    assert counts(results, "area") == {"Documents": 1, "Internet": 1}


def test_the_total_counts_every_chosen_kind_under_the_other_filters(teacher, catalogue):
    both = search(teacher, filters=Filters(kind=["video", "lesson_plan"], language=["kk"]))
    assert sorted(titles(both)) == ["Plan one", "Video two"]
    assert both.total == 2
    assert search(teacher, filters=Filters(kind=["video"], year=[2030])).total == 0


def test_search_is_paginated(teacher):
    for number in range(25):
        ResourceFactory(title=f"Worksheet {number}")
    results = search(teacher, query="worksheet", page=2)
    assert results.total == 25
    assert len(results.page.object_list) == 5
    assert Resource.objects.count() == 25


def test_browse_counts_are_cached_until_the_library_changes(teacher, django_assert_num_queries):
    ResourceFactory(kind="video")
    assert search(teacher).total == 1
    # The same browse again: the page of resources only, no counting statement.
    with django_assert_num_queries(1):
        assert search(teacher).total == 1
    ResourceFactory(kind="video")
    assert search(teacher).total == 2


def test_results_can_be_ordered_by_views_or_by_date(teacher):
    now = timezone.now()
    ResourceFactory(title="Spreadsheets old", view_count=50, published_at=now - timedelta(days=9))
    ResourceFactory(title="Spreadsheets new", view_count=5, published_at=now)
    ResourceFactory(title="Spreadsheets video", kind="video", view_count=99, published_at=now)
    ResourceFactory(title="Unrelated", view_count=500)
    plans = Filters(kind=["methodological"])
    assert titles(search(teacher, query="spreadsheets", sort="popular", filters=plans)) == [
        "Spreadsheets old",
        "Spreadsheets new",
    ]
    assert titles(search(teacher, query="spreadsheets", sort="new", filters=plans)) == [
        "Spreadsheets new",
        "Spreadsheets old",
    ]
    assert titles(search(teacher, query="spreadsheets", sort="popular"))[0] == "Spreadsheets video"


@pytest.mark.parametrize(
    "query", ["O'Reilly a_b", "сабақ:* & жоспар | !x", "'''", "\\ (( ))", "-", "or", '"', "a:b:c"]
)
def test_any_text_in_the_box_is_a_search_not_an_error(teacher, query):
    # Quotes, colons and tsquery operators must never reach PostgreSQL as syntax (an error
    # there would be a server error for the teacher): the page of results always comes back.
    ResourceFactory(title="Сабақ жоспары")
    results = search(teacher, query=query)
    assert results.page.number == 1
    assert results.query == query
