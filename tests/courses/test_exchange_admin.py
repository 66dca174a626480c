"""The course exchange in the admin: export action, import page, errors shown and never a 500."""

import copy
import io
import json
import zipfile

from django.urls import reverse

from courses.models import Course
from tests.courses.factories import READY

IMPORT_URL = reverse("admin:courses_course_import")


def _upload(data: dict, name="course.json"):
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = name
    return upload


def test_methodist_imports_a_course_then_exports_it(client, methodist, ready_world):
    client.force_login(methodist)
    assert client.get(IMPORT_URL).status_code == 200
    response = client.post(IMPORT_URL, {"file": _upload(copy.deepcopy(READY))})
    course = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:courses_course_change", args=[course.pk])
    assert not course.published and course.created_by == methodist

    changelist = reverse("admin:courses_course_changelist")
    assert IMPORT_URL in client.get(changelist).content.decode()
    response = client.post(changelist, {"action": "export_zip", "_selected_action": [course.pk]})
    assert response.status_code == 200
    assert "ict-professional-activity.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("course.json"))
    assert data["course"]["slug"] == "ict-professional-activity"
    assert len(data["modules"]) == 6


def test_a_bad_file_shows_the_problems_and_imports_nothing(client, methodist, ready_world):
    client.force_login(methodist)
    data = copy.deepcopy(READY)
    data["modules"][1]["lessons"][2]["variants"][0]["level"] = "guru"
    response = client.post(IMPORT_URL, {"file": _upload(data)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "unknown level code" in response.content.decode()
    for junk in (b"\x00\x01binary", b"PK\x03\x04not a zip", b"[]"):
        upload = io.BytesIO(junk)
        upload.name = "x.zip"
        assert client.post(IMPORT_URL, {"file": upload}).status_code == 400
    assert not Course.objects.exists()


def test_teachers_and_heads_cannot_import(client, teacher, head):
    for user in (teacher, head):
        client.force_login(user)
        response = client.post(IMPORT_URL, {"file": _upload(READY)})
        assert response.status_code in (302, 403)
    assert not Course.objects.exists()
