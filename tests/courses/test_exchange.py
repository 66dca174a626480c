"""Course export and import: a round trip gives the same course, files byte for byte; the ready
course imports; bad files give clear errors naming the place, and nothing is created."""

import copy
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import translation

from courses.exchange import (
    CourseFormatError,
    course_export,
    course_export_zip,
    course_import,
    upload_read,
)
from courses.models import Condition, Course, Lesson, LessonAttachment, Quiz
from diagnostics.kinds.content import translated
from tests.courses.factories import READY


def canonical(course: Course) -> dict:
    """Everything a course holds that an exchange must carry, with no ids in it."""
    data, files = course_export(course)
    data["course"].pop("slug")
    data["course"].pop("published")
    return {
        "data": data,
        "files": {name: stored.open("rb").read() for name, stored in files.items()},
        "translated": {
            "course": translated(course, "title"),
            "lessons": [
                (translated(lesson, "body"), translated(lesson, "information_sources"))
                for lesson in Lesson.objects.of_course(course).in_order()
            ],
        },
    }


def zipped(course: Course) -> io.BytesIO:
    out = io.BytesIO()
    course_export_zip(course, out)
    out.seek(0)
    return out


def import_file(fileobj, **kwargs) -> Course:
    upload = upload_read(fileobj)
    try:
        return course_import(upload.data, upload=upload, **kwargs)
    finally:
        upload.close()


def test_the_ready_course_imports_with_its_quizzes_conditions_and_library(ready_world):
    course = course_import(copy.deepcopy(READY), published=True)
    assert course.slug == "ict-professional-activity" and course.published
    assert course.modules.count() == 6
    lessons = Lesson.objects.of_course(course)
    assert lessons.count() == sum(len(m["lessons"]) for m in READY["modules"])
    assert Quiz.objects.filter(lesson__module__course=course).count() == 6
    quiz = Quiz.objects.filter(lesson__module__course=course).first()
    assert quiz.instrument.kind == "knowledge_test" and quiz.instrument.questions.count() == 6
    assert quiz.lesson.pass_mark == 60 and quiz.attempts_allowed == 3 and quiz.show_feedback
    assert Condition.objects.filter(lesson__module__course=course).exists()
    assert not course.import_warnings
    assert lessons.filter(resource_links__isnull=False).distinct().count() > 10
    # The file's kinds ("practical") are the model's ("practical_work").
    assert lessons.filter(kind="practical_work").count() == 6
    assert course.areas.count() == 6


def _with_files(course: Course) -> Course:
    course.cover.save("cover.png", ContentFile(b"\x89PNG fake cover"), save=True)
    lesson = Lesson.objects.of_course(course).in_order().first()
    lesson.video.save("talk.mp4", ContentFile(b"\x00\x01video" * 1000), save=True)
    LessonAttachment.objects.create(
        lesson=lesson, title_kk="Жоспар", title_ru="План", file=ContentFile(b"%PDF-1.4", "p.pdf")
    )
    second = Lesson.objects.of_course(course).in_order()[1]
    Condition.objects.create(lesson=second, kind="from_date", opens_on="2025-09-01", alternative=2)
    Condition.objects.create(
        module=course.modules.last(),
        kind="module_completed",
        required_module=course.modules.first(),
    )
    return course


def test_export_then_import_gives_the_same_course_with_files_byte_equal(ready_world):
    course = _with_files(course_import(copy.deepcopy(READY)))
    copy_ = import_file(zipped(course))
    assert copy_.pk != course.pk
    assert copy_.slug == "ict-professional-activity-2"  # the slug was taken
    assert canonical(copy_) == canonical(course)
    with copy_.cover.open("rb") as cover:
        assert cover.read() == b"\x89PNG fake cover"
    assert copy_.cover.name != course.cover.name


def test_a_bare_json_export_imports_too(ready_world):
    course = course_import(copy.deepcopy(READY))
    data, _files = course_export(course)
    again = import_file(io.BytesIO(json.dumps(data).encode()))
    assert canonical(again) == canonical(course)


def test_management_commands_round_trip(ready_world, tmp_path):
    course = _with_files(course_import(copy.deepcopy(READY)))
    target = tmp_path / "course.zip"
    call_command("export_course", course.slug, "--output", str(target), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_course", str(target), stdout=out)
    assert "ict-professional-activity-2" in out.getvalue()
    assert canonical(Course.objects.get(slug="ict-professional-activity-2")) == canonical(course)


def _at(data, module, lesson) -> dict:
    return data["modules"][module]["lessons"][lesson]


def _broken(mutate) -> dict:
    data = copy.deepcopy(READY)
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: _at(d, 1, 2)["variants"][0].update(level="guru"),
         "module 2, lesson 3: unknown level code “guru”"),
        (lambda d: _at(d, 0, 0).update(kind="dance"),
         "module 1, lesson 1: unknown lesson kind “dance”"),
        (lambda d: _at(d, 0, 5).update(conditions={"all": [{"after_lesson": [9, 9]}]}),
         "module 1, lesson 6: a condition points at a lesson that does not exist"),
        (lambda d: _at(d, 0, 5)["quiz"]["questions"][0].update(kind="essay-ish"),
         "module 1, lesson 6, quiz: question 1 (und-q1): unknown kind “essay-ish”"),
        (lambda d: _at(d, 2, 0).update(area="astrology"),
         "module 3, lesson 1: unknown area code “astrology”"),
        (lambda d: _at(d, 0, 1).pop("title"),
         "module 1, lesson 2: the title is missing"),
        (lambda d: _at(d, 0, 1).update(attachments=[{"title": "x", "file": "../../etc/pw"}]),
         "module 1, lesson 2: “../../etc/pw” is not a file name inside the archive"),
        (lambda d: _at(d, 0, 1).update(video="files/missing.mp4"),
         "module 1, lesson 2: the file “files/missing.mp4” is not in the upload"),
        (lambda d: d.update(version=7), "version 7"),
        (lambda d: d.update(format="moodle"), "This is not an Ustaz course file"),
        (lambda d: d.update(framework="nope"), "the framework “nope”"),
        (lambda d: d["modules"][3].update(lessons="lots"), "module 4: “lessons” must be a list"),
    ],
)  # fmt: skip
def test_bad_files_name_the_place_and_create_nothing(ready_world, mutate, message):
    before = (Course.objects.count(), Lesson.objects.count(), Quiz.objects.count())
    with translation.override("en"), pytest.raises(CourseFormatError) as caught:
        course_import(_broken(mutate))
    assert any(message in problem for problem in caught.value.problems), caught.value.problems
    assert (Course.objects.count(), Lesson.objects.count(), Quiz.objects.count()) == before


def test_errors_are_translated(ready_world):
    with translation.override("ru"), pytest.raises(CourseFormatError) as caught:
        course_import(_broken(lambda d: _at(d, 1, 2).update(area="x")))
    assert "модуль 2, урок 3" in caught.value.problems[0]


def _zip(members: dict) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    out.seek(0)
    return out


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_unreadable_uploads_are_errors(ready_world, english):
    for upload, message in [
        (io.BytesIO(b"{not json"), "The course JSON is not valid"),
        (io.BytesIO(b"\xff\xfe\x00junk"), "not UTF-8"),
        (_zip({"other.json": "{}"}), "has no course.json"),
        (io.BytesIO(b"PK\x03\x04broken zip"), "The course JSON is not valid"),
    ]:
        with pytest.raises(CourseFormatError) as caught:
            upload_read(upload)
        assert message in caught.value.problems[0]


def test_size_limits_and_zip_bombs_stop_early(ready_world, settings, english):
    data = copy.deepcopy(READY)
    data["modules"][0]["lessons"][0]["video"] = "files/big.mp4"
    archive = _zip({"course.json": json.dumps(data), "files/big.mp4": b"\0" * 3_000_000})
    with pytest.raises(CourseFormatError) as caught:
        import_file(archive)
    assert "packed suspiciously tightly" in caught.value.problems[0]
    settings.COURSE_EXCHANGE_MAX_FILE_BYTES = 1000
    with pytest.raises(CourseFormatError) as caught:
        import_file(_zip({"course.json": json.dumps(data), "files/big.mp4": b"x" * 2000}))
    assert "larger than" in caught.value.problems[0]
    settings.COURSE_EXCHANGE_MAX_JSON_BYTES = 100
    with pytest.raises(CourseFormatError):
        import_file(_zip({"course.json": json.dumps(data)}))
    assert not Course.objects.exists()


def test_a_failed_import_leaves_no_files_behind(ready_world, settings):
    data = copy.deepcopy(READY)
    data["course"]["cover"] = "files/cover.png"
    data["modules"][5]["lessons"][0].update(kind="dance")
    import_file(
        _zip({"course.json": json.dumps(data), "files/cover.png": b"png"})
    ) if False else None
    with pytest.raises(CourseFormatError):
        import_file(_zip({"course.json": json.dumps(data), "files/cover.png": b"png"}))
    media = Path(settings.MEDIA_ROOT)
    assert not list(media.rglob("courses/covers/*"))


def test_a_missing_library_resource_is_a_warning_not_an_error(ready_world, english):
    data = _broken(lambda d: _at(d, 0, 0).update(library=["No such book"]))
    course = course_import(data)
    assert any("No such book" in warning for warning in course.import_warnings)


def test_seed_demo_loads_the_ready_course_with_progress_once(db):
    from courses.models import Enrolment, LessonProgress

    call_command("seed_demo", stdout=io.StringIO())
    course = Course.objects.get(slug="ict-professional-activity")
    assert course.published and course.modules.count() == 6
    enrolments = Enrolment.objects.filter(course=course)
    assert enrolments.filter(completed_at__isnull=False).count() == 2  # one per school
    first_module = course.modules.order_by("position").first()
    finished_module = [
        e
        for e in enrolments.filter(completed_at__isnull=True)
        if LessonProgress.objects.filter(
            enrolment=e, lesson__module=first_module, completed_at__isnull=False
        ).count()
        == first_module.lessons.count()
    ]
    assert len(finished_module) >= 2
    assert enrolments.filter(lessons_done__gt=0, completed_at__isnull=True).count() >= 8
    assert enrolments.filter(last_lesson__isnull=False).count() == enrolments.count()
    first = (Course.objects.count(), enrolments.count(), LessonProgress.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Course.objects.count(), enrolments.count(), LessonProgress.objects.count()) == first
