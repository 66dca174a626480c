from decimal import Decimal

from courses.models import CompletionEvent, Enrolment, Evidence, LessonProgress
from courses.progress import enrolment_recompute
from courses.services import (
    enrolment_create,
    group_course_assign,
    lesson_complete,
    lesson_mark_done,
    video_progress_record,
)
from courses.tasks import completion_recompute_request
from diagnostics.models import GroupMembership, StudyGroup
from tests.courses.factories import course_with_lessons
from tests.diagnostics.factories import RoundFactory
from tests.lms.factories import TeacherFactory


def test_marking_every_lesson_done_completes_the_course(teacher):
    course, lessons = course_with_lessons(lessons=2)
    enrolment = enrolment_create(user=teacher, course=course)
    assert (enrolment.lessons_total, enrolment.percent) == (2, 0)

    lesson_mark_done(user=teacher, lesson=lessons[0])
    enrolment.refresh_from_db()
    assert (enrolment.lessons_done, enrolment.percent, enrolment.completed_at) == (1, 50, None)

    lesson_mark_done(user=teacher, lesson=lessons[1])
    lesson_mark_done(user=teacher, lesson=lessons[1])  # a double click records one event
    enrolment.refresh_from_db()
    assert enrolment.percent == 100 and enrolment.completed_at is not None
    assert CompletionEvent.objects.filter(user=teacher).count() == 2


def test_quiz_lesson_is_not_completed_by_marking_it_done(teacher):
    course, (quiz,) = course_with_lessons(lessons=1)
    quiz.kind, quiz.completion_rule = "quiz", Evidence.QUIZ_PASSED
    quiz.save()
    lesson_mark_done(user=teacher, lesson=quiz)
    enrolment = Enrolment.objects.get(user=teacher, course=course)
    assert enrolment.lessons_done == 0

    lesson_complete(user=teacher, lesson=quiz, evidence=Evidence.QUIZ_PASSED, score=Decimal(80))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert LessonProgress.objects.get(enrolment=enrolment).best_score == Decimal(80)


def test_video_completes_at_ninety_percent_only(teacher):
    course, (lesson,) = course_with_lessons(lessons=1)
    lesson.completion_rule = Evidence.VIDEO_WATCHED
    lesson.video_url = "https://video.example/1"
    lesson.save()
    assert video_progress_record(user=teacher, lesson=lesson, fraction=Decimal("0.5")) is False
    assert not Enrolment.objects.get(user=teacher).is_completed
    assert video_progress_record(user=teacher, lesson=lesson, fraction=Decimal("0.93")) is True
    assert Enrolment.objects.get(user=teacher).is_completed


def test_rule_change_recompute_keeps_earned_completions_and_marks_nobody_new(
    teacher, django_capture_on_commit_callbacks
):
    other = TeacherFactory(school=teacher.school)
    course, (lesson,) = course_with_lessons(lessons=1)
    lesson_mark_done(user=teacher, lesson=lesson)
    enrolment_create(user=other, course=course)
    # Now the lesson wants a watched video: nobody has that evidence.
    lesson.completion_rule = Evidence.VIDEO_WATCHED
    lesson.save()

    with django_capture_on_commit_callbacks(execute=True):
        recompute = completion_recompute_request(course=course)
    recompute.refresh_from_db()
    assert recompute.status == "done" and recompute.percent == 100
    assert Enrolment.objects.get(user=teacher).is_completed  # earned, kept
    assert not Enrolment.objects.get(user=other).is_completed  # never marked complete

    with django_capture_on_commit_callbacks(execute=True):
        completion_recompute_request(course=course, revoke_earned=True)
    assert not Enrolment.objects.get(user=teacher).is_completed  # the methodist asked


def test_recompute_counts_evidence_recorded_under_another_rule(
    teacher, django_capture_on_commit_callbacks
):
    course, (lesson,) = course_with_lessons(lessons=1)
    video_progress_record(user=teacher, lesson=lesson, fraction=Decimal("0.95"))
    enrolment = Enrolment.objects.get(user=teacher)
    assert not enrolment.is_completed  # the rule is "marked done"

    lesson.completion_rule = Evidence.VIDEO_WATCHED
    lesson.save()
    with django_capture_on_commit_callbacks(execute=True):
        completion_recompute_request(course=course)
    assert Enrolment.objects.get(user=teacher).is_completed


def test_optional_lessons_do_not_block_completion(teacher):
    course, (first, optional) = course_with_lessons(lessons=2)
    optional.required = False
    optional.save()
    lesson_mark_done(user=teacher, lesson=first)
    enrolment = enrolment_recompute(enrolment=Enrolment.objects.get(user=teacher))
    assert enrolment.lessons_total == 1 and enrolment.is_completed


def test_group_assignment_enrols_every_member(school):
    round_ = RoundFactory()
    members = [TeacherFactory(school=school) for _ in range(3)]
    from tests.diagnostics.factories import LevelFactory

    group = StudyGroup.objects.create(
        round=round_, level=LevelFactory(), name="G", bucket="b", school=school
    )
    for member in members:
        GroupMembership.objects.create(round=round_, group=group, teacher=member)
    course, _lessons = course_with_lessons(lessons=2)
    enrolment_create(user=members[0], course=course)  # already enrolled: stays self-enrolled

    group_course_assign(group=group, course=course)
    group_course_assign(group=group, course=course)  # twice: no duplicates

    enrolments = Enrolment.objects.filter(course=course)
    assert enrolments.count() == 3
    assert enrolments.filter(source=Enrolment.Source.GROUP).count() == 2
    assert all(e.lessons_total == 2 for e in enrolments)
