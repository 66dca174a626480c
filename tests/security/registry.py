"""For every URL that takes an id: who owns the object behind it, built fresh for each test.

The authorisation matrix (test_authorisation_matrix.py) asks each URL as its owner, as a user of
another school with the owner's role, as a teacher of the owner's school and as a stranger; a
URL with an id that is missing here fails that test, so a new view cannot be forgotten.

`audience` says who besides the owner may read the object by design:
- "owner": only the owner (and methodists and administrators, who read every school);
- "signed_in": everyone signed in (published courses, library resources): only strangers are
  sent to sign in;
- "school": also the owner's colleagues (a round's list of study groups, which shows each
  teacher only the groups they may see);
- "token": the URL carries a secret (an unsubscribe link, a share link, a certificate code): a
  wrong secret is 404 to everyone, the right one opens the page without signing in.
"""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Enrolment, LessonAttachment
from diagnostics.models import StudyGroup
from forums.models import Attachment, Report
from lms.notifications.models import Notification
from lms.notifications.services import notify
from tests.courses.factories import course_with_lessons
from tests.diagnostics.factories import (
    InstrumentFactory,
    LevelFactory,
    QuestionFactory,
    RoundFactory,
)
from tests.forums.factories import group_forum, study_group
from tests.library.factories import CollectionFactory, ResourceFactory
from tests.lms.factories import MethodistFactory
from tests.security.objects import (
    PNG,
    a_group,
    a_head,
    a_lesson,
    a_quiz_attempt,
    a_response,
    a_round_table,
    a_teacher,
    a_thread,
    a_work,
    with_h5p,
    with_video,
)


@dataclass
class Case:
    owner: object  # the user who may open it
    kwargs: dict
    method: str = "get"
    audience: str = "owner"
    data: dict = field(default_factory=dict)
    # The URL with a wrong secret, for audience "token".
    wrong_kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)  # what the page needs in its query string


def _notification(school):
    teacher = a_teacher(school)
    notify(recipients=[teacher], kind="lms.round_opened", params={"title": "A"})
    return Case(teacher, {"notification_id": Notification.objects.get(recipient=teacher).pk})


# --- the registry: URL name -> builder(school) -> Case ---------------------------------------


def _by_school(name):
    def build(school):
        return Case(a_head(school), {"school_id": school.pk})

    return build


def _school_teacher(method):
    def build(school):
        teacher = a_teacher(school)
        return Case(a_head(school), {"school_id": school.pk, "teacher_id": teacher.pk}, method)

    return build


def _response_case(method="get", **extra):
    def build(school):
        teacher, response = a_response(school)
        return Case(teacher, {"response_id": response.pk, **extra}, method)

    return build


def _thread_case(kind, method="get", **extra):
    def build(school):
        member, forum, question, answer = a_thread(school)
        ids = {
            "forum": {"forum_id": forum.pk},
            "topic": {"topic_id": question.pk},
            "post": {"post_id": answer.pk},
        }[kind]
        return Case(member, {**ids, **extra}, method, data={"body": "x", "reason": "x"})

    return build


def _round_table_case(method="get"):
    def build(school):
        member, table = a_round_table(school)
        return Case(member, {"round_table_id": table.pk}, method)

    return build


def _lesson_case(method="get", *, dress=None, **extra):
    """A lesson of a published course (every teacher may open it); `dress` adds its media."""

    def build(school):
        teacher, _course, lesson = a_lesson(school)
        if dress is not None:
            dress(lesson)
        kwargs = {"lesson_id": lesson.pk, **extra}
        return Case(teacher, kwargs, method, audience="signed_in")

    return build


def _quiz_start(school):
    teacher, attempt = a_quiz_attempt(school)
    return Case(teacher, {"lesson_id": attempt.quiz.lesson_id}, "post", audience="signed_in")


def _lesson_preview(school):
    _teacher_, _course, lesson = a_lesson(school)
    return Case(MethodistFactory(), {"lesson_id": lesson.pk}, query={"as_level": LevelFactory().pk})


def _moderation(kind, **extra):
    def build(school):
        case = _thread_case(kind, "post" if extra else "get", **extra)(school)
        case.owner = MethodistFactory()
        return case

    return build


def _work_case(kind):
    def build(school):
        teacher, assignment, submission = a_work(school)
        ids = {
            "submission": {"submission_id": submission.pk},
            "file": {"file_id": submission.files.get().pk},
        }[kind]
        return Case(teacher, ids)

    return build


def _methodist_case(build_kwargs, method="get"):
    def build(school):
        return Case(MethodistFactory(), build_kwargs(school), method)

    return build


def _report_dismiss(school):
    member, _forum, _question, answer = a_thread(school)
    report = Report.objects.create(post=answer, reporter=member, reason="spam")
    return Case(MethodistFactory(), {"report_id": report.pk}, "post")


def _forum_attachment(school):
    member, _forum, _question, answer = a_thread(school)
    attachment = Attachment.objects.create(
        post=answer, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), name="a.pdf", extension="pdf"
    )
    return Case(member, {"attachment_id": attachment.pk})


def _lesson_attachment(school):
    teacher, _course, lesson = a_lesson(school)
    attachment = LessonAttachment.objects.create(
        lesson=lesson, title="Plan", file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x")
    )
    return Case(
        teacher, {"lesson_id": lesson.pk, "attachment_id": attachment.pk}, audience="signed_in"
    )


def _course_slug(name, method="get"):
    def build(school):
        teacher, course, _lesson_ = a_lesson(school)
        if name == "cover":
            course.cover = SimpleUploadedFile("cover.png", PNG)
            course.save(update_fields=["cover"])
        return Case(teacher, {"slug": course.slug}, method, audience="signed_in")

    return build


def _course_forum(school):
    teacher, course, _lesson_ = a_lesson(school)
    return Case(teacher, {"course_id": course.pk}, audience="signed_in")


def _overview_group(with_course):
    def build(school):
        mentor = a_teacher(school)
        group = study_group(members=[a_teacher(school)], mentor=mentor, school=school)
        kwargs = {"group_id": group.pk}
        if with_course:
            course, _lessons = course_with_lessons(lessons=1)
            kwargs["slug"] = course.slug
        return Case(mentor, kwargs)

    return build


def _group_case(name):
    def build(school):
        member, group = a_group(school)
        return Case(member, {"group_id": group.pk})

    return build


def _round_groups(school):
    round_ = RoundFactory(schools=[school])
    StudyGroup.objects.create(
        round=round_, school=school, level=LevelFactory(), name="G", bucket="b"
    )
    return Case(a_head(school), {"round_id": round_.pk}, audience="school")


def _take(school):
    round_ = RoundFactory(schools=[school])
    QuestionFactory(instrument=round_.instrument)
    return Case(a_teacher(school), {"round_id": round_.pk})


def _resource(name, method="get"):
    def build(school):
        # Unpublished: only methodists read it; a published one is read by everyone signed in.
        resource = ResourceFactory(published=False)
        if name == "cover":
            resource.cover, resource.cover_type = SimpleUploadedFile("c.png", PNG), "png"
            resource.save(update_fields=["cover", "cover_type"])
        return Case(MethodistFactory(), {"resource_id": resource.pk}, method)

    return build


def _collection(school):
    collection = CollectionFactory()
    return Case(a_teacher(school), {"slug": collection.slug}, audience="signed_in")


def _certificate(school):
    from courses.certificates.models import Certificate
    from tests.courses.test_certificates import complete

    teacher = a_teacher(school)
    complete(teacher)
    certificate = Certificate.objects.get(user=teacher)
    return Case(teacher, {"certificate_id": certificate.pk})


def _verify_code(school):
    from courses.certificates.models import Certificate
    from tests.courses.test_certificates import complete

    teacher = a_teacher(school)
    complete(teacher)
    code = Certificate.objects.get(user=teacher).code
    return Case(teacher, {"code": code}, audience="token", wrong_kwargs={"code": "AAAA-BBBB-CCCC"})


def _reflection(method):
    def build(school):
        from courses.portfolio.services import reflection_save

        teacher = a_teacher(school)
        reflection = reflection_save(user=teacher, text="A private thought")
        return Case(teacher, {"reflection_id": reflection.pk}, method)

    return build


def _portfolio_teacher(school):
    teacher = a_teacher(school)
    return Case(teacher, {"user_id": teacher.pk})


def _shared(school):
    from courses.portfolio.models import ShareLink

    teacher = a_teacher(school)
    link = ShareLink.objects.create(user=teacher, sections=["certificates"])
    return Case(teacher, {"token": link.token}, audience="token", wrong_kwargs={"token": "x" * 32})


def _unsubscribe(school):
    from lms.notifications.tokens import unsubscribe_token

    teacher = a_teacher(school)
    return Case(
        teacher,
        {"token": unsubscribe_token(user_id=teacher.pk, kind="lms.round_opened")},
        audience="token",
        wrong_kwargs={"token": "x" * 40},
    )


def _recompute(school):
    from courses.tasks import completion_recompute_request

    course, _lessons = course_with_lessons(lessons=1)
    recompute = completion_recompute_request(course=course)
    return Case(MethodistFactory(), {"recompute_id": recompute.pk})


def _enrolment(school):
    teacher, course, _lesson_ = a_lesson(school)
    return Case(teacher, {"enrolment_id": Enrolment.objects.get(user=teacher, course=course).pk})


def _quiz_case(method):
    def build(school):
        teacher, attempt = a_quiz_attempt(school)
        return Case(teacher, {"attempt_id": attempt.pk}, method)

    return build


def _assignment_case(method):
    def build(school):
        teacher, assignment, _submission = a_work(school)
        return Case(teacher, {"assignment_id": assignment.pk}, method, audience="signed_in")

    return build


def _preview(school):
    return Case(MethodistFactory(), {"instrument_id": InstrumentFactory().pk})


def _statistics(school):
    return Case(MethodistFactory(), {"round_id": RoundFactory(schools=[school]).pk})


def _forum_of_group(school):
    member, group = a_group(school)
    group_forum(group)
    return Case(member, {"group_id": group.pk})


def _password_reset_confirm(school):
    teacher = a_teacher(school)
    return Case(
        teacher,
        {"uidb64": "MQ", "token": "set-password"},
        audience="token",
        wrong_kwargs={"uidb64": "MQ", "token": "wrong-token"},
    )


REGISTRY = {
    "password_reset_confirm": _password_reset_confirm,
    "school-teachers": _by_school("school-teachers"),
    "teacher-invite": _school_teacher("post"),
    "teacher-deactivate": _school_teacher("get"),
    "teacher-reactivate": _school_teacher("post"),
    "roster-import": _by_school("roster-import"),
    "notifications:open": _notification,
    "notifications:unsubscribe": _unsubscribe,
    "diagnostics:take": _take,
    "diagnostics:page": _response_case(page=1),
    "diagnostics:submit": _response_case("post"),
    "diagnostics:form": _response_case("post"),
    "diagnostics:result": _response_case(),
    "diagnostics:status": _response_case(),
    "diagnostics:preview": _preview,
    "diagnostics:statistics": _statistics,
    "diagnostics:statistics-csv": _statistics,
    "diagnostics:export-responses": _statistics,
    "diagnostics:group": _group_case("diagnostics:group"),
    "diagnostics:groups": _round_groups,
    "diagnostics:school-report": _by_school("school-report"),
    "diagnostics:school-report-print": _by_school("school-report-print"),
    "diagnostics:school-growth": _by_school("school-growth"),
    "diagnostics:school-growth-print": _by_school("school-growth-print"),
    "library:resource": _resource("resource"),
    "library:file": _resource("file"),
    "library:cover": _resource("cover"),
    "library:external": _resource("external"),
    "library:bookmark": _resource("bookmark", "post"),
    "library:collection": _collection,
    "courses:lesson": _lesson_case(),
    "courses:preview": _lesson_preview,
    "courses:mark-done": _lesson_case("post"),
    "courses:video-progress": _lesson_case("post"),
    "courses:video": _lesson_case(dress=with_video),
    "courses:attachment": _lesson_attachment,
    "courses:quiz-start": _quiz_start,
    "courses:quiz-attempt": _quiz_case("get"),
    "courses:quiz-submit": _quiz_case("post"),
    "courses:h5p-root": _lesson_case(dress=with_h5p),
    "courses:h5p-result": _lesson_case("post", dress=with_h5p),
    "courses:h5p-file": _lesson_case(dress=with_h5p, path="content/content.json"),
    "courses:enrolment": _enrolment,
    "courses:recompute-status": _recompute,
    "courses:overview-group": _overview_group(with_course=False),
    "courses:overview-group-course": _overview_group(with_course=True),
    "courses:overview-course": _methodist_case(
        lambda school: {"slug": course_with_lessons(lessons=1)[0].slug}
    ),
    "courses:overview-school": _by_school("overview-school"),
    "courses:course": _course_slug("course"),
    "courses:enrol": _course_slug("enrol", "post"),
    "courses:cover": _course_slug("cover"),
    "forums:group": _forum_of_group,
    "forums:course": _course_forum,
    "forums:forum": _thread_case("forum"),
    "forums:topic-new": _thread_case("forum"),
    "forums:forum-follow": _thread_case("forum", "post"),
    "forums:feed": _thread_case("forum"),
    "forums:digest": _thread_case("forum"),
    "forums:topic": _thread_case("topic"),
    "forums:reply": _thread_case("topic"),
    "forums:topic-follow": _thread_case("topic", "post"),
    "forums:topic-move": _moderation("topic"),
    "forums:topic-moderate": _moderation("topic", action="lock"),
    "forums:post": _thread_case("post"),
    "forums:post-edit": _thread_case("post"),
    "forums:post-delete": _thread_case("post", "post"),
    "forums:post-helpful": _thread_case("post", "post"),
    "forums:post-accept": _thread_case("post", "post"),
    "forums:post-report": _thread_case("post"),
    "forums:post-moderate": _moderation("post", action="hide"),
    "forums:report-dismiss": _report_dismiss,
    "forums:attachment": _forum_attachment,
    "forums:round-table": _round_table_case(),
    "forums:round-table-register": _round_table_case("post"),
    "forums:round-table-ics": _round_table_case(),
    "forums:round-table-join": _round_table_case(),
    "forums:round-table-attendance": _round_table_case(),
    "forums:round-table-outcomes": _round_table_case(),
    "certificates:pdf": _certificate,
    "certificates:verify-code": _verify_code,
    "portfolio:teacher": _portfolio_teacher,
    "portfolio:reflection-edit": _reflection("get"),
    "portfolio:reflection-delete": _reflection("post"),
    "portfolio:shared": _shared,
    "assignments:assignment": _assignment_case("get"),
    "assignments:autosave": _assignment_case("post"),
    "assignments:submission": _work_case("submission"),
    "assignments:file": _work_case("file"),
}


def _export(page_name):
    def build(school):
        case = REGISTRY[page_name](school)
        case.kwargs["fmt"] = "csv"
        return case

    return build


REGISTRY["diagnostics:school-report-export"] = _export("diagnostics:school-report")
REGISTRY["diagnostics:school-growth-export"] = _export("diagnostics:school-growth")

# Parameters that name no object: a format, a page of a response, a file in a package, an action.
NOT_IDS = {"fmt", "page", "path", "action"}
