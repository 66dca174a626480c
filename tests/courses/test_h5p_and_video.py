"""Interactive lessons from H5P packages (checked upload, files for those who may open the
lesson, xAPI completion) and lesson videos served with byte ranges."""

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from courses.h5p.package import package_check
from courses.h5p.services import interactive_package_install
from courses.models import CompletionEvent, Evidence, LessonKind
from tests.courses.factories import ConditionFactory, LessonFactory, course_with_lessons
from tests.lms.factories import TeacherFactory


@pytest.fixture(autouse=True)
def in_english():
    # The checks' messages are compared in English (Kazakh is the default language).
    with translation.override("en"):
        yield


LIBRARY = {"machineName": "H5P.Test", "majorVersion": 1, "minorVersion": 0}


def h5p_bytes(extra: dict | None = None, *, drop=(), manifest=None) -> bytes:
    """A tiny valid .h5p: h5p.json, content/content.json and the one library it names."""
    files = {
        "h5p.json": json.dumps(
            manifest
            or {
                "title": "Test content",
                "mainLibrary": "H5P.Test",
                "language": "en",
                "preloadedDependencies": [LIBRARY],
            }
        ),
        "content/content.json": json.dumps({"text": "Hello"}),
        "H5P.Test-1.0/library.json": json.dumps({**LIBRARY, "patchVersion": 0}),
        "H5P.Test-1.0/test.js": "H5P.Test = function () {};",
        "content/images/picture.png": "png",
    }
    files.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            if name not in drop:
                archive.writestr(name, data)
    return buffer.getvalue()


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("content.h5p", data, content_type="application/zip")


def test_a_valid_package_passes_the_check():
    manifest = package_check(upload(h5p_bytes()))
    assert manifest.main_library == "H5P.Test" and manifest.libraries == ["H5P.Test-1.0"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not a zip at all", "not an H5P package"),
        (h5p_bytes(drop={"h5p.json"}), "no h5p.json"),
        (h5p_bytes(drop={"content/content.json"}), "no content/content.json"),
        (h5p_bytes({"h5p.json": "{broken"}), "not valid JSON"),
        (h5p_bytes({"../../evil.js": "x"}), "outside its folder"),
        (h5p_bytes({"/etc/evil.json": "x"}), "outside its folder"),
        (h5p_bytes({"content\\..\\evil.json": "x"}), "outside its folder"),
        (h5p_bytes({"content/run.php": "<?php"}), "type H5P does not allow"),
        (h5p_bytes({"content/page.html": "<script>"}), "type H5P does not allow"),
        (h5p_bytes(drop={"H5P.Test-1.0/library.json"}), "does not include the H5P libraries"),
        (h5p_bytes(manifest={"title": "x"}), "does not name the content type"),
    ],
)
def test_bad_packages_are_refused_with_a_clear_message(data, message):
    with pytest.raises(ValidationError) as refused:
        package_check(upload(data))
    assert message in " ".join(refused.value.messages)


def test_size_limits(monkeypatch):
    monkeypatch.setattr("courses.h5p.package.MAX_PACKAGE_BYTES", 10)
    with pytest.raises(ValidationError, match="larger than"):
        package_check(upload(h5p_bytes()))
    monkeypatch.undo()
    monkeypatch.setattr("courses.h5p.package.MAX_UNPACKED_BYTES", 20)
    with pytest.raises(ValidationError, match="Unpacked"):
        package_check(upload(h5p_bytes()))


@pytest.fixture
def interactive(db):
    course, (intro, lesson) = course_with_lessons(lessons=2)
    lesson.kind = LessonKind.INTERACTIVE
    lesson.completion_rule = Evidence.INTERACTIVE_COMPLETED
    lesson.pass_mark = Decimal(50)
    lesson.save()
    package = interactive_package_install(lesson=lesson, upload=upload(h5p_bytes()))
    return lesson, package


def test_the_lesson_page_plays_the_package(client, teacher, interactive):
    lesson, package = interactive
    assert package.title == "Test content" and package.folder.startswith("courses/h5p/")
    client.force_login(teacher)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "vendor/h5p-standalone/main.bundle.js" in page and 'id="h5p-player"' in page
    manifest = client.get(reverse("courses:h5p-file", args=[lesson.pk, "h5p.json"]))
    assert json.loads(b"".join(manifest.streaming_content))["mainLibrary"] == "H5P.Test"
    script = client.get(reverse("courses:h5p-file", args=[lesson.pk, "H5P.Test-1.0/test.js"]))
    # The player's own files are not sandboxed (the site's policy, which a script ignores).
    assert script.status_code == 200 and "sandbox" not in script["Content-Security-Policy"]
    picture = client.get(
        reverse("courses:h5p-file", args=[lesson.pk, "content/images/picture.png"])
    )
    assert "sandbox" in picture["Content-Security-Policy"]
    missing = reverse("courses:h5p-file", args=[lesson.pk, "content/nothing.json"])
    assert client.get(missing).status_code == 404
    escape = reverse("courses:h5p-file", args=[lesson.pk, "content/../../../settings.py"])
    assert client.get(escape).status_code == 404


def test_package_files_are_served_only_to_those_who_may_open_the_lesson(
    client, interactive, other_school
):
    lesson, _package = interactive
    url = reverse("courses:h5p-file", args=[lesson.pk, "h5p.json"])
    assert "login" in client.get(url).url  # a stranger
    course = lesson.module.course
    course.published = False
    course.save()
    client.force_login(TeacherFactory(school=other_school))
    assert client.get(url).status_code == 404
    # A locked lesson's files are not served either.
    course.published = True
    course.save()
    ConditionFactory(lesson=lesson, required_lesson=LessonFactory(module=lesson.module))
    assert client.get(url).status_code == 404


def test_completed_statement_completes_the_lesson(client, teacher, interactive):
    lesson, _package = interactive
    client.force_login(teacher)
    url = reverse("courses:h5p-result", args=[lesson.pk])
    low = client.post(url, {"verb": "http://adlnet.gov/expapi/verbs/completed", "scaled": "0.3"})
    assert low.json() == {"completed": False, "score": "30.00"}
    assert not CompletionEvent.objects.exists()
    done = client.post(url, {"verb": "http://adlnet.gov/expapi/verbs/answered", "scaled": "0.8"})
    assert done.json()["completed"] is True
    event = CompletionEvent.objects.get(user=teacher, lesson=lesson)
    assert event.evidence == Evidence.INTERACTIVE_COMPLETED and event.score == Decimal("80.00")
    # A repeat no better adds nothing.
    client.post(url, {"verb": "completed", "scaled": "0.6"})
    assert CompletionEvent.objects.count() == 1
    assert "Completed" in client.get(lesson.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "post",
    [{"verb": "experienced", "scaled": "1"}, {"verb": "completed", "scaled": "2"},
     {"verb": "completed", "scaled": "NaN"}, {"verb": "completed", "scaled": "abc"}],
)  # fmt: skip
def test_bad_statements_are_refused(client, teacher, interactive, post):
    lesson, _package = interactive
    client.force_login(teacher)
    response = client.post(reverse("courses:h5p-result", args=[lesson.pk]), post)
    assert response.status_code == 400 and not CompletionEvent.objects.exists()


def test_the_result_view_is_csrf_protected(teacher, interactive):
    from django.test import Client

    lesson, _package = interactive
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    response = client.post(
        reverse("courses:h5p-result", args=[lesson.pk]), {"verb": "completed", "scaled": "1"}
    )
    assert response.status_code == 403 and not CompletionEvent.objects.exists()


def test_result_view_for_strangers_and_other_schools(client, interactive, other_school):
    lesson, _package = interactive
    url = reverse("courses:h5p-result", args=[lesson.pk])
    assert "login" in client.post(url, {"verb": "completed"}).url
    course = lesson.module.course
    course.published = False
    course.save()
    client.force_login(TeacherFactory(school=other_school))
    assert client.post(url, {"verb": "completed", "scaled": "1"}).status_code == 404


def test_admin_shows_the_package_form_on_interactive_lessons_only(
    client, administrator, interactive
):
    lesson, _package = interactive
    client.force_login(administrator)
    page = client.get(reverse("admin:courses_lesson_change", args=[lesson.pk])).content.decode()
    assert "interactive-TOTAL_FORMS" in page and "quiz-TOTAL_FORMS" not in page
    lecture = LessonFactory(module=lesson.module)
    page = client.get(reverse("admin:courses_lesson_change", args=[lecture.pk])).content.decode()
    assert "interactive-TOTAL_FORMS" not in page


# --- video with byte ranges -------------------------------------------------------------------

VIDEO = bytes(range(256)) * 4  # 1,024 bytes


@pytest.fixture
def video_lesson(db):
    _course, (lesson,) = course_with_lessons(lessons=1)
    lesson.video.save("clip.mp4", ContentFile(VIDEO))
    return lesson


def _get(client, lesson, **headers):
    response = client.get(reverse("courses:video", args=[lesson.pk]), headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_whole_video_and_byte_ranges(client, teacher, video_lesson):
    client.force_login(teacher)
    whole, body = _get(client, video_lesson)
    assert whole.status_code == 200 and body == VIDEO and whole["Accept-Ranges"] == "bytes"
    first, body = _get(client, video_lesson, Range="bytes=0-99")
    assert first.status_code == 206 and body == VIDEO[:100]
    assert first["Content-Range"] == "bytes 0-99/1024" and first["Content-Length"] == "100"
    suffix, body = _get(client, video_lesson, Range="bytes=-24")
    assert suffix.status_code == 206 and body == VIDEO[-24:]
    assert suffix["Content-Range"] == "bytes 1000-1023/1024"
    open_ended, body = _get(client, video_lesson, Range="bytes=1000-")
    assert open_ended.status_code == 206 and body == VIDEO[1000:]
    past_end, body = _get(client, video_lesson, Range="bytes=1000-5000")
    assert past_end["Content-Range"] == "bytes 1000-1023/1024" and body == VIDEO[1000:]


@pytest.mark.parametrize("header", ["bytes=2000-", "bytes=50-10", "bytes=abc", "bytes=-0"])
def test_bad_ranges_are_416(client, teacher, video_lesson, header):
    client.force_login(teacher)
    response, _body = _get(client, video_lesson, Range=header)
    assert response.status_code == 416 and response["Content-Range"] == "bytes */1024"


def test_if_range_that_no_longer_matches_sends_the_whole_file(client, teacher, video_lesson):
    client.force_login(teacher)
    first, _body = _get(client, video_lesson, Range="bytes=0-9")
    same, body = _get(client, video_lesson, Range="bytes=0-9", **{"If-Range": first["ETag"]})
    assert same.status_code == 206 and body == VIDEO[:10]
    stale, body = _get(client, video_lesson, Range="bytes=0-9", **{"If-Range": '"old"'})
    assert stale.status_code == 200 and body == VIDEO


def test_video_access(client, video_lesson, other_school, teacher):
    url = reverse("courses:video", args=[video_lesson.pk])
    assert "login" in client.get(url, headers={"Range": "bytes=0-9"}).url
    course = video_lesson.module.course
    course.published = False
    course.save()
    client.force_login(TeacherFactory(school=other_school))
    assert client.get(url, headers={"Range": "bytes=0-9"}).status_code == 404
    course.published = True
    course.save()
    ConditionFactory(lesson=video_lesson, required_lesson=LessonFactory(module=video_lesson.module))
    client.force_login(teacher)
    assert client.get(url, headers={"Range": "bytes=0-9"}).status_code == 403
