"""The portfolio lists the teacher's accepted works with their rubric results (issue: "accepted
works with their rubric results"); returned works and drafts are not there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.assignments.services import draft_save, submission_get_or_start, submission_review
from courses.models import LessonKind
from courses.portfolio.page import portfolio_build
from courses.portfolio.services import share_link_create
from tests.courses.assignments.conftest import handed_in
from tests.courses.assignments.factories import AssignmentFactory, RubricRowFactory


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _assignment(title, kind=LessonKind.PRACTICAL_WORK):
    assignment = AssignmentFactory(lesson__title_en=title, lesson__kind=kind)
    RubricRowFactory(assignment=assignment, criterion="Plan has stages", max_points=3)
    RubricRowFactory(assignment=assignment, criterion="Timing is given", max_points=2)
    return assignment


def _decide(submission, methodist, decision, stages, timing):
    rows = list(submission.assignment.rubric_rows.order_by("position"))
    scores = {str(rows[0].pk): stages, str(rows[1].pk): timing}
    submission_review(
        submission=submission,
        reviewer=methodist,
        decision=decision,
        scores=scores,
        comment="Comment",
    )


@pytest.fixture
def works(teacher, methodist):
    """An accepted work (3 of 3, 1 of 2), a returned one and a draft."""
    accepted = handed_in(_assignment("Lesson plan with a shared document"), teacher)
    _decide(accepted, methodist, "accepted", 3, 1)
    returned = handed_in(_assignment("Survey in an online form"), teacher)
    _decide(returned, methodist, "returned", 1, 0)
    draft = _assignment("Class blog")
    draft_save(submission=submission_get_or_start(assignment=draft, author=teacher), text="x")
    return accepted


def _section(page: str) -> str:
    start = page.index('id="section-works"')
    return page[start : page.index("</section>", start)]


def test_portfolio_shows_accepted_works_with_rubric_results_and_nothing_else(
    client, teacher, works
):
    client.force_login(teacher)
    section = _section(client.get(reverse("portfolio:mine")).content.decode())
    assert "Accepted works" in section
    assert "Lesson plan with a shared document" in section
    assert "Plan has stages — <strong>3 / 3</strong>" in section
    assert "Timing is given — <strong>1 / 2</strong>" in section
    assert works.get_absolute_url() in section  # the teacher opens their work
    assert "Survey in an online form" not in section  # returned
    assert "Class blog" not in section  # a draft


def test_an_empty_portfolio_says_there_is_no_accepted_work(client, teacher):
    client.force_login(teacher)
    section = _section(client.get(reverse("portfolio:mine")).content.decode())
    assert "No accepted work yet." in section


def test_methodist_sees_the_results_a_head_only_which_works(
    client, teacher, methodist, head, works
):
    url = reverse("portfolio:teacher", args=[teacher.pk])
    client.force_login(methodist)
    assert "3 / 3" in _section(client.get(url).content.decode())
    client.force_login(head)
    section = _section(client.get(url).content.decode())
    assert "Lesson plan with a shared document" in section
    assert "3 / 3" not in section and works.get_absolute_url() not in section


def test_shared_link_shows_works_only_when_ticked(client, teacher, works):
    ticked = share_link_create(user=teacher, sections=["works"])
    section = _section(
        client.get(reverse("portfolio:shared", args=[ticked.token])).content.decode()
    )
    assert "3 / 3" in section
    assert works.get_absolute_url() not in section  # a visitor cannot open the work
    unticked = share_link_create(user=teacher, sections=["courses"])
    page = client.get(reverse("portfolio:shared", args=[unticked.token])).content.decode()
    assert 'id="section-works"' not in page


def test_accepted_works_count_towards_the_stage(teacher, methodist, works):
    creative = handed_in(_assignment("A story told with a video", LessonKind.CREATIVE), teacher)
    _decide(creative, methodist, "accepted", 3, 2)
    standing = portfolio_build(teacher=teacher, viewer=teacher).stage.standing
    assert standing.accepted_works == 2 and standing.creative_works == 1


def test_portfolio_reads_the_same_queries_for_one_accepted_work_or_five(
    client, teacher, methodist, works
):
    client.force_login(teacher)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("portfolio:mine"))
    for n in range(4):
        _decide(handed_in(_assignment(f"Work {n}"), teacher), methodist, "accepted", 2, 2)
    with CaptureQueriesContext(connection) as five:
        page = client.get(reverse("portfolio:mine")).content.decode()
    assert _section(page).count("list-group-item") == 5
    # The works section: accepted submissions with lessons and courses, their rubric rows with
    # areas and levels, their accepting reviews.
    assert len(five) == len(one), [query["sql"] for query in five]
