from datetime import date

import pytest
from django.urls import reverse

from courses.models import CompletionEvent, Condition, Enrolment, Evidence
from courses.services import enrolment_create, lesson_mark_done
from tests.courses.factories import (
    ConditionFactory,
    CourseFactory,
    LessonVariantFactory,
    course_with_lessons,
    scored_diagnosis,
)
from tests.lms.factories import TeacherFactory


@pytest.fixture
def course_and_lessons(db):
    return course_with_lessons(lessons=2, modules=2)


def test_catalogue_lists_published_courses_only(client, teacher):
    CourseFactory(title_en="Open course")
    CourseFactory(title_en="Draft course", published=False)
    client.force_login(teacher)
    page = client.get(reverse("courses:catalogue")).content.decode()
    assert "Open course" in page and "Draft course" not in page


def test_catalogue_filters_by_area_level_language_and_mine(client, teacher, areas, levels):
    CourseFactory(title_en="Docs basic", areas=[areas[0]], levels=[levels[0]])
    CourseFactory(title_en="Web advanced", areas=[areas[2]], levels=[levels[2]])
    mine = CourseFactory(title_en="Russian one", language="ru")
    enrolment_create(user=teacher, course=mine)
    client.force_login(teacher)
    url = reverse("courses:catalogue")
    page = client.get(url, {"area": areas[0].pk}).content.decode()
    assert "Docs basic" in page and "Web advanced" not in page
    page = client.get(url, {"level": levels[2].pk}).content.decode()
    # A course naming no level suits every level.
    assert "Web advanced" in page and "Russian one" in page and "Docs basic" not in page
    page = client.get(url, {"language": "ru"}).content.decode()
    assert "Russian one" in page and "Docs basic" not in page
    page = client.get(url, {"mine": "1", "area": "not a number"}).content.decode()
    assert "Russian one" in page and "Web advanced" not in page


def test_catalogue_query_count_is_fixed(
    client, teacher, areas, levels, django_assert_max_num_queries
):
    for n in range(12):
        course = CourseFactory(areas=areas[:2], levels=levels[:1])
        if n % 2:
            enrolment_create(user=teacher, course=course)
    client.force_login(teacher)
    # session, user, count, page of courses, areas, levels, my enrolments (prefetches),
    # area and level filter lists
    with django_assert_max_num_queries(9):
        assert client.get(reverse("courses:catalogue")).status_code == 200


def test_teacher_enrols_and_sees_progress_and_continue(client, teacher, course_and_lessons):
    course, lessons = course_and_lessons
    client.force_login(teacher)
    response = client.post(reverse("courses:enrol", args=[course.slug]))
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=teacher, course=course).exists()
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Start the course" in page

    client.get(lessons[0].get_absolute_url())
    client.post(reverse("courses:mark-done", args=[lessons[0].pk]))
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Continue where you left off" in page
    assert 'aria-valuenow="25"' in page  # 1 of 4 lessons
    assert lessons[1].title_en in page


def test_course_page_query_count_is_fixed(
    client, teacher, areas, levels, django_assert_max_num_queries
):
    course, lessons = course_with_lessons(lessons=5, modules=3, areas=areas)
    for lesson in lessons[1:]:
        ConditionFactory(lesson=lesson, required_lesson=lessons[0])
    enrolment_create(user=teacher, course=course)
    lesson_mark_done(user=teacher, lesson=lessons[0])
    scored_diagnosis(teacher, level=levels[0], area_levels={areas[0]: levels[0]})
    client.force_login(teacher)
    # session, user, course, enrolment, conditions + their levels, progress of every lesson
    # and module (one query; no rule asks for quiz marks or levels, so neither is read),
    # modules, lessons, course areas, the forum panel (tests/courses/test_query_counts.py
    # measures a course with rules of every kind, small and large)
    with django_assert_max_num_queries(11):
        assert client.get(course.get_absolute_url()).status_code == 200


def test_lesson_shows_the_variant_of_the_teachers_level_in_its_area(client, teacher, areas, levels):
    course, (lesson,) = course_with_lessons(lessons=1)
    lesson.area = areas[1]
    lesson.save()
    LessonVariantFactory(lesson=lesson, level=levels[0], body_en="Start with the mouse.")
    LessonVariantFactory(lesson=lesson, level=levels[2], body_en="Write a *wiki* page.")
    # Advanced overall, Basic in the lesson's area.
    scored_diagnosis(teacher, level=levels[2], area_levels={areas[1]: levels[0]})
    client.force_login(teacher)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "Start with the mouse." in page and "wiki" not in page
    page = client.get(lesson.get_absolute_url(), {"level": levels[2].pk}).content.decode()
    assert "<em>wiki</em>" in page


def test_lesson_markdown_is_sanitised(client, teacher):
    course, (lesson,) = course_with_lessons(lessons=1)
    lesson.body_en = "Hi <script>alert(1)</script> [x](javascript:alert(1)) **bold**"
    lesson.save()
    client.force_login(teacher)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert" not in page and "javascript:alert" not in page


def test_lesson_page_query_count_is_fixed(client, teacher, django_assert_max_num_queries):
    course, lessons = course_with_lessons(lessons=3)
    enrolment_create(user=teacher, course=course)
    client.force_login(teacher)
    # session, user, lesson (its course's visibility a subquery), latest response, area
    # scores (the level's variant), enrolment, rules (none), progress of every lesson,
    # lesson_open (savepoint, enrolment updated, progress updated, release), variants,
    # resources, attachments
    with django_assert_max_num_queries(15):
        assert client.get(lessons[1].get_absolute_url()).status_code == 200


def test_locked_lesson_is_403_by_url_and_says_why(client, teacher):
    course, (first, second) = course_with_lessons(lessons=2)
    ConditionFactory(lesson=second, kind=Condition.Kind.FROM_DATE, opens_on=date(2099, 1, 24))
    client.force_login(teacher)
    response = client.get(second.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "24.01.2099" in response.content.decode()
    assert client.post(reverse("courses:mark-done", args=[second.pk])).status_code == 403
    assert not CompletionEvent.objects.exists()


def test_unpublished_course_and_its_lessons_are_404_for_teachers(client, teacher, methodist):
    course, (lesson,) = course_with_lessons(lessons=1, published=False)
    client.force_login(teacher)
    assert client.get(course.get_absolute_url()).status_code == 404
    assert client.get(lesson.get_absolute_url()).status_code == 404
    client.force_login(methodist)
    assert client.get(lesson.get_absolute_url()).status_code == 200


def test_strangers_are_sent_to_sign_in(client, course_and_lessons):
    course, lessons = course_and_lessons
    for url in (
        reverse("courses:catalogue"),
        course.get_absolute_url(),
        lessons[0].get_absolute_url(),
    ):
        assert client.get(url).status_code == 302
    assert client.post(reverse("courses:mark-done", args=[lessons[0].pk])).status_code == 302
    assert not CompletionEvent.objects.exists()


def test_progress_page_owner_head_other_school_and_stranger(
    client, teacher, head, other_head, course_and_lessons
):
    course, _lessons = course_and_lessons
    enrolment = enrolment_create(user=teacher, course=course)
    url = reverse("courses:enrolment", args=[enrolment.pk])
    client.force_login(teacher)
    assert client.get(url).status_code == 200
    client.force_login(head)
    assert client.get(url).status_code == 200
    client.force_login(other_head)
    assert client.get(url).status_code == 404
    client.force_login(TeacherFactory(school=teacher.school))  # a colleague
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_video_progress_records_the_evidence_at_ninety_percent(client, teacher):
    course, (lesson,) = course_with_lessons(lessons=1)
    lesson.completion_rule = Evidence.VIDEO_WATCHED
    lesson.save()
    client.force_login(teacher)
    url = reverse("courses:video-progress", args=[lesson.pk])
    assert client.post(url, {"fraction": "nonsense"}).status_code == 400
    assert client.post(url, {"fraction": "3"}).status_code == 400
    assert client.post(url, {"fraction": "0.4"}).json() == {"completed": False}
    assert client.post(url, {"fraction": "0.91"}).json() == {"completed": True}
    assert Enrolment.objects.get(user=teacher).is_completed


def test_staff_preview_as_a_level(client, teacher, methodist, levels):
    course, (lesson,) = course_with_lessons(lessons=1, published=False)
    LessonVariantFactory(lesson=lesson, level=levels[1], body_en="Middle text")
    url = reverse("courses:preview", args=[lesson.pk])
    client.force_login(methodist)
    assert "Middle text" in client.get(url, {"as_level": levels[1].pk}).content.decode()
    assert client.get(url, {"as_level": "x"}).status_code == 404
    client.force_login(teacher)
    assert client.get(url, {"as_level": levels[1].pk}).status_code == 302


def test_dashboard_first_card_points_to_the_next_lesson_of_the_path(
    client, teacher, areas, levels, django_assert_max_num_queries
):
    course, lessons = course_with_lessons(lessons=2, areas=[areas[0]], title_en="Docs")
    scored_diagnosis(teacher, level=levels[0], area_levels={areas[0]: levels[0]})
    enrolment_create(user=teacher, course=course)
    lesson_mark_done(user=teacher, lesson=lessons[0])
    client.force_login(teacher)
    client.get("/")  # builds the path
    # other apps' panels (diagnostics, library: 9); the path, the latest response (stale?),
    # enrolments, the next course's rules, progress, modules, lessons; mentored groups, round
    # tables; session and user
    with django_assert_max_num_queries(20):
        page = client.get("/").content.decode()
    assert "What to do next" in page
    assert lessons[1].get_absolute_url() in page
