"""The grouping services the admin and the pages call: start a run, lock groups, move a teacher;
and the grouping and item-statistics tasks keep the names queued messages and beat use."""

import pytest
from django.core.exceptions import ValidationError

from diagnostics.grouping.services import (
    group_membership_move,
    grouping_run_confirm,
    grouping_run_start,
    move_targets,
    study_groups_lock,
)
from diagnostics.models import GroupingRun, GroupMembership, StudyGroup
from tests.diagnostics import grouping_helpers
from tests.diagnostics.factories import RoundFactory
from tests.diagnostics.grouping_helpers import run_grouping, scored
from tests.lms.factories import MethodistFactory, SchoolFactory

grouping_setup = grouping_helpers.grouping_setup


def thirty_teachers(setup, school):
    for index in range(30):
        scored(setup, level=setup.low, percent=index, school=school)


def test_starting_a_run_plans_it_once_committed_and_moves_nobody(
    grouping_setup, school, django_capture_on_commit_callbacks
):
    thirty_teachers(grouping_setup, school)
    methodist = MethodistFactory()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        run = grouping_run_start(
            round=grouping_setup.round, started_by=methodist, size_limit=10, mentors=False
        )
        assert run.status == GroupingRun.Status.PLANNING  # planned once the record commits
    assert len(queued) == 1
    run.refresh_from_db()
    assert (run.started_by, run.size_limit, run.min_size, run.automatic) == (
        methodist,
        10,
        5,
        False,
    )
    assert run.status == GroupingRun.Status.PLANNED
    assert [len(g["members"]) for g in run.preview["groups"]] == [10, 10, 10]
    assert not StudyGroup.objects.exists()  # nobody is moved before the methodist confirms
    with django_capture_on_commit_callbacks(execute=True):
        grouping_run_confirm(run=run)
    run.refresh_from_db()
    assert run.status == GroupingRun.Status.DONE
    assert StudyGroup.objects.filter(round=grouping_setup.round).count() == 3


def test_locking_changes_only_the_chosen_groups_and_unlocking_undoes_it(grouping_setup, school):
    thirty_teachers(grouping_setup, school)
    run_grouping(grouping_setup.round)
    first, second = StudyGroup.objects.order_by("number")
    assert study_groups_lock(groups=StudyGroup.objects.filter(pk=first.pk), locked=True) == 1
    assert set(StudyGroup.objects.values_list("number", "locked")) == {(1, True), (2, False)}
    assert study_groups_lock(groups=StudyGroup.objects.all(), locked=False) == 2
    assert not StudyGroup.objects.filter(locked=True).exists()


def test_moving_a_teacher_marks_them_placed_by_hand_and_says_when_over_the_limit(
    grouping_setup, school
):
    thirty_teachers(grouping_setup, school)
    run_grouping(grouping_setup.round, size_limit=15)
    first, second = StudyGroup.objects.order_by("number")
    membership = first.memberships.first()
    move = group_membership_move(membership=membership, group=second, is_mentor=False)
    membership.refresh_from_db()
    assert membership.group == second and membership.placed_by_hand
    assert (move.size, move.limit, move.over_limit) == (16, 15, True)


def test_changing_only_the_mentor_flag_is_not_a_move(grouping_setup, school):
    thirty_teachers(grouping_setup, school)
    run_grouping(grouping_setup.round)
    membership = GroupMembership.objects.order_by("pk").first()
    move = group_membership_move(membership=membership, group=membership.group, is_mentor=True)
    membership.refresh_from_db()
    assert membership.is_mentor and not membership.placed_by_hand
    assert not move.over_limit


def test_a_teacher_cannot_be_moved_to_another_rounds_group(grouping_setup, school):
    thirty_teachers(grouping_setup, school)
    run_grouping(grouping_setup.round)
    membership = GroupMembership.objects.order_by("pk").first()
    other_round = RoundFactory(instrument=grouping_setup.round.instrument, schools=[school])
    foreign = StudyGroup.objects.create(
        round=other_round, school=school, level=grouping_setup.low, number=1, bucket="x", name="x"
    )
    with pytest.raises(ValidationError):
        group_membership_move(membership=membership, group=foreign, is_mentor=False)
    assert GroupMembership.objects.get(pk=membership.pk).group_id == membership.group_id


def test_move_targets_are_the_rounds_groups_of_the_teachers_school(grouping_setup, school):
    thirty_teachers(grouping_setup, school)
    other_school = SchoolFactory(region=school.region, district=school.district)
    scored(grouping_setup, level=grouping_setup.low, school=other_school)
    run_grouping(grouping_setup.round)
    membership = GroupMembership.objects.filter(teacher__school=school).first()
    targets = set(move_targets(membership=membership))
    assert targets == set(StudyGroup.objects.filter(school=school))


@pytest.mark.parametrize(
    ("module", "task"),
    [
        ("diagnostics.grouping.tasks", "group_teachers"),
        ("diagnostics.grouping.tasks", "plan_grouping"),
        ("diagnostics.grouping.tasks", "regroup_round"),
        ("diagnostics.item_stats.tasks", "compute_round_statistics"),
    ],
)
def test_moved_tasks_keep_their_names(module, task):
    from importlib import import_module

    from lms.celery import app

    name = f"diagnostics.tasks.{task}"
    assert getattr(import_module(module), task).name == name
    assert name in app.tasks
