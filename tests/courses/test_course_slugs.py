"""A course's page is /courses/<address>/, listed after the app's other pages: an address such
as "overview" or "needs" would make the course impossible to open, so no course may take one."""

import copy

import pytest
from django.urls import URLPattern, resolve, reverse

from courses import urls as course_urls
from courses.exchange import course_import
from courses.models import Course
from courses.models.content import RESERVED_SLUGS
from courses.services import course_duplicate
from tests.courses.factories import READY, CourseFactory


def _first_segments() -> set[str]:
    segments = set()
    for pattern in course_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        first = str(pattern.pattern).split("/")[0]
        if first and not first.startswith("<"):
            segments.add(first)
    return segments


def test_every_other_page_of_the_courses_app_is_a_reserved_address():
    assert _first_segments() == RESERVED_SLUGS


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_the_course_page_is_resolved_for_any_other_address(slug):
    assert resolve(reverse("courses:course", args=[f"{slug}-1"])).url_name == "course"


def _add_form(slug: str) -> dict:
    return {
        "title_kk": "Жаңа курс",
        "slug": slug,
        "language": "kk",
        "estimated_hours": 2,
        "created_at_0": "2026-09-01",
        "created_at_1": "09:00:00",
        "modules-TOTAL_FORMS": 0,
        "modules-INITIAL_FORMS": 0,
    }


@pytest.mark.parametrize(
    ("language", "words"), [("ru", "адрес другой страницы"), ("kk", "басқа бетінің мекенжайы")]
)
def test_the_admin_refuses_a_page_address_in_the_methodists_language(
    client, methodist, language, words
):
    methodist.preferred_language = language
    methodist.save(update_fields=["preferred_language"])
    client.force_login(methodist)
    url = reverse("admin:courses_course_add")
    response = client.post(url, _add_form("overview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert list(response.context["adminform"].form.errors) == ["slug"]
    assert words in page and "“overview”" in page
    assert 'value="Жаңа курс"' in page  # nothing typed is lost
    assert not Course.objects.exists()
    response = client.post(url, _add_form("Needs"))
    assert words in response.content.decode()
    assert client.post(url, _add_form("overview-of-ict")).status_code == 302
    assert Course.objects.get().slug == "overview-of-ict"


def test_an_imported_or_duplicated_course_takes_a_free_address_and_opens(
    ready_world, client, teacher, methodist
):
    data = copy.deepcopy(READY)
    data["course"]["slug"] = "overview"
    course = course_import(data, published=True)
    assert course.slug == "overview-2"
    client.force_login(teacher)
    page = client.get(course.get_absolute_url())
    assert page.status_code == 200 and page.context["course"] == course
    client.force_login(methodist)
    overview = client.get(reverse("courses:overview"))
    assert overview.status_code == 200 and "courses/overview/index.html" in [
        t.name for t in overview.templates
    ]
    Course.objects.filter(pk=course.pk).update(slug="needs-copy")
    CourseFactory(slug="needs-copy-copy")
    copy_ = course_duplicate(course=Course.objects.get(pk=course.pk))
    assert copy_.slug == "needs-copy-copy-2"
