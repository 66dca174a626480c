"""A methodist's grouping run is a preview first: the planned groups are shown, and only
"Confirm and move teachers" writes memberships; "Cancel" leaves every group as it was."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from diagnostics.grouping.services import grouping_run_confirm, grouping_run_start
from diagnostics.grouping.tasks import group_teachers
from diagnostics.models import GroupingRun, GroupMembership, StudyGroup
from tests.diagnostics import grouping_helpers
from tests.diagnostics.admin_helpers import english_methodist
from tests.diagnostics.grouping_helpers import run_grouping, scored, snapshot
from tests.lms.factories import SchoolFactory, TeacherFactory

grouping_setup = grouping_helpers.grouping_setup


def preview_url(run) -> str:
    return reverse("admin:diagnostics_groupingrun_preview", args=[run.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def planned(grouping_setup, school, django_capture_on_commit_callbacks):
    """A school of 10 Starting and 4 Growing teachers (too few for a group of their own) and a
    school of 3 (too few for any group), previewed with the default smallest group of 5."""
    setup = grouping_setup
    for index in range(10):
        scored(setup, level=setup.low, school=school, percent=10 + index, full_name=f"Low {index}")
    for index in range(4):
        scored(setup, level=setup.mid, school=school, percent=50 + index, full_name=f"Mid {index}")
    small = SchoolFactory(name="Tiny village school")
    setup.round.schools.add(small)
    for index in range(3):
        scored(setup, level=setup.low, school=small, full_name=f"Tiny {index}")
    methodist = english_methodist()
    with django_capture_on_commit_callbacks(execute=True):
        run = grouping_run_start(round=setup.round, started_by=methodist)
    run.refresh_from_db()
    assert run.status == GroupingRun.Status.PLANNED
    return run, methodist


def test_the_preview_shows_the_groups_flags_teachers_of_a_neighbouring_level_and_moves_nobody(
    client, planned, school
):
    run, methodist = planned
    client.force_login(methodist)
    response = client.get(preview_url(run))
    assert response.status_code == 200
    html = response.content.decode()
    [row] = response.context["rows"]
    assert (row["where"], row["level"], row["size"]) == (school.name, "Starting", 14)
    flagged = [m["name"] for m in row["members"] if m["placed_from"]]
    assert flagged == ["Mid 0", "Mid 1", "Mid 2", "Mid 3"]
    assert "Level “Growing” has fewer than 5 teachers here" in html
    assert "Tiny village school: 3 teachers in all, fewer than the smallest group of 5" in html
    assert "Tiny 0, Tiny 1, Tiny 2" in html
    assert "Confirm and move teachers" in html and 'value="cancel"' in html
    assert response.context["totals"]["teachers_merged"] == 4
    assert response.context["totals"]["teachers_left_out"] == 3
    assert not StudyGroup.objects.exists() and not GroupMembership.objects.exists()


def test_preview_then_confirm_writes_the_groups_that_were_shown(
    client, planned, school, django_capture_on_commit_callbacks
):
    run, methodist = planned
    client.force_login(methodist)
    shown = {m["name"] for m in client.get(preview_url(run)).context["rows"][0]["members"]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url(run), {"action": "confirm"}, follow=True)
    assert response.status_code == 200
    assert "Confirmed: the teachers are being moved" in " ".join(messages_of(response))
    run.refresh_from_db()
    assert run.status == GroupingRun.Status.DONE
    group = StudyGroup.objects.get()
    assert group.school == school and group.level.name == "Starting"
    written = set(group.memberships.values_list("teacher__full_name", flat=True))
    assert written == shown
    assert run.summary["teachers_merged"] == 4 and run.summary["teachers_left_out"] == 3


def test_confirming_twice_is_refused_with_a_message(
    client, planned, django_capture_on_commit_callbacks
):
    run, methodist = planned
    client.force_login(methodist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(preview_url(run), {"action": "confirm"})
    rows = set(GroupMembership.objects.values_list("pk", "group_id", "teacher_id"))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(preview_url(run), {"action": "confirm"}, follow=True)
    assert response.status_code == 200
    assert "already been confirmed" in " ".join(messages_of(response))
    assert queued == []  # nothing queued a second time
    assert set(GroupMembership.objects.values_list("pk", "group_id", "teacher_id")) == rows


def test_preview_then_cancel_leaves_every_existing_group_untouched(
    client, grouping_setup, school, django_capture_on_commit_callbacks
):
    setup = grouping_setup
    for index in range(3):
        scored(setup, level=setup.low, school=school, percent=index)
    for index in range(3):
        scored(setup, level=setup.high, school=school, percent=90 + index)
    run_grouping(setup.round, min_size=1)  # groups of 3, asked for earlier
    before = snapshot(setup.round)
    assert len(before) == 2
    methodist = english_methodist()
    with django_capture_on_commit_callbacks(execute=True):
        run = grouping_run_start(round=setup.round, started_by=methodist)
    run.refresh_from_db()
    # The new plan would make one group of 6 and remove one of the two.
    assert run.preview["totals"]["groups_removed"] == 1
    client.force_login(methodist)
    response = client.post(preview_url(run), {"action": "cancel"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:diagnostics_groupingrun_changelist")
    assert "no group and no teacher was changed" in " ".join(messages_of(response))
    run.refresh_from_db()
    assert run.status == GroupingRun.Status.CANCELLED
    assert snapshot(setup.round) == before
    # A cancelled run cannot be confirmed afterwards.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url(run), {"action": "confirm"}, follow=True)
    assert "was cancelled" in " ".join(messages_of(response))
    assert snapshot(setup.round) == before


def test_confirming_after_new_scores_is_refused_and_a_new_preview_can_be_made(
    client, planned, school, grouping_setup, django_capture_on_commit_callbacks
):
    run, methodist = planned
    scored(grouping_setup, level=grouping_setup.mid, school=school, percent=60)
    client.force_login(methodist)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(preview_url(run), {"action": "confirm"}, follow=True)
    assert response.status_code == 200
    assert "This preview is out of date" in " ".join(messages_of(response))
    assert queued == []
    run.refresh_from_db()
    assert run.status == GroupingRun.Status.OUTDATED
    assert not StudyGroup.objects.exists()
    assert "Make a new preview with the same options" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url(run), {"action": "again"}, follow=True)
    again = GroupingRun.objects.exclude(pk=run.pk).get()
    assert again.status == GroupingRun.Status.PLANNED and again.min_size == run.min_size
    assert response.redirect_chain[-1][0] == preview_url(again)
    assert again.preview["totals"]["teachers_placed"] == 15


def test_the_write_refuses_a_plan_that_changed_after_confirmation(
    planned, school, django_capture_on_commit_callbacks
):
    """A teacher deactivated between the confirmation and the write: the scores are the same,
    but the plan is not the one shown, so nobody is moved."""
    run, _methodist = planned
    with django_capture_on_commit_callbacks(execute=False):
        grouping_run_confirm(run=run)  # the write is queued, not run yet
    TeacherFactory._meta.model.objects.filter(full_name="Low 0").update(is_active=False)
    group_teachers(run.pk)
    run.refresh_from_db()
    assert run.status == GroupingRun.Status.OUTDATED
    assert not StudyGroup.objects.exists()


def test_cancelling_while_planning_keeps_the_plan_from_being_shown(client, grouping_setup, school):
    for _ in range(6):
        scored(grouping_setup, level=grouping_setup.low, school=school)
    methodist = english_methodist()
    run = grouping_run_start(round=grouping_setup.round, started_by=methodist)  # not committed
    client.force_login(methodist)
    response = client.get(preview_url(run))
    assert "This page refreshes by itself" in response.content.decode()
    assert 'http-equiv="refresh"' in response.content.decode()
    client.post(preview_url(run), {"action": "cancel"})
    from diagnostics.grouping.tasks import plan_grouping

    plan_grouping(run.pk)  # the queued planning arrives late
    run.refresh_from_db()
    assert run.status == GroupingRun.Status.CANCELLED and run.preview == {}


def test_heads_teachers_and_strangers_cannot_open_or_confirm_a_preview(
    client, planned, head, teacher
):
    run, _methodist = planned
    for user in (head, teacher, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        assert client.get(preview_url(run)).status_code == 302  # to the admin's sign-in
        assert client.post(preview_url(run), {"action": "confirm"}).status_code == 302
    run.refresh_from_db()
    assert run.status == GroupingRun.Status.PLANNED


def test_an_unknown_run_is_404(client, db):
    client.force_login(english_methodist())
    response = client.get(reverse("admin:diagnostics_groupingrun_preview", args=[999999]))
    assert response.status_code == 404


def test_preview_page_query_count_does_not_grow_with_the_groups(
    client, grouping_setup, django_assert_num_queries, django_capture_on_commit_callbacks
):
    setup = grouping_setup
    methodist = english_methodist()

    def preview_of(schools):
        for _ in range(schools):
            school = SchoolFactory()
            setup.round.schools.add(school)
            for _ in range(6):
                scored(setup, level=setup.low, school=school)
        with django_capture_on_commit_callbacks(execute=True):
            run = grouping_run_start(round=setup.round, started_by=methodist)
        return run

    client.force_login(methodist)
    few = preview_of(2)
    # session, user, the user's permissions (two: own and groups'), the run with its round,
    # instrument and author; then the page's teachers' names, schools, levels, areas
    with django_assert_num_queries(9):
        response = client.get(preview_url(few))
    assert len(response.context["rows"]) == 2
    many = preview_of(30)
    with django_assert_num_queries(9):
        response = client.get(preview_url(many))
    assert len(response.context["rows"]) == 32


# --- the form: the smallest group is 5 unless asked otherwise ---------------------------------


def post_run(client, grouping_setup, **fields):
    data = {
        "round": grouping_setup.round.pk,
        "scope": "school",
        "size_limit": 20,
        "min_size": 5,
        "strategy": "level",
        **fields,
    }
    return client.post(reverse("admin:diagnostics_groupingrun_add"), data)


def test_a_group_smaller_than_5_is_made_only_when_asked_for(client, grouping_setup, school):
    scored(grouping_setup, level=grouping_setup.low, school=school)
    client.force_login(english_methodist())
    response = post_run(client, grouping_setup, min_size=1)
    errors = response.context["adminform"].form.errors
    assert "Allow groups smaller than 5" in errors["min_size"][0]
    assert not GroupingRun.objects.exists()
    response = post_run(client, grouping_setup, min_size=1, allow_small_groups="on")
    assert response.status_code == 302
    assert GroupingRun.objects.get().min_size == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"min_size": 0, "allow_small_groups": "on"}, "min_size", "greater than or equal to 1"),
        ({"min_size": 6, "size_limit": 10}, "size_limit", "must be at least 11"),
        ({"min_size": 5, "size_limit": 9, "mentors": "on"}, "size_limit", "must be at least 10"),
        ({"min_size": "five"}, "min_size", "Enter a whole number"),
    ],
)
def test_sizes_that_cannot_work_are_refused_with_a_clear_message(
    client, grouping_setup, school, fields, field, message
):
    scored(grouping_setup, level=grouping_setup.low, school=school)
    client.force_login(english_methodist())
    response = post_run(client, grouping_setup, **fields)
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    assert not GroupingRun.objects.exists()


def test_limits_of_10_with_a_smallest_of_5_and_of_9_without_mentors_are_accepted(
    client, grouping_setup, school
):
    scored(grouping_setup, level=grouping_setup.low, school=school)
    client.force_login(english_methodist())
    assert post_run(client, grouping_setup, size_limit=9).status_code == 302
    assert post_run(client, grouping_setup, size_limit=10, mentors="on").status_code == 302
