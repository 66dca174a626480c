"""Peer feedback: two peers per work inside a study group, spread evenly, never oneself."""

from collections import Counter

import pytest
from django.urls import reverse

from courses.assignments import services
from courses.assignments.models import PeerReview, Submission
from courses.assignments.peers import round_robin
from courses.services import enrolment_create
from lms.notifications.models import Notification
from tests.courses.assignments.conftest import handed_in
from tests.diagnostics.factories import RoundFactory
from tests.lms.factories import TeacherFactory


@pytest.mark.parametrize("size", range(3, 31))
def test_round_robin_is_even_and_never_self(size):
    # Ids not in order and not contiguous, as real rows are.
    works = [(1000 - 7 * i, 500 + 3 * i) for i in range(size)]
    pairs = round_robin(works)
    author_of = dict(works)
    assert all(author_of[work] != peer for work, peer in pairs)
    assert len(set(pairs)) == len(pairs)
    assert set(Counter(work for work, _peer in pairs).values()) == {2}
    assert set(Counter(peer for _work, peer in pairs).values()) == {2}
    assert round_robin(list(reversed(works))) == pairs  # deterministic


def test_small_groups():
    assert round_robin([(1, 10)]) == []
    assert sorted(round_robin([(1, 10), (2, 20)])) == [(1, 20), (2, 10)]


def _group_with(teachers, school):
    from diagnostics.models import GroupMembership, StudyGroup

    round_ = RoundFactory()
    level = round_.instrument.framework.levels.create(code="l1", position=1, name="Basic")
    group = StudyGroup.objects.create(
        round=round_, school=school, level=level, name="G", bucket="b"
    )
    for person in teachers:
        GroupMembership.objects.create(round=round_, group=group, teacher=person)
    return group


def test_turning_peer_feedback_on_allocates_inside_each_group(
    client, assignment, school, methodist
):
    group_a = [TeacherFactory(school=school) for _ in range(4)]
    group_b = [TeacherFactory(school=school) for _ in range(3)]
    _group_with(group_a, school)
    _group_with(group_b, school)
    for person in group_a + group_b:
        enrolment_create(user=person, course=assignment.lesson.module.course)
        handed_in(assignment, person, text=f"work of {person.pk}")
    services.peer_feedback_set(assignment=assignment, enabled=True)
    rows = list(PeerReview.objects.select_related("submission"))
    assert len(rows) == 2 * 7
    for row in rows:
        assert row.reviewer_id != row.submission.author_id
        same_group = group_a if row.submission.author in group_a else group_b
        assert row.reviewer in same_group
    assert set(Counter(row.reviewer_id for row in rows).values()) == {2}
    assert Notification.objects.filter(kind="courses.peer_work_given").count() == 7
    # Allocating again changes nothing.
    assert services.peer_reviews_allocate(assignment=assignment) == 0

    # A peer writes feedback on the rubric; the methodist reads it on the review page.
    peer_row = rows[0]
    client.force_login(peer_row.reviewer)
    data = {f"row_{r.pk}": 1 for r in assignment.rubric_rows.all()}
    data["comment"] = "Nice stages, add timing"
    url = reverse("assignments:submission", args=[peer_row.submission_id])
    assert client.post(url, data).status_code == 302
    client.force_login(methodist)
    page = client.get(url).content.decode()
    assert "Nice stages, add timing" in page and str(peer_row.reviewer) in page


def test_peer_feedback_needs_a_comment_and_valid_points(client, assignment, school):
    teachers = [TeacherFactory(school=school) for _ in range(3)]
    _group_with(teachers, school)
    assignment.peer_feedback = True
    assignment.save()
    for person in teachers:
        handed_in(assignment, person)
    peer_row = PeerReview.objects.first()
    client.force_login(peer_row.reviewer)
    url = reverse("assignments:submission", args=[peer_row.submission_id])
    data = {f"row_{r.pk}": 9 for r in assignment.rubric_rows.all()}
    assert client.post(url, {**data, "comment": "x"}).status_code == 400
    data = {f"row_{r.pk}": 1 for r in assignment.rubric_rows.all()}
    assert client.post(url, {**data, "comment": ""}).status_code == 400
    peer_row.refresh_from_db()
    assert not peer_row.is_written
    assert Submission.objects.filter(status="submitted").count() == 3


def test_works_handed_in_one_by_one_end_evenly_spread(assignment, school):
    teachers = [TeacherFactory(school=school) for _ in range(7)]
    _group_with(teachers, school)
    services.peer_feedback_set(assignment=assignment, enabled=True)
    for person in teachers:
        handed_in(assignment, person)
    rows = list(PeerReview.objects.select_related("submission"))
    assert len(rows) == 14
    assert set(Counter(row.reviewer_id for row in rows).values()) == {2}
    assert all(row.reviewer_id != row.submission.author_id for row in rows)
