import json
import math

import numpy as np
import pytest

from diagnostics.item_stats.compute import compute_instrument_statistics
from diagnostics.item_stats.definitions import (
    FLAG_LOW_DISCRIMINATION,
    FLAG_TOO_EASY,
    FLAG_TOO_HARD,
    SURVEY_THRESHOLDS,
    FlagThresholds,
    ItemSpec,
)

NAN = math.nan


def assert_json_clean(statistics):
    """Strict JSON (no NaN or infinity) that reads back exactly as as_dict() gave it."""
    as_dict = statistics.as_dict()
    assert json.loads(json.dumps(as_dict, allow_nan=False)) == as_dict


def by_key(statistics):
    return {item.key: item for item in statistics.items}


def by_area(statistics):
    return {area.area: area for area in statistics.areas}


# A five-respondent knowledge test. q3 is marked -1 wrong / 0 / +1 right (negative minimum);
# respondent 4 left q3 unanswered.
KNOWLEDGE_ITEMS = [
    ItemSpec("q1", 0, 1, area="A"),
    ItemSpec("q2", 0, 1, area="A"),
    ItemSpec("q3", -1, 1, area="B"),
]
KNOWLEDGE_SCORES = [
    [1, 1, 1],
    [1, 0, 1],
    [0, 1, -1],
    [1, 0, None],
    [0, 0, -1],
]


def test_knowledge_item_statistics_match_moodle_definitions_by_hand():
    # With missing_as_min respondent 4 scores q3's minimum, -1.
    #
    # q1: x = 1,1,0,1,0; mean 0.6, F = 100 * 0.6 / 1 = 60
    #     deviations .4,.4,-.6,.4,-.6; SS = 3*.16 + 2*.36 = 1.2; V = 1.2/4 = .3
    #     SD = 100 * sqrt(.3) = 54.772
    #     rest = q2 + q3 = 2,1,0,-1,-1; mean .2; deviations 1.8,.8,-.2,-1.2,-1.2
    #     SS_rest = 3.24+.64+.04+1.44+1.44 = 6.8
    #     cross = .4*1.8 + .4*.8 + (-.6)(-.2) + .4*(-1.2) + (-.6)(-1.2)
    #           = .72 + .32 + .12 - .48 + .72 = 1.4
    #     D = 100 * 1.4 / sqrt(1.2 * 6.8) = 140 / sqrt(8.16) = 49.0098
    #     sorted deviations: x -.6,-.6,.4,.4,.4; rest -1.2,-1.2,-.2,.8,1.8
    #     cross_max = .72 + .72 - .08 + .32 + .72 = 2.4; efficiency = 100 * 1.4 / 2.4 = 58.333
    # q2: x = 1,0,1,0,0; mean .4, F = 40; SS = 2*.36 + 3*.16 = 1.2, SD = 54.772
    #     rest = q1 + q3 = 2,2,-1,0,-1; mean .4; deviations 1.6,1.6,-1.4,-.4,-1.4; SS = 9.2
    #     cross = .96 - .64 - .84 + .16 + .56 = .2; D = 20 / sqrt(1.2 * 9.2) = 6.0193
    #     sorted: x -.4,-.4,-.4,.6,.6; rest -1.4,-1.4,-.4,1.6,1.6
    #     cross_max = .56 + .56 + .16 + .96 + .96 = 3.2; efficiency = 100 * .2 / 3.2 = 6.25
    # q3 (range -1..1): x = 1,1,-1,-1,-1; mean -.2; F = 100 * (-.2 - (-1)) / 2 = 40
    #     deviations 1.2,1.2,-.8,-.8,-.8; SS = 2.88 + 1.92 = 4.8; V = 1.2
    #     SD = 100 * sqrt(1.2) / 2 = 54.772
    #     rest = q1 + q2 = 2,1,1,1,0; mean 1; deviations 1,0,0,0,-1; SS = 2
    #     cross = 1.2 + .8 = 2; D = 200 / sqrt(9.6) = 64.550
    #     sorted: x -.8,-.8,-.8,1.2,1.2; rest -1,0,0,0,1; cross_max = .8 + 1.2 = 2 -> 100
    statistics = compute_instrument_statistics(
        KNOWLEDGE_SCORES, KNOWLEDGE_ITEMS, missing_as_min=True
    )
    items = by_key(statistics)

    assert items["q1"].facility_index == pytest.approx(60)
    assert items["q1"].standard_deviation == pytest.approx(100 * math.sqrt(0.3))
    assert items["q1"].discrimination_index == pytest.approx(140 / math.sqrt(8.16))
    assert items["q1"].discriminative_efficiency == pytest.approx(100 * 1.4 / 2.4)
    assert items["q2"].facility_index == pytest.approx(40)
    assert items["q2"].discrimination_index == pytest.approx(20 / math.sqrt(11.04))
    assert items["q2"].discriminative_efficiency == pytest.approx(6.25)
    assert items["q3"].mean_score == pytest.approx(-0.2)
    assert items["q3"].facility_index == pytest.approx(40)
    assert items["q3"].standard_deviation == pytest.approx(100 * math.sqrt(1.2) / 2)
    assert items["q3"].discrimination_index == pytest.approx(200 / math.sqrt(9.6))
    assert items["q3"].discriminative_efficiency == pytest.approx(100)
    assert (items["q3"].n_answered, items["q3"].n_scored) == (4, 5)
    assert_json_clean(statistics)


def test_knowledge_alpha_areas_and_histogram_by_hand():
    # Covariances (n - 1 = 4) from the deviations in the test above:
    #   V(q1) = .3, V(q2) = .3, V(q3) = 1.2
    #   C(q1,q2) = (.24 - .16 - .36 - .16 + .24)/4 = -.05
    #   C(q1,q3) = (.48 + .48 + .48 - .32 + .48)/4 = .4
    #   C(q2,q3) = (.72 - .48 - .48 + .32 + .32)/4 = .1
    #   trace = 1.8; sum = 1.8 + 2 * (-.05 + .4 + .1) = 2.7
    #   alpha = 3/2 * (1 - 1.8/2.7) = .5
    #   (check: totals 3,2,0,0,-1 have variance 10.8/4 = 2.7 = sum(C))
    # Area A (q1, q2): alpha = 2 * (1 - .6/.5) = -.4; equal variances, so r = -.05/.3 = -1/6
    #   and std alpha = 2 * (-1/6) / (1 - 1/6) = -.4 as well.
    #   Mean of (q1 + q2)/2 per respondent: 100, 50, 50, 50, 0 -> 50 %.
    # Area B (q3 alone): no alpha; mean of (q3 + 1)/2: 1,1,0,0,0 -> 40 %.
    # Percentage totals: gain over the minimum total (-1) out of the range total (4):
    #   4/4 = 100, 3/4 = 75, 1/4 = 25, 1/4 = 25, 0/4 = 0 -> mean 45 %,
    #   bins [0,10): 1, [20,30): 2, [70,80): 1, [90,100]: 1 (100 % is in the last, closed bin).
    statistics = compute_instrument_statistics(
        KNOWLEDGE_SCORES, KNOWLEDGE_ITEMS, missing_as_min=True
    )
    areas = by_area(statistics)

    assert statistics.reliability.alpha == pytest.approx(0.5)
    assert areas["A"].reliability.alpha == pytest.approx(-0.4)
    assert areas["A"].reliability.std_alpha == pytest.approx(-0.4)
    assert areas["A"].mean_percent == pytest.approx(50)
    assert areas["B"].reliability.alpha is None
    assert areas["B"].reliability.n_items == 1
    assert areas["B"].mean_percent == pytest.approx(40)
    assert statistics.mean_percent == pytest.approx(45)
    assert [b.count for b in statistics.histogram] == [1, 0, 2, 0, 0, 0, 0, 1, 0, 1]
    assert (statistics.histogram[-1].lower_percent, statistics.histogram[-1].upper_percent) == (
        90,
        100,
    )


def test_survey_mode_leaves_missing_answers_out():
    # q3 without respondent 4: x = 1,1,-1,-1; mean 0; F = 100 * (0 + 1) / 2 = 50.
    # Respondent 4's percentage is over q1 and q2 only: (1 + 0) / 2 = 50 %, so the totals are
    # 100, 75, 25, 50, 0 -> mean 50 %.
    statistics = compute_instrument_statistics(
        KNOWLEDGE_SCORES, KNOWLEDGE_ITEMS, missing_as_min=False
    )
    q3 = by_key(statistics)["q3"]

    assert (q3.n_answered, q3.n_scored) == (4, 4)
    assert q3.facility_index == pytest.approx(50)
    assert q3.mean_score == pytest.approx(0)
    assert statistics.mean_percent == pytest.approx(50)
    assert [b.count for b in statistics.histogram] == [1, 0, 1, 0, 0, 1, 0, 1, 0, 1]


def test_pairwise_alpha_uses_every_pairs_own_complete_rows():
    # Survey answers 1..5, one gap per item (rows r1..r5):
    #        a    b    c
    #   r1   -    4    2
    #   r2   5    4    -
    #   r3   5    3    5
    #   r4   4    1    2
    #   r5   2    -    3
    # V(a) over r2..r5 = 5,5,4,2: mean 4, deviations 1,1,0,-2, SS 6 -> 2
    # V(b) over r1..r4 = 4,4,3,1: mean 3, deviations 1,1,0,-2 -> 2
    # V(c) over r1,r3,r4,r5 = 2,5,2,3: mean 3, deviations -1,2,-1,0 -> 2
    # C(a,b) over r2,r3,r4: a 5,5,4 (mean 14/3), b 4,3,1 (mean 8/3)
    #   (1/3)(4/3) + (1/3)(1/3) + (-2/3)(-5/3) = 15/9; / 2 = 5/6
    # C(a,c) over r3,r4,r5: a 5,4,2 (mean 11/3), c 5,2,3 (mean 10/3)
    #   (4/3)(5/3) + (1/3)(-4/3) + (-5/3)(-1/3) = 21/9; / 2 = 7/6
    # C(b,c) over r1,r3,r4: b 4,3,1 (mean 8/3), c 2,5,2 (mean 3)
    #   (4/3)(-1) + (1/3)(2) + (-5/3)(-1) = 1; / 2 = 1/2
    # trace = 6; sum = 6 + 2 * (5/6 + 7/6 + 1/2) = 11; alpha = 3/2 * (1 - 6/11) = 15/22
    # cov2cor divides by sqrt(2 * 2) = 2: r = 5/12, 7/12, 3/12, mean 5/12;
    #   std alpha = 3 * 5/12 / (1 + 2 * 5/12) = 15/22 (equal variances make it equal alpha).
    # Listwise deletion would keep only r3 and r4, and could not give this value.
    scores = [
        [None, 4, 2],
        [5, 4, None],
        [5, 3, 5],
        [4, 1, 2],
        [2, None, 3],
    ]
    items = [ItemSpec(key, 1, 5) for key in "abc"]

    reliability = compute_instrument_statistics(scores, items).reliability

    assert reliability.alpha == pytest.approx(15 / 22)
    assert reliability.std_alpha == pytest.approx(15 / 22)
    assert reliability.n_items == 3


def test_alpha_and_std_alpha_on_complete_data_by_hand():
    # rows (1,2,2), (2,2,3), (3,4,3), (4,4,4)
    # item deviations: a -1.5,-.5,.5,1.5 (SS 5); b -1,-1,1,1 (SS 4); c -1,0,0,1 (SS 2)
    # cross products: ab 1.5+.5+.5+1.5 = 4; ac 1.5+0+0+1.5 = 3; bc 1+0+0+1 = 2
    # C = [[5,4,3],[4,4,2],[3,2,2]] / 3; trace 11/3; sum 29/3 (= variance of totals 5,7,10,12)
    # alpha = 3/2 * (1 - 11/29) = 27/29
    # r_ab = 4/sqrt(20) = 2/sqrt(5); r_ac = 3/sqrt(10); r_bc = 2/sqrt(8) = 1/sqrt(2)
    # std alpha = 3 * mean_r / (1 + 2 * mean_r)
    scores = [[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 4]]
    items = [ItemSpec(key, 0, 4) for key in "abc"]
    mean_r = (2 / math.sqrt(5) + 3 / math.sqrt(10) + 1 / math.sqrt(2)) / 3

    reliability = compute_instrument_statistics(scores, items).reliability

    assert reliability.alpha == pytest.approx(27 / 29)
    assert reliability.std_alpha == pytest.approx(3 * mean_r / (1 + 2 * mean_r))


# Moodle's own published example: quiz "00" of the quiz statistics tests (moodle/moodle,
# mod/quiz/report/statistics/tests/fixtures/results00.csv for the marks, qstats00.csv for the
# expected question statistics, and check_quiz_stats_for_quiz_00() in
# stats_from_steps_walkthrough_test.php for the coefficient of internal consistency). Moodle
# computed the expected values independently in a spreadsheet. 25 attempts x 7 questions, each
# out of 1, every question answered.
MOODLE_QUIZ_00_MARKS = [
    [1, 1, 1, 1, 1, 0, 1],
    [1, 1, 1, 1, 0.5, 1, 0],
    [1, 1, 1, 1, 0.5, 0, 1],
    [0, 0, 1, 1, 1, 0, 0],
    [1, 0, 1, 0, 0, 1, 0.5],
    [1, 1, 1, 1, 0.5, 0, 0.5],
    [0, 1, 1, 1, 0.5, 1, 0.5],
    [1, 1, 1, 0, 0.5, 1, 0.5],
    [1, 0, 1, 1, 1, 1, 1],
    [0, 1, 1, 0, 0.5, 1, 0.5],
    [0.8, 0, 1, 1, 0.5, 1, 0.5],
    [1, 1, 1, 0, 0.5, 1, 1],
    [1, 0, 1, 1, 0.5, 1, 0.5],
    [1, 0, 1, 1, 1, 0, 0.5],
    [0, 0, 1, 1, 0, 1, 1],
    [1, 0, 1, 0, 0.5, 1, 1],
    [0.8, 0, 1, 1, 0.5, 0, 1],
    [1, 0, 1, 1, 0, 1, 0.5],
    [1, 0, 1, 1, 0.5, 0, 0.5],
    [0, 1, 1, 0, 0.5, 1, 0],
    [1, 1, 0.3333333, 1, 0.5, 0, 0.5],
    [1, 1, 1, 0, 0.5, 0, 0.5],
    [1, 1, 1, 1, 0, 1, 0.5],
    [0, 0, 1, 0, 0.5, 1, 1],
    [0, 0, 1, 1, 1, 1, 1],
]
# slot: (facility, sd, discrimination index, discriminative efficiency), Moodle's units:
# facility and sd as fractions of the mark (out of 1), the indices in percent.
MOODLE_QUIZ_00_EXPECTED = {
    "1": (0.704, 0.4513682901, -7.0650767526, -9.4550536967),
    "2": (0.48, 0.5099019514, -28.8982125772, -36.7834118938),
    "3": (0.973333332, 0.13333334, -9.1230674268, -21.6545012165),
    "4": (0.68, 0.4760952286, -22.6306444113, -31.4411395613),
    "5": (0.52, 0.3055050463, -17.6997047674, -21.1794802584),
    "6": (0.64, 0.4898979486, -45.3785178421, -56.9365974439),
    "7": (0.62, 0.331662479, -5.6543166602, -6.5043742058),
}
MOODLE_QUIZ_00_CIC = -87.2230935542  # 100 * Cronbach's alpha


def test_matches_moodles_published_quiz_statistics():
    items = [ItemSpec(slot, 0, 1) for slot in MOODLE_QUIZ_00_EXPECTED]

    statistics = compute_instrument_statistics(MOODLE_QUIZ_00_MARKS, items, missing_as_min=True)

    # Moodle's own tests allow a relative error of 1e-6 to 1.5e-5.
    for item in statistics.items:
        facility, sd, discrimination, efficiency = MOODLE_QUIZ_00_EXPECTED[item.key]
        assert item.facility_index == pytest.approx(100 * facility, rel=1e-6), item.key
        assert item.standard_deviation == pytest.approx(100 * sd, rel=1e-6), item.key
        assert item.discrimination_index == pytest.approx(discrimination, rel=1e-5), item.key
        assert item.discriminative_efficiency == pytest.approx(efficiency, rel=1e-5), item.key
    assert 100 * statistics.reliability.alpha == pytest.approx(MOODLE_QUIZ_00_CIC, rel=1.5e-5)


# Naive, loop-based reimplementations: slow, but written straight from the definitions.


def naive_pairwise_covariance(matrix, i, j):
    rows = [(row[i], row[j]) for row in matrix if not math.isnan(row[i]) and not math.isnan(row[j])]
    if len(rows) < 2:
        return None
    mean_i = sum(a for a, _ in rows) / len(rows)
    mean_j = sum(b for _, b in rows) / len(rows)
    return sum((a - mean_i) * (b - mean_j) for a, b in rows) / (len(rows) - 1)


def naive_psych_alpha(matrix, columns):
    """psych::alpha(x[, columns]) with its defaults: pairwise covariances, no-variance items out."""
    kept = [c for c in columns if (naive_pairwise_covariance(matrix, c, c) or 0) > 1e-12]
    k = len(kept)
    if k < 2:
        return None, None
    cov = [[naive_pairwise_covariance(matrix, i, j) for j in kept] for i in kept]
    if any(value is None for row in cov for value in row):
        return None, None
    trace = sum(cov[a][a] for a in range(k))
    total = sum(sum(row) for row in cov)
    correlations = [
        cov[a][b] / math.sqrt(cov[a][a] * cov[b][b]) for a in range(k) for b in range(k) if a != b
    ]
    mean_r = sum(correlations) / len(correlations)
    return k / (k - 1) * (1 - trace / total), k * mean_r / (1 + (k - 1) * mean_r)


def random_survey(seed, respondents=60, missing_share=0.15):
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=(respondents, 1))
    matrix = np.clip(np.round(3 + ability + rng.normal(size=(respondents, 8))), 1, 5)
    matrix[rng.random(matrix.shape) < missing_share] = np.nan
    items = [ItemSpec(f"i{c}", 1, 5, area="digital" if c < 5 else "media") for c in range(8)]
    return matrix, items


@pytest.mark.parametrize("seed", range(5))
def test_pairwise_alpha_matches_naive_loops_on_random_data_with_missing(seed):
    matrix, items = random_survey(seed)
    rows = matrix.tolist()

    statistics = compute_instrument_statistics(matrix, items)

    alpha, std_alpha = naive_psych_alpha(rows, range(8))
    assert statistics.reliability.alpha == pytest.approx(alpha, rel=1e-9)
    assert statistics.reliability.std_alpha == pytest.approx(std_alpha, rel=1e-9)
    for area, columns in (("digital", range(5)), ("media", range(5, 8))):
        alpha, std_alpha = naive_psych_alpha(rows, columns)
        assert by_area(statistics)[area].reliability.alpha == pytest.approx(alpha, rel=1e-9)
        assert by_area(statistics)[area].reliability.std_alpha == pytest.approx(std_alpha, rel=1e-9)


def naive_item_rest_statistics(matrix, items, column):
    """D and efficiency with the rest score as the percentage of the other items answered."""
    pairs = []
    for row in matrix:
        if math.isnan(row[column]):
            continue
        others = [c for c in range(len(items)) if c != column and not math.isnan(row[c])]
        if not others:
            continue
        gained = sum(row[c] - items[c].min_score for c in others)
        achievable = sum(items[c].max_score - items[c].min_score for c in others)
        pairs.append((row[column], gained / achievable))
    xs = [x for x, _ in pairs]
    ys = [y for _, y in pairs]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    cross = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    sx = sum((x - mean_x) ** 2 for x in xs)
    sy = sum((y - mean_y) ** 2 for y in ys)
    cross_max = sum(
        (x - mean_x) * (y - mean_y) for x, y in zip(sorted(xs), sorted(ys), strict=True)
    )
    return 100 * cross / math.sqrt(sx * sy), 100 * cross / cross_max


@pytest.mark.parametrize("seed", range(3))
def test_item_statistics_match_naive_loops_on_random_data_with_missing(seed):
    matrix, _ = random_survey(seed)
    # Mixed ranges, one with a negative minimum: rescale two columns onto them.
    matrix[:, 0] = (matrix[:, 0] - 1) / 4 * 2 - 1  # -1..1
    matrix[:, 1] = (matrix[:, 1] - 1) * 2.5  # 0..10
    items = [ItemSpec("neg", -1, 1), ItemSpec("ten", 0, 10)] + [
        ItemSpec(f"i{c}", 1, 5) for c in range(2, 8)
    ]
    rows = matrix.tolist()

    statistics = compute_instrument_statistics(matrix, items)

    for column, item in enumerate(statistics.items):
        answers = [row[column] for row in rows if not math.isnan(row[column])]
        spec = items[column]
        mean = sum(answers) / len(answers)
        variance = sum((a - mean) ** 2 for a in answers) / (len(answers) - 1)
        width = spec.max_score - spec.min_score
        discrimination, efficiency = naive_item_rest_statistics(rows, items, column)
        assert item.n_answered == len(answers)
        assert item.facility_index == pytest.approx(100 * (mean - spec.min_score) / width)
        assert item.standard_deviation == pytest.approx(100 * math.sqrt(variance) / width)
        assert item.discrimination_index == pytest.approx(discrimination, rel=1e-9)
        assert item.discriminative_efficiency == pytest.approx(efficiency, rel=1e-9)


# Edge cases.


def test_identical_answers_give_zero_spread_and_no_correlations():
    # 0.1 + 0.2 != 0.3 in floats: the rest scores are equal on paper but not in the last bits.
    scores = [[0.1, 0.2, 0.3], [0.1, 0.2, 0.3], [0.1, 0.2, 0.3]]
    items = [ItemSpec(key, 0, 1) for key in "abc"]

    statistics = compute_instrument_statistics(scores, items, missing_as_min=True)

    for item in statistics.items:
        assert item.standard_deviation == 0
        assert item.discrimination_index is None
        assert item.discriminative_efficiency is None
    assert by_key(statistics)["c"].facility_index == pytest.approx(30)
    assert statistics.reliability.alpha is None
    assert statistics.reliability.excluded_items == ("a", "b", "c")
    assert_json_clean(statistics)


def test_one_respondent_has_means_but_no_spread():
    items = [ItemSpec(key, 0, 2) for key in "ab"]

    statistics = compute_instrument_statistics([[1, 2]], items)

    a = by_key(statistics)["a"]
    assert (a.mean_score, a.facility_index) == (1, 50)
    assert a.standard_deviation is None
    assert a.discrimination_index is None
    assert statistics.reliability.alpha is None
    assert statistics.mean_percent == pytest.approx(75)
    assert_json_clean(statistics)


def test_no_respondents_gives_an_empty_but_valid_result():
    statistics = compute_instrument_statistics([], [ItemSpec("a", 0, 1)])

    assert statistics.n_respondents == 0
    assert statistics.mean_percent is None
    assert sum(b.count for b in statistics.histogram) == 0
    assert_json_clean(statistics)


def test_item_nobody_answered_is_undefined_in_a_survey_and_left_out_of_alpha():
    # psych::alpha drops items without variance before computing alpha; alpha is then that of
    # a and b: rows (1,2), (2,3), (4,4): V(a) = 7/3, V(b) = 1, C(a,b) = 3/2,
    # alpha = 2 * (1 - (7/3 + 1) / (7/3 + 1 + 3)) = 2 * (1 - 10/19) = 18/19.
    scores = [[1, 2, None], [2, 3, None], [4, 4, None]]
    items = [ItemSpec("a", 1, 5), ItemSpec("b", 1, 5), ItemSpec("silent", 1, 5)]

    statistics = compute_instrument_statistics(scores, items, thresholds=SURVEY_THRESHOLDS)

    silent = by_key(statistics)["silent"]
    assert (silent.n_answered, silent.n_scored) == (0, 0)
    assert silent.mean_score is None
    assert silent.facility_index is None
    assert silent.standard_deviation is None
    assert silent.discrimination_index is None
    assert silent.flags == ()
    assert statistics.reliability.alpha == pytest.approx(18 / 19)
    assert statistics.reliability.excluded_items == ("silent",)
    assert_json_clean(statistics)


def test_item_nobody_answered_scores_its_minimum_in_a_knowledge_test():
    scores = [[1, None], [0, None], [1, None]]
    items = [ItemSpec("a", 0, 1), ItemSpec("skipped", 0, 1)]

    statistics = compute_instrument_statistics(scores, items, missing_as_min=True)

    skipped = by_key(statistics)["skipped"]
    assert (skipped.n_answered, skipped.n_scored) == (0, 3)
    assert (skipped.facility_index, skipped.standard_deviation) == (0, 0)
    assert skipped.discrimination_index is None
    assert skipped.flags == (FLAG_TOO_HARD,)
    assert_json_clean(statistics)


def test_respondent_who_answered_nothing_is_left_out_of_survey_percentages():
    scores = [[5, 5], [None, None], [1, 1]]
    items = [ItemSpec(key, 1, 5) for key in "ab"]

    statistics = compute_instrument_statistics(scores, items)

    assert statistics.n_scored_respondents == 2
    assert statistics.mean_percent == pytest.approx(50)
    assert [b.count for b in statistics.histogram] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]


def test_none_and_nan_both_mean_missing():
    items = [ItemSpec(key, 0, 1) for key in "ab"]

    with_none = compute_instrument_statistics([[1, None], [0, 1], [1, 0]], items)
    with_nan = compute_instrument_statistics(np.array([[1, NAN], [0, 1], [1, 0]]), items)

    assert with_none == with_nan


def test_percentage_on_a_bin_edge_falls_in_the_bin_it_starts():
    # (0.1 + 0.7) / 2 is 40 %, but in floats 0.1 + 0.7 = 0.7999999999999999, so a plain
    # floor(fraction * 10) would put this respondent in [30, 40).
    items = [ItemSpec(key, 0, 1) for key in "ab"]

    histogram = compute_instrument_statistics([[0.1, 0.7]], items).histogram

    assert (histogram[4].lower_percent, histogram[4].count) == (40, 1)
    assert histogram[3].count == 0


def flags_by_key(scores, items, **options):
    statistics = compute_instrument_statistics(scores, items, **options)
    return {item.key: item.flags for item in statistics.items}


def test_flags_follow_moodle_thresholds():
    # a: everyone right (F = 100) -> too easy, and without variance D is None, not "low";
    # b: nobody right (F = 0) -> too hard.
    # c = 0,0,1,1 against its rest (a+b+d+e+f) = 2,2,3,3: the same shape, D = 100.
    # e = 1,0,0,0 against its rest (a+b+c+d+f) = 1,2,4,4: D < 0, below 20.
    scores = [
        [1, 0, 0, 0, 1, 0],
        [1, 0, 0, 1, 0, 0],
        [1, 0, 1, 1, 0, 1],
        [1, 0, 1, 1, 0, 1],
    ]
    items = [ItemSpec(key, 0, 1) for key in "abcdef"]

    knowledge = flags_by_key(scores, items)
    survey = flags_by_key(scores, items, thresholds=SURVEY_THRESHOLDS)
    lenient = flags_by_key(scores, items, thresholds=FlagThresholds(low_discrimination_below=-100))

    assert knowledge["a"] == (FLAG_TOO_EASY,)
    assert knowledge["b"] == (FLAG_TOO_HARD,)
    assert knowledge["c"] == ()
    assert knowledge["e"] == (FLAG_LOW_DISCRIMINATION,)
    assert survey["a"] == survey["b"] == ()
    assert survey["e"] == (FLAG_LOW_DISCRIMINATION,)
    assert lenient["e"] == ()


def test_scores_on_the_range_bounds_are_accepted():
    # -2.0 + (-0.6 - -2.0) is -0.6000000000000001 in floats: the maximum itself must not be
    # compared with min + range.
    items = [ItemSpec("a", -2.0, -0.6)]

    statistics = compute_instrument_statistics([[-0.6], [-2.0]], items)

    assert by_key(statistics)["a"].facility_index == pytest.approx(50)


@pytest.mark.parametrize(
    ("scores", "items", "message"),
    [
        ([[2]], [ItemSpec("a", 0, 1)], "outside"),
        ([[-1]], [ItemSpec("a", 0, 1)], "outside"),
        ([[1, 1]], [ItemSpec("a", 0, 1)], "matrix"),
        ([1, 1], [ItemSpec("a", 0, 1), ItemSpec("b", 0, 1)], "matrix"),
        ([[math.inf]], [ItemSpec("a", 0, 1)], "finite"),
        ([[1]], [ItemSpec("a", 1, 1)], "greater"),
        ([[1, 1]], [ItemSpec("a", 0, 1), ItemSpec("a", 0, 1)], "unique"),
        ([[]], [], "at least one item"),
    ],
)
def test_rejects_malformed_input(scores, items, message):
    with pytest.raises(ValueError, match=message):
        compute_instrument_statistics(scores, items)


def test_result_survives_a_json_round_trip():
    matrix, items = random_survey(seed=7)

    statistics = compute_instrument_statistics(matrix, items, thresholds=SURVEY_THRESHOLDS)
    stored = json.loads(json.dumps(statistics.as_dict(), allow_nan=False))

    assert stored["n_respondents"] == 60
    assert stored["items"][0]["key"] == "i0"
    assert stored["areas"][1]["item_keys"] == ["i5", "i6", "i7"]
    assert stored["reliability"]["alpha"] == pytest.approx(statistics.reliability.alpha)
    assert len(stored["histogram"]) == 10
