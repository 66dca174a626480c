"""The methodists' needs map: teachers per weakest area and level, beside the courses serving
each cell; empty cells name the course to write next."""

import pytest
from django.urls import reverse

from tests.courses.factories import CourseFactory, scored_diagnosis
from tests.diagnostics.factories import InstrumentFactory, RoundFactory
from tests.lms.factories import MethodistFactory, SchoolFactory, TeacherFactory


@pytest.fixture
def methodist(db):
    return MethodistFactory(preferred_language="en")


@pytest.fixture
def measured(framework, areas, levels):
    """Five teachers in two districts. Documents is the weakest area of three at Basic and
    of one at Intermediate; Internet of one at Basic, whose older diagnosis said Documents."""
    round_ = RoundFactory(instrument=InstrumentFactory(framework=framework))
    north = SchoolFactory(district="North")
    south = SchoolFactory(district="South")
    documents, internet, web = areas
    basic, middle, _advanced = levels
    low_documents = {documents: 10, internet: 60, web: 70}
    for school in (north, north, south):
        scored_diagnosis(
            TeacherFactory(school=school),
            level=basic,
            area_levels={documents: basic, internet: middle, web: middle},
            percents=low_documents,
            round=round_,
        )
    scored_diagnosis(
        TeacherFactory(school=south),
        level=middle,
        area_levels={documents: middle, internet: middle, web: middle},
        percents=low_documents,
        round=round_,
    )
    changed = TeacherFactory(school=south)
    scored_diagnosis(
        changed,
        level=basic,
        area_levels={documents: basic, internet: basic},
        percents=low_documents,
        round=round_,
    )
    later = RoundFactory(instrument=round_.instrument)
    scored_diagnosis(
        changed,
        level=basic,
        area_levels={documents: middle, internet: basic},
        percents={documents: 80, internet: 20},
        round=later,
    )
    return {"round": round_, "later": later}


def cell(response, area_name, level_name):
    for row in response.context["map"].grid:
        for c in row:
            if c.area.name == area_name and c.level.name == level_name:
                return c
    raise AssertionError((area_name, level_name))


def test_cells_count_teachers_by_latest_diagnosis_beside_serving_courses(
    client, methodist, measured, areas, levels, django_assert_max_num_queries
):
    documents = areas[0]
    basic_course = CourseFactory(
        title_en="Documents from scratch", areas=[documents], levels=[levels[0]]
    )
    CourseFactory(title_en="Unpublished", areas=[documents], published=False)
    client.force_login(methodist)
    # session, user; frameworks, rounds; districts; areas, levels; the counts (one GROUP BY);
    # the serving courses with their areas and levels
    with django_assert_max_num_queries(11):
        response = client.get(reverse("courses:needs-map"))
    assert response.status_code == 200
    assert cell(response, "Documents", "Basic").teachers == 3
    assert cell(response, "Documents", "Basic").courses == [basic_course]
    assert cell(response, "Documents", "Intermediate").teachers == 1
    assert cell(response, "Internet", "Basic").teachers == 1
    page = response.content.decode()
    assert "No course yet for Documents at the Intermediate level: 1 teacher" in page
    assert "No course yet for Internet at the Basic level: 1 teacher" in page
    assert 'role="region"' in page


def test_a_course_for_every_level_serves_every_cell_of_its_area(client, methodist, measured, areas):
    CourseFactory(areas=[areas[0]])
    client.force_login(methodist)
    response = client.get(reverse("courses:needs-map"))
    assert [c.area.name for c in response.context["map"].gaps] == ["Internet"]


def test_filters_by_district_and_round(client, methodist, measured):
    client.force_login(methodist)
    url = reverse("courses:needs-map")
    north = client.get(url, {"district": "North"})
    assert north.context["map"].teachers == 2
    first_round = client.get(url, {"round": measured["round"].pk})
    # In the first round the changed teacher's weakest area was still Documents.
    assert cell(first_round, "Documents", "Basic").teachers == 4
    assert cell(first_round, "Internet", "Basic").teachers == 0
    by_district = {name: total for name, _counts, total in first_round.context["map"].by_district}
    assert by_district == {"North": 2, "South": 3}


def test_bad_filters_are_ignored_not_500(client, methodist, measured):
    client.force_login(methodist)
    response = client.get(reverse("courses:needs-map"), {"round": "x", "district": "<b>"})
    assert response.status_code == 200
    assert response.context["map"].teachers == 5


def test_the_needs_map_is_for_methodists_only(client, head, teacher, measured):
    for user in (head, teacher):
        client.force_login(user)
        assert client.get(reverse("courses:needs-map")).status_code == 404
    client.logout()
    assert client.get(reverse("courses:needs-map")).status_code == 302
