""" "For you": the weakest areas of the latest diagnosis, at the teacher's level."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import AreaScore, Response
from library.recommend import recommend_for
from tests.diagnostics.factories import InstrumentFactory, ResponseFactory, RoundFactory
from tests.library.factories import BookmarkFactory, ResourceFactory


def diagnosis(teacher, framework, level, percents: dict, *, days_ago=0):
    instrument = InstrumentFactory(framework=framework)
    response = ResponseFactory(
        teacher=teacher,
        round=RoundFactory(instrument=instrument),
        status=Response.Status.SCORED,
        scored_at=timezone.now() - timedelta(days=days_ago),
        level=level,
    )
    for area, percent in percents.items():
        AreaScore.objects.create(
            response=response,
            area=area,
            part=AreaScore.Part.ALL,
            points=Decimal(percent),
            max_points=Decimal(100),
            percent=Decimal(percent),
        )
    return response


@pytest.fixture
def diagnosed(teacher, framework, areas, levels):
    docs, net, pedagogy = areas
    low, _high = levels
    # An older diagnosis said pedagogy was weakest; the latest one counts.
    diagnosis(teacher, framework, low, {docs: 90, net: 90, pedagogy: 10}, days_ago=200)
    diagnosis(teacher, framework, low, {docs: 30, net: 55, pedagogy: 80})
    return teacher


def test_recommends_for_the_two_weakest_areas_of_the_latest_diagnosis_at_my_level(
    diagnosed, areas, levels
):
    docs, net, pedagogy = areas
    low, high = levels
    both = ResourceFactory(title="Docs and internet", areas=[docs, net])
    docs_any_level = ResourceFactory(title="Docs, any level", areas=[docs])
    ResourceFactory(title="Net, for leaders", areas=[net], levels=[high])
    net_low = ResourceFactory(title="Net, for starters", areas=[net], levels=[low])
    ResourceFactory(title="Pedagogy", areas=[pedagogy])
    ResourceFactory(title="Draft", areas=[docs], published=False, published_at=None)
    shelved = ResourceFactory(title="Already on my shelf", areas=[docs])
    BookmarkFactory(user=diagnosed, resource=shelved)

    result = recommend_for(diagnosed)
    assert [score.area for score in result.weak_areas] == [docs, net]
    titles = [resource.title for resource in result.resources]
    assert titles[0] == both.title  # it serves both weak areas
    assert set(titles) == {both.title, docs_any_level.title, net_low.title}


def test_teacher_without_a_diagnosis_is_told_to_take_one(client, teacher, areas):
    ResourceFactory(title="Something", areas=[areas[0]])
    assert not recommend_for(teacher).diagnosed
    client.force_login(teacher)
    page = client.get(reverse("library:home")).content.decode()
    assert 'id="for-you"' in page
    assert reverse("dashboard") in page
    assert "Something" not in page.split('id="for-you"')[1].split("</section>")[0]


def test_home_shows_recommendations_with_a_fixed_number_of_queries(
    client, diagnosed, areas, django_assert_num_queries
):
    ResourceFactory(title="Docs guide", areas=[areas[0]])
    client.force_login(diagnosed)
    # session, user; latest diagnosis, weakest areas, recommended resources; new; collections
    with django_assert_num_queries(7):
        page = client.get(reverse("library:home")).content.decode()
    assert "Docs guide" in page
    for _ in range(10):
        ResourceFactory(areas=areas[:2])
    with django_assert_num_queries(7):
        client.get(reverse("library:home"))


def test_dashboard_shows_the_library_panel_to_teachers(client, diagnosed, areas):
    ResourceFactory(title="Docs guide for the dashboard", areas=[areas[0]])
    client.force_login(diagnosed)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Docs guide for the dashboard" in page
    assert reverse("library:home") in page


def test_heads_and_methodists_get_no_for_you_section(client, head, methodist):
    for user in (head, methodist):
        client.force_login(user)
        response = client.get(reverse("library:home"))
        assert response.status_code == 200
        assert 'id="for-you"' not in response.content.decode()
