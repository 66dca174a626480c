"""The objects the authorisation matrix and the probe ask about, each with its owner, built
with the project's test factories (tests/security/registry.py says who may open which URL)."""

import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courses.models import Enrolment, Evidence, LessonKind, Quiz
from courses.quizzes.services import attempt_start
from forums.models import RoundTable
from forums.round_tables.services import round_table_schedule
from tests.courses.assignments.conftest import handed_in
from tests.courses.assignments.factories import AssignmentFactory
from tests.courses.factories import course_with_lessons
from tests.diagnostics.factories import (
    AreaFactory,
    ChoiceFactory,
    InstrumentFactory,
    QuestionFactory,
    ResponseFactory,
    RoundFactory,
)
from tests.forums.factories import group_forum, reply, study_group, topic
from tests.lms.factories import HeadFactory, TeacherFactory


def a_head(school):
    return HeadFactory(school=school)


def a_teacher(school):
    return TeacherFactory(school=school)


def a_response(school):
    teacher = a_teacher(school)
    round_ = RoundFactory(schools=[school])
    QuestionFactory(instrument=round_.instrument)
    return teacher, ResponseFactory(round=round_, teacher=teacher)


def a_group(school):
    member = a_teacher(school)
    return member, study_group(members=[member], school=school)


def a_thread(school):
    member, group = a_group(school)
    forum = group_forum(group)
    question = topic(forum, member, body="Secret group question")
    answer = reply(question, member, body="secretword answer")
    return member, forum, question, answer


def a_round_table(school):
    member, forum, _question, _answer = a_thread(school)
    table = round_table_schedule(
        round_table=RoundTable(forum=forum, title="RT", starts_at=timezone.now()), author=member
    )
    return member, table


def a_lesson(school, **fields):
    teacher = a_teacher(school)
    course, lessons = course_with_lessons(lessons=1)
    for name, value in fields.items():
        setattr(lessons[0], name, value)
    lessons[0].save()
    Enrolment.objects.create(user=teacher, course=course)
    return teacher, course, lessons[0]


def a_quiz_attempt(school):
    teacher, course, lesson = a_lesson(
        school, kind=LessonKind.QUIZ, completion_rule=Evidence.QUIZ_PASSED, pass_mark=Decimal(60)
    )
    area = AreaFactory()
    instrument = InstrumentFactory(framework=area.framework, kind="knowledge_test")
    question = QuestionFactory(instrument=instrument, area=area)
    ChoiceFactory(question=question, credit=1)
    quiz = Quiz.objects.create(lesson=lesson, instrument=instrument, attempts_allowed=5)
    return teacher, attempt_start(user=teacher, quiz=quiz, rng=random.Random(1))


def a_work(school):
    teacher = a_teacher(school)
    assignment = AssignmentFactory()
    Enrolment.objects.create(user=teacher, course=assignment.lesson.module.course)
    submission = handed_in(assignment, teacher, text="Secret plan", with_file=True)
    return teacher, assignment, submission


def with_video(lesson):
    lesson.video = SimpleUploadedFile("lesson.mp4", b"\x00\x00\x00\x18ftypmp42")
    lesson.save(update_fields=["video"])


def with_h5p(lesson):
    from courses.h5p.services import interactive_package_install
    from tests.courses.test_h5p_and_video import h5p_bytes, upload

    lesson.kind = LessonKind.INTERACTIVE
    lesson.save(update_fields=["kind"])
    interactive_package_install(lesson=lesson, upload=upload(h5p_bytes()))


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18"
    b"\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
