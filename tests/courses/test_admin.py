import json

from django.urls import reverse

from courses.models import (
    CompletionEvent,
    Condition,
    Course,
    Evidence,
    Lesson,
    Module,
    Quiz,
    QuizAttempt,
)
from courses.services import course_duplicate, enrolment_create, lesson_mark_done
from diagnostics.models import Question
from tests.courses.factories import (
    ConditionFactory,
    LessonVariantFactory,
    course_with_lessons,
    quiz_lesson,
)


def test_methodist_opens_course_module_and_lesson_forms(client, methodist, levels):
    course, (lesson, _second) = course_with_lessons(lessons=2)
    LessonVariantFactory(lesson=lesson, level=levels[0])
    client.force_login(methodist)
    for url in (
        reverse("admin:courses_course_change", args=[course.pk]),
        reverse("admin:courses_module_change", args=[lesson.module_id]),
        reverse("admin:courses_lesson_change", args=[lesson.pk]),
        reverse("admin:courses_course_add"),
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("admin:courses_lesson_change", args=[lesson.pk])).content.decode()
    assert f"as_level={levels[0].pk}" in page  # preview as each level


def test_drag_and_drop_posts_the_new_order(client, methodist, teacher):
    course, lessons = course_with_lessons(lessons=3)
    module = lessons[0].module
    url = reverse("admin:courses_module_reorder", args=[module.pk])
    new_order = [lessons[2].pk, lessons[0].pk, lessons[1].pk]
    client.force_login(teacher)
    client.post(url, json.dumps({"ids": new_order}), content_type="application/json")
    assert list(module.lessons.order_by("position").values_list("pk", flat=True)) != new_order
    client.force_login(methodist)
    bad = client.post(url, "not json", content_type="application/json")
    assert bad.status_code == 400
    response = client.post(url, json.dumps({"ids": new_order}), content_type="application/json")
    assert response.status_code == 200
    assert list(module.lessons.order_by("position").values_list("pk", flat=True)) == new_order


def test_duplicate_copies_modules_lessons_variants_and_rules(levels):
    course, (first, second) = course_with_lessons(lessons=2, published=True)
    LessonVariantFactory(lesson=first, level=levels[0], body_en="Basic text")
    ConditionFactory(lesson=second, required_lesson=first)
    copy = course_duplicate(course=course)
    assert copy.pk != course.pk and not copy.published and copy.slug != course.slug
    assert Module.objects.filter(course=copy).count() == 1
    copied = list(Lesson.objects.of_course(copy).in_order())
    assert [lesson.title_en for lesson in copied] == [first.title_en, second.title_en]
    assert copied[0].variants.get().body_en == "Basic text"
    rule = Condition.objects.get(lesson=copied[1])
    assert rule.required_lesson == copied[0]  # points inside the copy, not the original
    assert Course.objects.count() == 2


def test_the_duplicate_of_a_quiz_lesson_is_a_quiz_a_teacher_can_pass(
    client, methodist, teacher, areas
):
    course, (intro,) = course_with_lessons(lessons=1)
    original = quiz_lesson(intro.module, areas[0], questions=2, attempts_allowed=2,
                            questions_drawn=1, show_feedback=False)  # fmt: skip
    client.force_login(methodist)
    client.post(
        reverse("admin:courses_course_changelist"),
        {"action": "duplicate", "_selected_action": [course.pk]},
    )
    copy = Course.objects.exclude(pk=course.pk).get()
    quiz = Quiz.objects.select_related("lesson").get(lesson__module__course=copy)
    assert quiz.pk != original.pk and quiz.lesson.kind == "quiz"
    assert quiz.instrument_id == original.instrument_id  # the same question pool
    assert (quiz.attempts_allowed, quiz.questions_drawn, quiz.show_feedback) == (2, 1, False)
    assert quiz.lesson.pass_mark == original.lesson.pass_mark
    Course.objects.filter(pk=copy.pk).update(published=True)
    client.force_login(teacher)
    assert client.post(reverse("courses:quiz-start", args=[quiz.lesson.pk])).status_code == 302
    attempt = QuizAttempt.objects.get(user=teacher)
    assert attempt.quiz == quiz and len(attempt.question_ids) == 1
    (question,) = Question.objects.filter(pk__in=attempt.question_ids)
    right = question.choices.get(credit=1)
    client.post(reverse("courses:quiz-submit", args=[attempt.pk]), {f"q{question.pk}": right.pk})
    attempt.refresh_from_db()
    assert attempt.passed
    assert CompletionEvent.objects.filter(user=teacher, lesson=quiz.lesson).exists()
    assert not CompletionEvent.objects.filter(lesson=original.lesson).exists()


def lesson_rule_change(form, lesson) -> dict:
    """The lesson's admin form as loaded, sent back with its completion rule changed to
    "video watched" and no inline rows."""
    data = {k: v for k, v in form.initial.items() if isinstance(v, str | int | bool)}
    data.update(
        {
            "module": lesson.module_id,
            "title_en": lesson.title_en,
            "kind": lesson.kind,
            "completion_rule": Evidence.VIDEO_WATCHED,
            "required": "on",
            "position": 1,
        }
    )
    for prefix in ("variants", "conditions", "attachments", "resource_links"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def test_changing_a_completion_rule_in_the_admin_recomputes(
    client, methodist, teacher, django_capture_on_commit_callbacks
):
    course, (lesson,) = course_with_lessons(lessons=1)
    enrolment = enrolment_create(user=teacher, course=course)
    lesson_mark_done(user=teacher, lesson=lesson)
    client.force_login(methodist)
    url = reverse("admin:courses_lesson_change", args=[lesson.pk])
    data = lesson_rule_change(client.get(url).context["adminform"].form, lesson)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert course.recomputes.get().status == "done"
    enrolment.refresh_from_db()
    assert enrolment.is_completed  # earned before the change: kept


def test_seed_demo_adds_courses_with_progress_once(db):
    import io

    from django.core.management import call_command

    from courses.models import Enrolment, LearningPathEntry

    call_command("seed_demo", stdout=io.StringIO())
    first = (Course.objects.count(), Enrolment.objects.count())
    assert first[0] >= 3 and first[1] > 0
    assert Enrolment.objects.filter(lessons_done__gt=0).exists()
    assert LearningPathEntry.objects.exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Course.objects.count(), Enrolment.objects.count()) == first
