"""The one role rule for reading across schools, and the access helpers that apply it."""

import pytest
from django.http import Http404

from diagnostics.access import response_for_reader, round_for_groups, school_for_report
from tests.diagnostics.factories import ResponseFactory, RoundFactory


@pytest.mark.parametrize(
    ("person", "reads"),
    [("teacher", False), ("head", False), ("methodist", True), ("administrator", True)],
)
def test_only_methodists_and_administrators_read_every_school(person, reads, request):
    assert request.getfixturevalue(person).reads_every_school is reads


def test_a_superuser_of_any_role_reads_every_school(teacher):
    teacher.is_superuser = True
    assert teacher.reads_every_school


def test_a_head_gets_their_own_school_and_404_for_another(head, school, other_school, methodist):
    assert school_for_report(head, school.pk) == school
    with pytest.raises(Http404):
        school_for_report(head, other_school.pk)
    assert school_for_report(methodist, other_school.pk) == other_school


def test_a_result_is_read_by_its_teacher_and_by_methodists_only(teacher, head, methodist, school):
    response = ResponseFactory(teacher=teacher)
    assert response_for_reader(teacher, response.pk) == response
    assert response_for_reader(methodist, response.pk) == response
    with pytest.raises(Http404):
        response_for_reader(head, response.pk)


def test_a_round_of_another_school_is_404_for_a_head(head, other_school, methodist):
    round_ = RoundFactory(schools=[other_school])
    with pytest.raises(Http404):
        round_for_groups(head, round_.pk)
    assert round_for_groups(methodist, round_.pk) == round_
