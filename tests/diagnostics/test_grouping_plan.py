"""The planning rules of diagnostics/grouping.py, without a database."""

import random
from collections import Counter

import pytest

from diagnostics.grouping.planner import (
    MENTOR_PEERS_KEPT,
    AnchoredGroup,
    BucketKey,
    Options,
    Teacher,
    bucket_key,
    even_sizes,
    plan,
)

LOW, MID, TOP = 1, 2, 3  # level ids equal to their positions in these tests


def make(teacher_id, *, school=1, level=LOW, area=None, language="kk", percent=None, district="D"):
    return Teacher(
        teacher_id=teacher_id,
        response_id=teacher_id + 1000,
        school_id=school,
        region="R",
        district=district,
        level_id=level,
        level_position=level,
        weakest_area_id=area,
        language=language,
        percent=float(teacher_id if percent is None else percent),
    )


def sizes_of(groups):
    return [len(g.members) + (g.mentor is not None) for g in groups]


def placed(groups):
    ids = [t.teacher_id for g in groups for t in g.members]
    ids += [g.mentor.teacher_id for g in groups if g.mentor]
    return ids


# --- even split ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "limit", "sizes"),
    [
        (0, 20, []),
        (1, 20, [1]),
        (19, 20, [19]),
        (20, 20, [20]),
        (21, 20, [11, 10]),
        (23, 20, [12, 11]),
        (40, 20, [20, 20]),
        (41, 20, [14, 14, 13]),
        (5, 2, [2, 2, 1]),
    ],
)
def test_even_sizes_make_the_fewest_groups_differing_by_at_most_one(count, limit, sizes):
    assert even_sizes(count, limit) == sizes


def test_even_sizes_hold_for_every_count_and_limit():
    for limit in range(2, 30):
        for count in range(1, 200):
            sizes = even_sizes(count, limit)
            assert sum(sizes) == count
            assert max(sizes) <= limit
            assert max(sizes) - min(sizes) <= 1
            assert len(sizes) == -(-count // limit)


def test_even_sizes_can_be_asked_for_more_groups():
    assert even_sizes(5, 20, at_least=2) == [3, 2]
    assert even_sizes(0, 20, at_least=1) == [0]


def test_even_sizes_refuse_a_limit_below_one():
    with pytest.raises(ValueError, match="at least 1"):
        even_sizes(3, 0)


# --- buckets ---------------------------------------------------------------------------------


def test_23_teachers_of_one_level_make_12_and_11():
    groups = plan([make(i) for i in range(1, 24)], Options())
    assert sizes_of(groups) == [12, 11]
    assert [g.number for g in groups] == [1, 2]


def test_groups_never_mix_schools_or_levels_by_default():
    teachers = [make(i, school=1 + i % 3, level=1 + i % 2) for i in range(60)]
    groups = plan(teachers, Options())
    for group in groups:
        assert len({(t.school_id, t.level_id) for t in group.members}) == 1
    assert sorted(placed(groups)) == list(range(60))


def test_district_scope_pools_small_schools_of_one_district():
    teachers = [make(i, school=i) for i in range(1, 7)] + [
        make(i, school=i, district="Other") for i in range(7, 10)
    ]
    groups = plan(teachers, Options(by_district=True, min_size=1))
    assert sorted(sizes_of(groups)) == [3, 6]
    assert all(g.key.school_id is None for g in groups)
    pooled = next(g for g in groups if g.key.district == "D")
    assert {t.school_id for t in pooled.members} == {1, 2, 3, 4, 5, 6}


def test_groups_are_ordered_by_score_so_each_is_homogeneous():
    teachers = [make(i, percent=p) for i, p in enumerate(random.Random(1).sample(range(100), 30))]
    first, second = plan(teachers, Options())
    assert max(t.percent for t in first.members) < min(t.percent for t in second.members)


def test_weakest_area_strategy_keeps_teachers_with_the_same_gap_together():
    teachers = [make(i, area=7 if i % 2 else 8) for i in range(10)]
    groups = plan(teachers, Options(by_weakest_area=True))
    assert sorted((g.key.weakest_area_id, len(g.members)) for g in groups) == [(7, 5), (8, 5)]
    assert plan(teachers, Options())[0].key.weakest_area_id is None


def test_weakest_area_splits_within_a_level_never_across_levels():
    teachers = [make(i, level=LOW, area=7) for i in range(3)] + [
        make(i, level=MID, area=7) for i in range(3, 6)
    ]
    groups = plan(teachers, Options(by_weakest_area=True, min_size=1))
    assert len(groups) == 2
    assert {g.key.level_id for g in groups} == {LOW, MID}


def test_language_kept_together_only_when_asked():
    teachers = [make(i, language="kk" if i < 4 else "ru") for i in range(7)]
    assert len(plan(teachers, Options())) == 1
    groups = plan(teachers, Options(keep_language_together=True, min_size=1))
    assert sorted((g.key.language, len(g.members)) for g in groups) == [("kk", 4), ("ru", 3)]


def test_the_plan_does_not_depend_on_the_order_rows_arrive_in():
    teachers = [make(i, school=1 + i % 4, level=1 + i % 3, percent=i % 7) for i in range(200)]
    shuffled = teachers[:]
    random.Random(5).shuffle(shuffled)
    options = Options(size_limit=6, mentors=True)
    one = plan(teachers, options, top_level_position=TOP)
    two = plan(shuffled, options, top_level_position=TOP)
    assert [(g.key, g.number, g.members, g.mentor) for g in one] == [
        (g.key, g.number, g.members, g.mentor) for g in two
    ]


def test_bucket_codes_are_unique_and_short_even_for_long_district_names():
    long_name = "District " * 30
    one = bucket_key(make(1, district=long_name), Options(by_district=True)).code()
    two = bucket_key(make(2, district=long_name + "x"), Options(by_district=True)).code()
    assert one != two
    assert len(one) < 80


# --- mentors ---------------------------------------------------------------------------------


def test_mentor_mode_lends_one_top_teacher_to_each_lower_group():
    lower = [make(i, level=LOW) for i in range(1, 31)]  # 30 -> 2 groups of 15 (19 seats each)
    top = [make(i, level=TOP, percent=50 + i) for i in range(100, 105)]
    options = Options(size_limit=20, mentors=True, min_size=1)
    groups = plan(lower + top, options, top_level_position=TOP)
    low_groups = [g for g in groups if g.key.level_id == LOW]
    assert [g.mentor.teacher_id for g in low_groups] == [104, 103]  # the strongest mentor
    top_groups = [g for g in groups if g.key.level_id == TOP]
    assert [t.teacher_id for g in top_groups for t in g.members] == [100, 101, 102]
    assert sorted(placed(groups)) == sorted(t.teacher_id for t in lower + top)


def test_mentors_never_push_a_group_over_the_limit():
    lower = [make(i, level=LOW) for i in range(1, 21)]  # 20 with a seat kept -> 10 + 10
    top = [make(i, level=TOP) for i in range(100, 110)]
    groups = plan(lower + top, Options(size_limit=20, mentors=True), top_level_position=TOP)
    assert max(sizes_of(groups)) <= 20
    assert [len(g.members) for g in groups if g.key.level_id == LOW] == [10, 10]


def test_mentors_are_lent_only_while_enough_top_teachers_stay_together():
    lower = [make(i, level=LOW) for i in range(1, 5)] + [make(i, level=MID) for i in range(5, 9)]
    top = [make(i, level=TOP) for i in range(100, 100 + MENTOR_PEERS_KEPT + 1)]
    groups = plan(
        lower + top, Options(size_limit=3, mentors=True, min_size=1), top_level_position=TOP
    )
    with_mentor = [g for g in groups if g.mentor]
    # Four lower groups, but only one top teacher beyond the two who keep their own group;
    # the lowest level gets the mentor first.
    assert len(with_mentor) == 1
    assert with_mentor[0].key.level_id == LOW
    assert [len(g.members) for g in groups if g.key.level_id == TOP] == [MENTOR_PEERS_KEPT]


def test_no_mentors_when_the_top_level_has_too_few_teachers():
    teachers = [make(i, level=LOW) for i in range(10)] + [
        make(i, level=TOP) for i in range(100, 100 + MENTOR_PEERS_KEPT)
    ]
    groups = plan(teachers, Options(mentors=True, min_size=1), top_level_position=TOP)
    assert not any(g.mentor for g in groups)
    # Nobody was lent, so no seat is kept either: ten teachers in one group.
    assert sizes_of(groups) == [10, MENTOR_PEERS_KEPT]


def test_mentors_stay_in_their_school_and_language():
    teachers = [
        make(1, school=1, level=LOW, language="ru"),
        make(2, school=1, level=LOW, language="kk"),
        *[make(i, school=1, level=TOP, language="kk") for i in range(10, 14)],
        *[make(i, school=2, level=TOP, language="ru") for i in range(20, 24)],
    ]
    options = Options(mentors=True, keep_language_together=True, min_size=1)
    groups = plan(teachers, options, top_level_position=TOP)
    ru_low = next(g for g in groups if g.key.level_id == LOW and g.key.language == "ru")
    kk_low = next(g for g in groups if g.key.level_id == LOW and g.key.language == "kk")
    assert ru_low.mentor is None  # the Russian-speaking top teachers work in another school
    assert kk_low.mentor.school_id == 1 and kk_low.mentor.language == "kk"


def test_mentor_mode_off_lends_nobody():
    teachers = [make(i, level=LOW) for i in range(10)] + [make(i, level=TOP) for i in range(20, 30)]
    groups = plan(teachers, Options(), top_level_position=TOP)
    assert not any(g.mentor for g in groups)


# --- kept groups -----------------------------------------------------------------------------


def test_new_groups_skip_numbers_of_kept_groups():
    key = BucketKey(1, "", "", LOW, None, "")
    groups = plan([make(i) for i in range(30)], Options(), taken_numbers={key.code(): {1, 3}})
    assert [g.number for g in groups] == [2, 4]


def test_an_anchored_group_is_filled_up_to_its_even_share():
    key = BucketKey(1, "", "", LOW, None, "")
    anchor = AnchoredGroup(group_id=55, bucket=key.code(), number=2, hand_placed=3)
    groups = plan(
        [make(i) for i in range(20)], Options(), anchored=[anchor], taken_numbers={key.code(): {2}}
    )
    # 20 planned + 3 held by hand = 23 -> 12 + 11; the anchored group takes 12 - 3 = 9.
    assert [(g.existing_id, g.number, len(g.members)) for g in groups] == [
        (55, 2, 9),
        (None, 1, 11),
    ]


def test_an_overfull_anchored_group_takes_nobody_and_nobody_is_lost():
    key = BucketKey(1, "", "", LOW, None, "")
    anchor = AnchoredGroup(group_id=55, bucket=key.code(), number=1, hand_placed=15)
    groups = plan([make(i) for i in range(10)], Options(), anchored=[anchor])
    assert [(g.existing_id, len(g.members)) for g in groups] == [(55, 0), (None, 10)]
    assert Counter(placed(groups)) == Counter(range(10))
