"""Completed courses as evidence beside the diagnosed levels: diagnostics asks every app for
panels (it never imports courses), and the courses app answers on the result page and the
school report."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment
from courses.services import lesson_mark_done
from diagnostics.models import Response
from diagnostics.panels import result_panels, school_report_panels
from tests.courses.factories import course_with_lessons, scored_diagnosis
from tests.diagnostics.factories import InstrumentFactory, RoundFactory
from tests.lms.factories import TeacherFactory


def _complete(teacher, course, lessons):
    for lesson in lessons:
        lesson_mark_done(user=teacher, lesson=lesson)
    assert Enrolment.objects.get(user=teacher, course=course).is_completed


@pytest.fixture
def round_(school, other_school, areas, levels):
    instrument = InstrumentFactory(framework=areas[0].framework)
    return RoundFactory(instrument=instrument, schools=[school, other_school])


@pytest.fixture
def course_x(areas):
    """A course developing the first area ("Documents")."""
    course, lessons = course_with_lessons(lessons=2, title_en="Documents for beginners")
    course.areas.set([areas[0]])
    return course, lessons


def _row_of(page: str, area_name: str) -> str:
    return next(row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if area_name in row)


def test_teacher_sees_a_completed_course_next_to_its_area(
    client, teacher, areas, levels, round_, course_x
):
    course, lessons = course_x
    _complete(teacher, course, lessons)
    unfinished, _lessons = course_with_lessons(lessons=2, title_en="Unfinished course")
    unfinished.areas.set([areas[1]])
    lesson_mark_done(user=teacher, lesson=_lessons[0])
    response = scored_diagnosis(
        teacher, level=levels[0], area_levels={areas[0]: levels[0], areas[1]: levels[1]},
        round=round_,
    )  # fmt: skip
    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now())
    client.force_login(teacher)
    page = client.get(reverse("diagnostics:result", args=[response.pk])).content.decode()
    assert "Courses completed per area" in page
    panel = page.split("Courses completed per area", 1)[1]
    assert "Documents for beginners" in _row_of(panel, areas[0].name)
    assert "Documents for beginners" not in _row_of(panel, areas[1].name)
    assert "Unfinished course" not in page


def test_head_sees_the_schools_completions_per_area_and_not_another_schools(
    client, head, school, other_school, areas, levels, round_, course_x
):
    course, lessons = course_x
    mine = [TeacherFactory(school=school) for _ in range(2)]
    theirs = TeacherFactory(school=other_school)
    for teacher in [*mine, theirs]:
        scored_diagnosis(teacher, level=levels[0], area_levels={areas[0]: levels[0]}, round=round_)
        _complete(teacher, course, lessons)
    head.preferred_language = "en"
    head.save(update_fields=["preferred_language"])
    client.force_login(head)
    reply = client.get(reverse("diagnostics:school-report", args=[school.pk]))
    assert reply.status_code == 200
    (panel,) = [p for p in reply.context["panels"] if p.template_name.startswith("courses/")]
    assert panel.context["per_area"][areas[0].pk] == {"completions": 2, "teachers": 2}
    assert areas[1].pk not in panel.context["per_area"]
    page = reply.content.decode()
    assert "Courses completed per area" in page
    assert re.search(rf"{areas[0].name}</td><td>2</td><td>2</td>", page)


def test_the_hooks_come_from_app_configs(rf, teacher, school, areas, levels, round_, course_x):
    response = scored_diagnosis(
        teacher, level=levels[0], area_levels={areas[0]: levels[0]}, round=round_
    )
    request = rf.get("/")
    request.user = teacher
    assert [p.template_name for p in result_panels(request, response)] == [
        "courses/_panel_result.html"
    ]
    assert [p.template_name for p in school_report_panels(request, school)] == [
        "courses/_panel_school.html"
    ]
