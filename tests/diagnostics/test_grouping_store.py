"""Grouping runs against the database: what the methodist sees after running, re-running,
locking and moving teachers."""

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction

from diagnostics.grouping.store import scored_teachers
from diagnostics.grouping.tasks import (
    REGROUP_QUEUED_KEY,
    group_teachers,
    regroup_rounds_scored_since,
)
from diagnostics.models import GroupingRun, GroupMembership, Response, StudyGroup
from tests.diagnostics import grouping_helpers
from tests.diagnostics.grouping_helpers import run_grouping, scored, sizes, snapshot
from tests.lms.factories import MethodistFactory, SchoolFactory, TeacherFactory

grouping_setup = grouping_helpers.grouping_setup


def test_23_teachers_of_one_level_make_groups_of_12_and_11(grouping_setup, school):
    for index in range(23):
        scored(grouping_setup, level=grouping_setup.low, percent=index, school=school)
    run = run_grouping(grouping_setup.round)
    assert run.status == GroupingRun.Status.DONE
    assert sizes(grouping_setup.round) == [12, 11]
    names = sorted(StudyGroup.objects.values_list("name", flat=True))
    assert len(names) == 2 and names[0] != names[1]


@pytest.mark.parametrize(("count", "limit", "expected"), [(20, 20, [20]), (21, 20, [11, 10])])
def test_size_limit_boundaries(grouping_setup, school, count, limit, expected):
    for index in range(count):
        scored(grouping_setup, level=grouping_setup.low, percent=index, school=school)
    run_grouping(grouping_setup.round, size_limit=limit)
    assert sizes(grouping_setup.round) == expected


def test_every_scored_teacher_is_placed_once_and_only_teachers_are(grouping_setup, school):
    placed = [scored(grouping_setup, level=grouping_setup.low, school=school) for _ in range(3)]
    placed += [scored(grouping_setup, level=grouping_setup.high, school=school) for _ in range(2)]
    gone = TeacherFactory(school=school, is_active=False)
    scored(grouping_setup, level=grouping_setup.low, teacher=gone)
    draft = scored(grouping_setup, level=grouping_setup.low, school=school)
    Response.objects.filter(pk=draft.pk).update(status=Response.Status.DRAFT)
    run = run_grouping(grouping_setup.round, min_size=1)
    members = set(GroupMembership.objects.values_list("teacher_id", flat=True))
    assert members == {response.teacher_id for response in placed}
    assert run.summary["teachers_placed"] == 5
    assert run.summary["groups_made"] == 2
    levels = {g.level_id: g for g in StudyGroup.objects.all()}
    assert set(levels) == {grouping_setup.low.pk, grouping_setup.high.pk}


def test_each_school_is_grouped_on_its_own_by_default(grouping_setup, school):
    other = SchoolFactory()
    grouping_setup.round.schools.add(other)
    for where in (school, other):
        for _ in range(3):
            scored(grouping_setup, level=grouping_setup.low, school=where)
    run_grouping(grouping_setup.round, min_size=1)
    assert set(StudyGroup.objects.values_list("school_id", flat=True)) == {school.pk, other.pk}
    assert sizes(grouping_setup.round) == [3, 3]


def test_district_scope_pools_the_schools_of_a_district(grouping_setup, school):
    neighbour = SchoolFactory(district=school.district, region=school.region)
    far = SchoolFactory(district="Talgar district", region=school.region)
    for where in (school, neighbour, far):
        for _ in range(2):
            scored(grouping_setup, level=grouping_setup.low, school=where)
    run_grouping(grouping_setup.round, scope=GroupingRun.Scope.DISTRICT, min_size=1)
    groups = {g.district: g for g in StudyGroup.objects.all()}
    assert set(groups) == {school.district, "Talgar district"}
    pooled = groups[school.district]
    assert pooled.school_id is None
    assert {m.teacher.school_id for m in pooled.memberships.select_related("teacher")} == {
        school.pk,
        neighbour.pk,
    }


def test_weakest_area_is_computed_in_sql_with_ties_to_the_first_area(grouping_setup, school):
    setup = grouping_setup
    clear = scored(
        setup, level=setup.low, school=school, areas={setup.docs: 60, setup.net: 20, setup.data: 90}
    )
    tie = scored(
        setup, level=setup.low, school=school, areas={setup.docs: 30, setup.net: 30, setup.data: 30}
    )
    weakest = {
        t.teacher_id: t.weakest_area_id
        for t in scored_teachers(setup.round.pk, with_weakest_area=True)
    }
    assert weakest == {clear.teacher_id: setup.net.pk, tie.teacher_id: setup.docs.pk}


def test_weakest_area_strategy_puts_teachers_with_the_same_gap_together(grouping_setup, school):
    setup = grouping_setup
    for _ in range(3):
        scored(setup, level=setup.low, school=school, areas={setup.docs: 10, setup.net: 50})
    for _ in range(2):
        scored(setup, level=setup.low, school=school, areas={setup.docs: 50, setup.net: 10})
    run_grouping(setup.round, strategy=GroupingRun.Strategy.WEAKEST_AREA, min_size=1)
    by_area = {
        g.weakest_area_id: g.memberships.count()
        for g in StudyGroup.objects.filter(round=setup.round)
    }
    assert by_area == {setup.docs.pk: 3, setup.net.pk: 2}
    group = StudyGroup.objects.get(weakest_area=setup.docs)
    assert "Documents" in group.display_name


def test_language_of_instruction_kept_together(grouping_setup, school):
    setup = grouping_setup
    for _ in range(2):
        scored(setup, level=setup.low, school=school, language="ru")
    # No language on the response: the teacher's preferred language counts.
    scored(setup, level=setup.low, school=school, language="", preferred_language="ru")
    scored(setup, level=setup.low, school=school, language="kk")
    run_grouping(setup.round, keep_language_together=True, min_size=1)
    by_language = {g.language: g.memberships.count() for g in StudyGroup.objects.all()}
    assert by_language == {"ru": 3, "kk": 1}


def test_mentor_mode_places_a_top_teacher_in_each_lower_group(grouping_setup, school):
    setup = grouping_setup
    for index in range(6):
        scored(setup, level=setup.low, percent=10 + index, school=school)
    for index in range(4):
        scored(setup, level=setup.mid, percent=50 + index, school=school)
    best = scored(setup, level=setup.high, percent=99, school=school)
    second = scored(setup, level=setup.high, percent=95, school=school)
    for index in range(2):
        scored(setup, level=setup.high, percent=85 + index, school=school)
    run = run_grouping(setup.round, mentors=True, size_limit=10, min_size=1)
    mentors = {
        m.group.level_id: m.teacher_id
        for m in GroupMembership.objects.filter(is_mentor=True).select_related("group")
    }
    assert mentors == {setup.low.pk: best.teacher_id, setup.mid.pk: second.teacher_id}
    top = StudyGroup.objects.get(level=setup.high)
    assert top.memberships.count() == 2  # two stay together, as the rule promises
    assert run.summary["mentors"] == 2


def test_a_run_records_who_ran_it_when_and_what_it_made(grouping_setup, school):
    scored(grouping_setup, level=grouping_setup.low, school=school)
    methodist = MethodistFactory()
    run = run_grouping(grouping_setup.round, started_by=methodist, min_size=1)
    assert run.started_by == methodist
    assert run.finished_at >= run.started_at
    assert run.summary["teachers_placed"] == 1
    assert StudyGroup.objects.get().run == run


def test_running_twice_gives_the_same_groups(grouping_setup, school):
    for index in range(45):
        scored(
            grouping_setup,
            level=(grouping_setup.low, grouping_setup.mid)[index % 2],
            percent=index % 9,
            school=school,
        )
    run_grouping(grouping_setup.round, mentors=True)
    first = snapshot(grouping_setup.round)
    run_grouping(grouping_setup.round, mentors=True)
    assert snapshot(grouping_setup.round) == first
    assert GroupMembership.objects.count() == 45


def test_a_retried_task_of_a_finished_run_changes_nothing(grouping_setup, school):
    for _ in range(5):
        scored(grouping_setup, level=grouping_setup.low, school=school)
    run = run_grouping(grouping_setup.round)
    ids = set(StudyGroup.objects.values_list("pk", flat=True))
    group_teachers(run.pk)
    assert set(StudyGroup.objects.values_list("pk", flat=True)) == ids
    assert GroupingRun.objects.get(pk=run.pk).summary == run.summary


def test_a_run_that_crashes_leaves_the_old_groups_and_says_why(grouping_setup, school, monkeypatch):
    for _ in range(3):
        scored(grouping_setup, level=grouping_setup.low, school=school)
    run_grouping(grouping_setup.round, min_size=1)
    before = snapshot(grouping_setup.round)

    def broken(*args, **kwargs):
        raise ValueError("disk on fire")

    monkeypatch.setattr("diagnostics.grouping.store._write", broken)
    run = GroupingRun.objects.create(round=grouping_setup.round, size_limit=2, min_size=1)
    with pytest.raises(ValueError, match="disk on fire"):
        group_teachers(run.pk)
    run.refresh_from_db()
    assert run.status == GroupingRun.Status.FAILED
    assert "disk on fire" in run.summary["error"]
    assert snapshot(grouping_setup.round) == before


def test_new_scores_then_a_rerun_replace_the_unlocked_groups(grouping_setup, school):
    first = [scored(grouping_setup, level=grouping_setup.low, school=school) for _ in range(4)]
    run_grouping(grouping_setup.round, min_size=1)
    [old] = StudyGroup.objects.all()
    for _ in range(20):
        scored(grouping_setup, level=grouping_setup.low, school=school)
    run = run_grouping(grouping_setup.round, min_size=1)
    assert sizes(grouping_setup.round) == [12, 12]
    # Group 1 of the bucket is still group 1: its page keeps its address, now re-planned.
    again = StudyGroup.objects.get(number=1)
    assert again.pk == old.pk and again.run == run
    assert set(GroupMembership.objects.values_list("teacher_id", flat=True)) >= {
        r.teacher_id for r in first
    }


def test_an_identical_rerun_rewrites_no_membership(grouping_setup, school):
    for index in range(25):
        scored(grouping_setup, level=grouping_setup.low, school=school, percent=index)
    run_grouping(grouping_setup.round)
    rows = set(GroupMembership.objects.values_list("pk", "group_id", "teacher_id"))
    run = run_grouping(grouping_setup.round)
    assert set(GroupMembership.objects.values_list("pk", "group_id", "teacher_id")) == rows
    assert run.summary["teachers_moved"] == 0


def test_a_rerun_drops_teachers_no_longer_scored_and_empty_groups(grouping_setup, school):
    responses = [
        scored(grouping_setup, level=level, school=school)
        for level in (grouping_setup.low, grouping_setup.high)
    ]
    run_grouping(grouping_setup.round, min_size=1)
    Response.objects.filter(pk=responses[1].pk).update(status=Response.Status.SUBMITTED)
    run_grouping(grouping_setup.round, min_size=1)
    assert list(GroupMembership.objects.values_list("teacher_id", flat=True)) == [
        responses[0].teacher_id
    ]
    assert list(StudyGroup.objects.values_list("level", flat=True)) == [grouping_setup.low.pk]


def test_locked_groups_survive_a_rerun_exactly(grouping_setup, school):
    setup = grouping_setup
    for index in range(30):
        scored(setup, level=setup.low, percent=index, school=school)
    run_grouping(setup.round)
    locked = StudyGroup.objects.order_by("number").first()
    locked_members = set(locked.memberships.values_list("teacher_id", flat=True))
    StudyGroup.objects.filter(pk=locked.pk).update(locked=True)
    for _ in range(6):
        scored(setup, level=setup.low, percent=0, school=school)
    run = run_grouping(setup.round)
    locked.refresh_from_db()
    assert locked.locked and locked.number == 1
    assert set(locked.memberships.values_list("teacher_id", flat=True)) == locked_members
    others = StudyGroup.objects.exclude(pk=locked.pk)
    assert sorted(g.memberships.count() for g in others) == [10, 11]  # 15 + 6 re-planned
    assert 1 not in {g.number for g in others}
    assert run.summary["locked_groups_kept"] == 1


def test_a_teacher_moved_by_hand_stays_after_a_rerun(grouping_setup, school):
    setup = grouping_setup
    for index in range(30):
        scored(setup, level=setup.low, percent=index, school=school)
    run_grouping(setup.round)
    first, second = StudyGroup.objects.order_by("number")
    moved = first.memberships.first()
    GroupMembership.objects.filter(pk=moved.pk).update(group=second, placed_by_hand=True)
    run = run_grouping(setup.round)
    kept = GroupMembership.objects.get(teacher_id=moved.teacher_id)
    assert kept.group_id == second.pk and kept.placed_by_hand
    assert GroupMembership.objects.count() == 30
    assert sizes(setup.round) == [15, 15]
    assert run.summary["teachers_placed"] == 29  # everyone but the one placed by hand
    assert run.summary["teachers_kept"] == 1
    assert (run.summary["largest_group"], run.summary["smallest_group"]) == (15, 15)


def test_a_teacher_is_in_one_group_per_round(grouping_setup, school):
    response = scored(grouping_setup, level=grouping_setup.low, school=school)
    run_grouping(grouping_setup.round, min_size=1)
    group = StudyGroup.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(
            round=grouping_setup.round, group=group, teacher_id=response.teacher_id
        )


def test_regroup_is_queued_once_for_a_burst_of_scores(grouping_setup, school, monkeypatch):
    setup = grouping_setup
    setup.round.regroup_automatically = True
    setup.round.save(update_fields=["regroup_automatically"])
    queued = []
    monkeypatch.setattr("diagnostics.grouping.tasks.regroup_round.delay", queued.append)
    cache.delete(REGROUP_QUEUED_KEY.format(round_id=setup.round.pk))
    from django.utils import timezone

    since = timezone.now()
    scored(setup, level=setup.low, school=school)
    assert regroup_rounds_scored_since(since) == [setup.round.pk]
    scored(setup, level=setup.low, school=school)
    assert regroup_rounds_scored_since(since) == []  # one is on its way already
    assert queued == [setup.round.pk]


def test_rounds_that_do_not_regroup_automatically_are_left_alone(grouping_setup, school):
    from django.utils import timezone

    since = timezone.now()
    scored(grouping_setup, level=grouping_setup.low, school=school)
    assert regroup_rounds_scored_since(since) == []


def test_submitting_a_diagnosis_regroups_the_round_when_asked(
    open_round, school, django_capture_on_commit_callbacks
):
    """End to end: answers -> scoring task -> regroup task -> a group with the teacher."""
    from tests.diagnostics.helpers import ALL_RIGHT, answered_response

    open_round.regroup_automatically = True
    open_round.save(update_fields=["regroup_automatically"])
    cache.delete(REGROUP_QUEUED_KEY.format(round_id=open_round.pk))
    # Five: a round never grouped before regroups with the default options, whose smallest
    # group is 5.
    teachers = TeacherFactory.create_batch(5, school=school)
    for teacher in teachers:
        answered_response(open_round, teacher, ALL_RIGHT)
    from diagnostics.scoring.tasks import score_waiting_responses

    with django_capture_on_commit_callbacks(execute=True):
        score_waiting_responses()
    run = GroupingRun.objects.get(round=open_round)
    assert run.automatic and run.status == GroupingRun.Status.DONE
    group = StudyGroup.objects.get(round=open_round)
    assert set(group.memberships.values_list("teacher_id", flat=True)) == {t.pk for t in teachers}
    assert group.level.code == "high"
    assert group.memberships.filter(response__status=Response.Status.SCORED).count() == 5


def test_rescoring_a_round_regroups_it_when_asked(
    open_round, school, django_capture_on_commit_callbacks
):
    from diagnostics.scoring.tasks import rescore_round, score_waiting_responses
    from tests.diagnostics.helpers import ALL_RIGHT, answered_response

    teachers = TeacherFactory.create_batch(5, school=school)  # the default smallest group
    for teacher in teachers:
        answered_response(open_round, teacher, ALL_RIGHT)
    score_waiting_responses()
    open_round.regroup_automatically = True
    open_round.save(update_fields=["regroup_automatically"])
    cache.delete(REGROUP_QUEUED_KEY.format(round_id=open_round.pk))
    assert not GroupingRun.objects.filter(round=open_round).exists()
    with django_capture_on_commit_callbacks(execute=True):
        rescore_round(open_round.pk)  # the methodist fixed a key
    run = GroupingRun.objects.get(round=open_round)
    assert run.automatic and run.status == GroupingRun.Status.DONE
    group = StudyGroup.objects.get(round=open_round)
    assert set(group.memberships.values_list("teacher_id", flat=True)) == {t.pk for t in teachers}


def test_district_names_with_tabs_backslashes_and_quotes_survive(grouping_setup):
    odd = 'Tab\there, back\\slash, "quotes", new\nline'
    school = SchoolFactory(district=odd, region="R\\egion")
    grouping_setup.round.schools.add(school)
    scored(grouping_setup, level=grouping_setup.low, school=school)
    run_grouping(grouping_setup.round, scope=GroupingRun.Scope.DISTRICT, min_size=1)
    group = StudyGroup.objects.get()
    assert (group.district, group.region) == (odd, "R\\egion")
    assert group.name.startswith(odd)


@pytest.mark.parametrize(("growing", "groups"), [(4, {"Starting": 14}), (5, None), (6, None)])
def test_the_default_smallest_group_of_5_at_its_boundaries(grouping_setup, school, growing, groups):
    setup = grouping_setup
    for index in range(10):
        scored(setup, level=setup.low, school=school, percent=10 + index)
    for index in range(growing):
        scored(setup, level=setup.mid, school=school, percent=50 + index)
    run = run_grouping(setup.round)  # the defaults: smallest group 5
    made = {g.level.name: g.memberships.count() for g in StudyGroup.objects.select_related("level")}
    assert made == (groups or {"Starting": 10, "Growing": growing})
    assert run.summary["teachers_merged"] == (growing if groups else 0)
    assert run.summary["smallest_group"] >= 5


def test_a_school_with_fewer_teachers_than_the_smallest_group_gets_none(grouping_setup, school):
    for _ in range(4):
        scored(grouping_setup, level=grouping_setup.low, school=school)
    run = run_grouping(grouping_setup.round)
    assert not StudyGroup.objects.exists()
    assert (run.summary["teachers_placed"], run.summary["teachers_left_out"]) == (0, 4)
