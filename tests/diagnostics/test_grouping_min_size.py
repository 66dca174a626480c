"""The smallest group (docs/grouping.md, "Smallest group"), planned without a database: no group
under it, small levels join the nearest level, a school too small for a group is left out."""

import random

import pytest

from diagnostics.grouping.planner import Options, bucket_key, even_sizes, make_plan, plan
from tests.diagnostics.test_grouping_plan import LOW, MID, TOP, make, placed, sizes_of


def at_levels(counts: dict[int, int], *, school=1, start=0):
    """Teachers of one school: counts maps level -> how many; scores rise with the level."""
    teachers = []
    for level, count in counts.items():
        for index in range(count):
            teacher_id = start + level * 100 + index
            teachers.append(
                make(teacher_id, school=school, level=level, percent=level * 30 + index)
            )
    return teachers


def placed_elsewhere(group, options):
    return sorted(t.teacher_id for t in group.members if bucket_key(t, options) != group.key)


@pytest.mark.parametrize(
    ("count", "limit", "smallest", "sizes"),
    [
        (9, 8, 5, [9]),
        (10, 8, 5, [5, 5]),
        (11, 10, 5, [6, 5]),
        (4, 20, 5, [4]),
        (23, 20, 1, [12, 11]),
    ],
)
def test_even_sizes_never_go_under_the_smallest_when_a_split_allows(count, limit, smallest, sizes):
    assert even_sizes(count, limit, smallest=smallest) == sizes


def test_a_level_of_4_joins_the_nearest_level_and_is_flagged():
    teachers = at_levels({LOW: 10, MID: 4, TOP: 10})
    options = Options()  # the default smallest group, 5
    groups = plan(teachers, options, top_level_position=TOP)
    assert sorted((g.key.level_id, len(g.members)) for g in groups) == [(LOW, 14), (TOP, 10)]
    low = next(g for g in groups if g.key.level_id == LOW)
    # Equally near Low and Top: the lower level takes them.
    assert placed_elsewhere(low, options) == [200, 201, 202, 203]
    # Taken by score, they sit at the top of the Low group.
    assert [t.teacher_id for t in low.members[-4:]] == [200, 201, 202, 203]


@pytest.mark.parametrize("count", [5, 6])
def test_a_level_of_5_or_6_keeps_its_own_group(count):
    teachers = at_levels({LOW: 10, MID: count, TOP: 10})
    groups = plan(teachers, Options(), top_level_position=TOP)
    assert sorted((g.key.level_id, len(g.members)) for g in groups) == [
        (LOW, 10),
        (MID, count),
        (TOP, 10),
    ]
    assert not any(placed_elsewhere(g, Options()) for g in groups)


def test_the_nearer_level_takes_a_small_level_before_a_lower_one():
    teachers = at_levels({LOW: 3, MID: 10, TOP: 10})
    groups = plan(teachers, Options(), top_level_position=TOP)
    assert sorted((g.key.level_id, len(g.members)) for g in groups) == [(MID, 13), (TOP, 10)]


def test_several_small_levels_join_until_a_group_is_big_enough():
    teachers = at_levels({LOW: 3, MID: 2, TOP: 1})
    groups = plan(teachers, Options(), top_level_position=TOP)
    # Top (1) joins Mid (2), then Low and Mid (3 each) join on the lower level's side: one
    # group of 6 named after the middle level.
    assert [(g.key.level_id, len(g.members)) for g in groups] == [(MID, 6)]


@pytest.mark.parametrize("count", [4, 5])
def test_a_school_with_fewer_teachers_than_the_smallest_group_is_left_out(count):
    teachers = at_levels({LOW: count - 2, TOP: 2})
    made = make_plan(teachers, Options(), top_level_position=TOP)
    if count < 5:
        assert made.groups == []
        [pool] = made.left_out
        assert pool.school_id == 1 and len(pool.teachers) == count
    else:
        assert [len(g.members) for g in made.groups] == [5]
        assert made.left_out == []


def test_a_lone_teacher_gets_a_group_only_on_request():
    teachers = at_levels({LOW: 1})
    assert plan(teachers, Options()) == []
    assert sizes_of(plan(teachers, Options(min_size=1))) == [1]


def test_a_small_weakest_area_joins_another_area_of_its_own_level_first():
    teachers = [make(i, level=LOW, area=7) for i in range(6)]
    teachers += [make(i, level=LOW, area=8) for i in range(6, 8)]
    teachers += [make(i, level=MID, area=8) for i in range(10, 16)]
    options = Options(by_weakest_area=True)
    groups = plan(teachers, options, top_level_position=TOP)
    assert sorted((g.key.level_id, g.key.weakest_area_id, len(g.members)) for g in groups) == [
        (LOW, 7, 8),
        (MID, 8, 6),
    ]


def test_district_scope_pools_small_schools_before_the_minimum_applies():
    teachers = at_levels({LOW: 2}, school=1) + at_levels({LOW: 3}, school=2, start=1000)
    assert make_plan(teachers, Options()).groups == []
    groups = plan(teachers, Options(by_district=True))
    assert sizes_of(groups) == [5]


def test_a_language_too_small_for_a_group_is_left_out_when_languages_are_kept_apart():
    teachers = [make(i, language="kk") for i in range(6)] + [
        make(i, language="ru") for i in range(10, 12)
    ]
    made = make_plan(teachers, Options(keep_language_together=True))
    assert [(g.key.language, len(g.members)) for g in made.groups] == [("kk", 6)]
    assert [(pool.language, len(pool.teachers)) for pool in made.left_out] == [("ru", 2)]
    assert sizes_of(plan(teachers, Options())) == [8]  # together when the option is off


def test_mentors_leave_the_top_level_at_least_the_smallest_group():
    teachers = at_levels({LOW: 20, TOP: 7})
    groups = plan(teachers, Options(size_limit=10, mentors=True), top_level_position=TOP)
    # 20 lower teachers with a seat kept for a mentor: 7 + 7 + 6. Seven at the top keep five
    # together, so two are lent, to the first two groups.
    assert [g.mentor is not None for g in groups if g.key.level_id == LOW] == [True, True, False]
    assert [len(g.members) for g in groups if g.key.level_id == TOP] == [5]


@pytest.mark.parametrize("seed", range(40))
def test_no_group_is_ever_smaller_than_asked_and_everyone_is_placed_or_left_out(seed):
    rng = random.Random(seed)
    smallest = rng.randint(1, 6)
    mentors = rng.random() < 0.5
    options = Options(
        size_limit=rng.randint(2 * smallest - 1 + mentors, 25),
        min_size=smallest,
        by_district=rng.random() < 0.3,
        by_weakest_area=rng.random() < 0.4,
        keep_language_together=rng.random() < 0.3,
        mentors=mentors,
    )
    teachers = [
        make(
            i,
            school=rng.randint(1, 6),
            district=rng.choice("DE"),
            level=rng.choice((LOW, MID, TOP)),
            area=rng.choice((7, 8, 9)),
            language=rng.choice(("kk", "ru")),
            percent=rng.uniform(0, 100),
        )
        for i in range(rng.randint(0, 120))
    ]
    made = make_plan(teachers, options, top_level_position=TOP)
    assert all(len(g.members) >= smallest for g in made.groups)
    assert all(len(pool.teachers) < smallest for pool in made.left_out)
    left_out = [t.teacher_id for pool in made.left_out for t in pool.teachers]
    assert sorted(placed(made.groups) + left_out) == sorted(t.teacher_id for t in teachers)
