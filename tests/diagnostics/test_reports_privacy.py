"""The small-subgroup rule in one place: what is hidden, and why the next cell too."""

from diagnostics.reports.privacy import (
    HIDDEN,
    MIN_SUBGROUP,
    WITHHELD,
    count_shown,
    distribution_shown,
    for_chart,
    shown,
)


def test_the_threshold_is_five_teachers():
    assert MIN_SUBGROUP == 5
    assert shown(42, 4) is HIDDEN
    assert shown(42, 5) == 42


def test_a_count_of_nobody_is_shown_a_count_of_a_few_is_not():
    assert [count_shown(n) for n in (0, 1, 4, 5)] == [0, HIDDEN, HIDDEN, 5]


def test_one_hidden_cell_takes_the_smallest_other_with_it():
    # With the total (20) printed, a lone hidden 3 would be 20 - 12 - 5. The 5 is withheld,
    # and says so rather than claiming to be "fewer than 5".
    assert distribution_shown([3, 12, 5]) == [HIDDEN, 12, WITHHELD]
    assert str(WITHHELD) != str(HIDDEN)


def test_two_hidden_cells_need_nothing_more():
    assert distribution_shown([3, 12, 2, 9]) == [HIDDEN, 12, HIDDEN, 9]


def test_a_distribution_over_fewer_than_five_is_hidden_whole():
    assert distribution_shown([0, 4, 0]) == [HIDDEN, HIDDEN, HIDDEN]
    assert distribution_shown([0, 0, 0]) == [0, 0, 0]


def test_without_a_public_total_only_the_small_cells_go():
    assert distribution_shown([3, 12, 5], total_public=False) == [HIDDEN, 12, 5]


def test_hidden_figures_are_gaps_in_charts():
    assert for_chart(HIDDEN) is None and for_chart(WITHHELD) is None
    assert not HIDDEN
