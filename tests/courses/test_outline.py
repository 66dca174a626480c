"""The course page's outline: every open lesson links to its own page, a locked one to none."""

from datetime import date

from courses.models import Condition
from courses.services import enrolment_create
from tests.courses.factories import ConditionFactory, course_with_lessons


def test_outline_links_each_open_lesson_to_its_page_and_locked_ones_nowhere(client, teacher):
    course, (first, second, locked) = course_with_lessons(lessons=3, modules=1)
    ConditionFactory(lesson=locked, kind=Condition.Kind.FROM_DATE, opens_on=date(2099, 1, 24))
    enrolment_create(user=teacher, course=course)
    client.force_login(teacher)

    page = client.get(course.get_absolute_url()).content.decode()

    for lesson in (first, second):
        assert f'<a href="{lesson.get_absolute_url()}">{lesson.title_en}</a>' in page
        assert client.get(lesson.get_absolute_url()).status_code == 200
    assert f'href="{locked.get_absolute_url()}"' not in page
    assert f'<span class="text-muted">{locked.title_en}</span>' in page
