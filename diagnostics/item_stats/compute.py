"""Item statistics for diagnostic instruments: self-assessment surveys and knowledge tests.

Pure computation: a respondents x items matrix of item scores in, plain dataclasses out
(definitions.py, each with ``as_dict()`` for storing as JSON). Missing answers are NaN (``None``
is read as NaN). Everything is vectorised with numpy: a round of 100,000 respondents x 45 items
takes about a second.

Definitions
-----------
Cronbach's alpha follows R's ``psych::alpha`` with its defaults (``use="pairwise"``,
``delete=TRUE``): C is the pairwise-complete sample covariance matrix (n - 1 per pair),
alpha = k/(k-1) * (1 - trace(C)/sum(C)), and the standardised alpha is k*r/(1 + (k-1)*r) with r the
mean off-diagonal entry of ``cov2cor(C)``. Like psych, items without variance (constant, or answered
by fewer than two respondents) are left out and listed in ``Reliability.excluded_items``. Alpha is
None when fewer than two items remain, when two remaining items share fewer than two respondents,
or when sum(C) is 0.

Per item, Moodle's quiz statistics (docs.moodle.org "Quiz statistics calculations";
question/classes/statistics/questions/calculator.php):

- facility index F = 100 * (mean(x) - min) / (max - min): the mean as a percentage of the item's
  achievable range, so it is also the item's mean percentage for survey items;
- SD = 100 * sqrt(V(x)) / (max - min), V the sample variance (n - 1);
- discrimination index D = 100 * r(x, rest), the Pearson correlation of the item with the
  rest-of-test score (the total of the other items);
- discriminative efficiency = 100 * Cov(x, rest) / Cov_max, Cov_max being the covariance of the two
  columns each sorted ascending: the largest covariance these marginals allow.

Missing answers
---------------
``missing_as_min=True`` (knowledge tests, as Moodle scores a submitted attempt): an unanswered item
scores its minimum before anything is computed, so every respondent counts for every statistic.

``missing_as_min=False`` (surveys): missing is missing. F, SD and the mean use the respondents who
answered the item; alpha uses pairwise-complete covariances. The rest-of-test score of a respondent
who skipped some other items is their percentage on the other items they answered, which is the
same as filling each skipped item with that respondent's own percentage. With complete answers the
percentage is an affine function of the raw rest total, so D and the efficiency are exactly
Moodle's; respondents who answered no other item are left out of D. Percentage scores of
respondents (histogram, area and instrument means) are taken over the items they answered;
respondents who answered nothing are left out.

Undefined values (no answers, one answer, no variance) are None, never NaN.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from diagnostics.item_stats.definitions import (
    FLAG_LOW_DISCRIMINATION,
    FLAG_TOO_EASY,
    FLAG_TOO_HARD,
    HISTOGRAM_BINS,
    KNOWLEDGE_TEST_THRESHOLDS,
    AreaStatistic,
    FlagThresholds,
    HistogramBin,
    InstrumentStatistics,
    ItemSpec,
    ItemStatistic,
    Reliability,
)

# Sums of floats that are equal on paper can differ in the last bits (0.1 + 0.2 != 0.3), which
# turns "no variance" into a variance of 1e-33 and a correlation of noise. A spread below this
# fraction of the item's range is treated as none.
_SPREAD_NOISE = 1e-10
# Keeps a percentage a hair below a bin edge (69.99999999999999 for 70) in the bin it belongs to.
_BIN_EDGE_NOISE = 1e-9


def compute_instrument_statistics(
    scores,
    items: Sequence[ItemSpec],
    *,
    missing_as_min: bool = False,
    thresholds: FlagThresholds = KNOWLEDGE_TEST_THRESHOLDS,
    histogram_bins: int = HISTOGRAM_BINS,
) -> InstrumentStatistics:
    """Item, area and instrument statistics of a respondents x items score matrix.

    ``scores`` is anything numpy reads as a 2-D float array, columns in the order of ``items``;
    NaN or None marks a missing answer. Pass ``SURVEY_THRESHOLDS`` for surveys.
    Raises ValueError on a malformed matrix, item list or a score outside its item's range.
    """
    _check_items(items)
    if histogram_bins < 1:
        raise ValueError("histogram_bins must be at least 1")
    matrix = _ScoreMatrix.build(scores, items, missing_as_min=missing_as_min)
    item_sd = _column_sds(matrix.fractions)
    # psych::alpha(delete=TRUE): items without variance take no part in any alpha.
    excluded = np.isnan(item_sd) | (item_sd == 0)
    covariance, pair_counts = _pairwise_covariance(matrix.values, matrix.scored)
    respondent_fraction = _percentage_fraction(matrix.gains, matrix.scored, matrix.ranges)

    def reliability_of(columns: np.ndarray) -> Reliability:
        return _reliability(columns, covariance, pair_counts, excluded, matrix.ranges, items)

    return InstrumentStatistics(
        n_respondents=matrix.values.shape[0],
        n_items=len(items),
        missing_as_min=missing_as_min,
        n_scored_respondents=int(np.count_nonzero(~np.isnan(respondent_fraction))),
        mean_percent=_percent_or_none(_mean_or_nan(respondent_fraction)),
        reliability=reliability_of(np.arange(len(items))),
        items=_item_statistics(items, matrix, item_sd, thresholds),
        areas=_area_statistics(items, matrix, reliability_of),
        histogram=_histogram(respondent_fraction, histogram_bins),
    )


# Input --------------------------------------------------------------------------------------


def _check_items(items: Sequence[ItemSpec]) -> None:
    if not items:
        raise ValueError("an instrument needs at least one item")
    keys = [item.key for item in items]
    if len(set(keys)) != len(keys):
        raise ValueError("item keys must be unique")
    for item in items:
        if not (math.isfinite(item.min_score) and math.isfinite(item.max_score)):
            raise ValueError(f"item {item.key!r}: score range must be finite")
        if item.max_score <= item.min_score:
            raise ValueError(f"item {item.key!r}: max_score must be greater than min_score")


@dataclass(frozen=True)
class _ScoreMatrix:
    """The score matrix in the forms the statistics need, missing answers already decided."""

    answered: np.ndarray  # bool, respondent x item: an answer was given
    scored: np.ndarray  # bool: the cell takes part (answered, or any cell with missing_as_min)
    values: np.ndarray  # raw scores, NaN where not scored
    gains: np.ndarray  # score above the item's minimum, NaN where not scored
    fractions: np.ndarray  # gains as a share (0-1) of the item's range
    ranges: np.ndarray  # max - min per item

    @classmethod
    def build(cls, scores, items: Sequence[ItemSpec], *, missing_as_min: bool) -> "_ScoreMatrix":
        minimums = np.array([item.min_score for item in items], dtype=float)
        maximums = np.array([item.max_score for item in items], dtype=float)
        answers = _read_answers(scores, n_items=len(items))
        _check_within_ranges(answers, minimums, maximums, items)
        answered = ~np.isnan(answers)
        values = np.where(answered, answers, minimums) if missing_as_min else answers
        ranges = maximums - minimums
        gains = values - minimums
        return cls(
            answered=answered,
            scored=~np.isnan(values),
            values=values,
            gains=gains,
            fractions=gains / ranges,
            ranges=ranges,
        )


def _read_answers(scores, *, n_items: int) -> np.ndarray:
    matrix = np.array(scores, dtype=float)  # copies, and reads None as NaN
    if matrix.size == 0:
        matrix = matrix.reshape(0, n_items)
    if matrix.ndim != 2 or matrix.shape[1] != n_items:
        raise ValueError(f"scores must be a respondents x {n_items} items matrix")
    if np.isinf(matrix).any():
        raise ValueError("scores must be finite numbers or NaN for a missing answer")
    return matrix


def _check_within_ranges(answers, minimums, maximums, items) -> None:
    outside = (answers < minimums) | (answers > maximums)  # NaN compares False: missing is fine
    if outside.any():
        row, column = (int(index[0]) for index in np.nonzero(outside))
        item = items[column]
        raise ValueError(
            f"respondent {row}, item {item.key!r}: score {answers[row, column]} is outside "
            f"[{item.min_score}, {item.max_score}]"
        )


# Items --------------------------------------------------------------------------------------


def _item_statistics(items, matrix: _ScoreMatrix, item_sd, thresholds):
    n_answered = np.count_nonzero(matrix.answered, axis=0)
    n_scored = np.count_nonzero(matrix.scored, axis=0)
    mean_fraction = _divide_or_nan(np.nansum(matrix.fractions, axis=0), n_scored)
    mean_score = _divide_or_nan(np.nansum(matrix.values, axis=0), n_scored)
    rest_fraction = _rest_of_test_fraction(matrix.gains, matrix.scored, matrix.ranges)
    discrimination, efficiency = _item_rest_association(matrix.fractions, rest_fraction)
    statistics = []
    for column, item in enumerate(items):
        facility = _percent_or_none(mean_fraction[column])
        discrimination_index = _percent_or_none(discrimination[column])
        statistics.append(
            ItemStatistic(
                key=item.key,
                area=item.area,
                n_answered=int(n_answered[column]),
                n_scored=int(n_scored[column]),
                mean_score=_float_or_none(mean_score[column]),
                facility_index=facility,
                standard_deviation=_percent_or_none(item_sd[column]),
                discrimination_index=discrimination_index,
                discriminative_efficiency=_percent_or_none(efficiency[column]),
                flags=_flags(facility, discrimination_index, thresholds),
            )
        )
    return tuple(statistics)


def _column_sds(fractions: np.ndarray) -> np.ndarray:
    """Sample SD of each column on the 0-1 scale; NaN below two answers, 0 for float noise."""
    counts = np.count_nonzero(~np.isnan(fractions), axis=0)
    means = _divide_or_nan(np.nansum(fractions, axis=0), counts)
    squares = np.nansum((fractions - means) ** 2, axis=0)
    sds = np.sqrt(_divide_or_nan(squares, counts - 1, where=counts >= 2))
    sds[sds < _SPREAD_NOISE] = 0.0
    return sds


def _rest_of_test_fraction(gains, scored, ranges) -> np.ndarray:
    """Each respondent's percentage (0-1) on the items other than the column's, per column."""
    gained = np.where(scored, gains, 0.0)
    achievable = np.where(scored, ranges, 0.0)
    rest_gained = gained.sum(axis=1, keepdims=True) - gained
    # Subtracting the only range in a total gives exactly 0, so a respondent who answered no
    # other item gets NaN from the division, not a rest score of float noise.
    rest_achievable = achievable.sum(axis=1, keepdims=True) - achievable
    return _divide_or_nan(rest_gained, rest_achievable)


def _item_rest_association(item_fraction, rest_fraction):
    """Moodle's discrimination index and discriminative efficiency per column, as ratios.

    Both are ratios of sums of products in which Moodle's (n - 1) cancels, so they are computed
    from the sums. Only respondents with both an item score and a rest score take part.
    """
    both = ~np.isnan(item_fraction) & ~np.isnan(rest_fraction)
    x = np.where(both, item_fraction, np.nan)
    y = np.where(both, rest_fraction, np.nan)
    counts = np.count_nonzero(both, axis=0)
    x_deviation = x - _divide_or_nan(np.nansum(x, axis=0), counts)
    y_deviation = y - _divide_or_nan(np.nansum(y, axis=0), counts)
    products = np.nansum(x_deviation * y_deviation, axis=0)
    x_squares = np.nansum(x_deviation**2, axis=0)
    y_squares = np.nansum(y_deviation**2, axis=0)
    # Sorting each column ascending pairs the largest item score with the largest rest score:
    # the covariance the item would have if it ranked respondents perfectly. NaNs sort last,
    # and both columns have the same number of them, so the answered rows stay aligned.
    sorted_products = np.nansum(np.sort(x_deviation, axis=0) * np.sort(y_deviation, axis=0), axis=0)

    varies = (
        (counts >= 2)
        & (np.sqrt(_divide_or_nan(x_squares, counts - 1)) >= _SPREAD_NOISE)
        & (np.sqrt(_divide_or_nan(y_squares, counts - 1)) >= _SPREAD_NOISE)
    )
    discrimination = _divide_or_nan(products, np.sqrt(x_squares * y_squares), where=varies)
    efficiency = _divide_or_nan(products, sorted_products, where=varies)
    return discrimination, efficiency


def _flags(facility, discrimination, thresholds: FlagThresholds) -> tuple[str, ...]:
    flags = []
    low_d = thresholds.low_discrimination_below
    if low_d is not None and discrimination is not None and discrimination < low_d:
        flags.append(FLAG_LOW_DISCRIMINATION)
    if facility is not None:
        if thresholds.too_easy_above is not None and facility > thresholds.too_easy_above:
            flags.append(FLAG_TOO_EASY)
        if thresholds.too_hard_below is not None and facility < thresholds.too_hard_below:
            flags.append(FLAG_TOO_HARD)
    return tuple(flags)


# Reliability --------------------------------------------------------------------------------


def _pairwise_covariance(values, scored):
    """R's cov(x, use="pairwise"): every pair over the rows where both are present, n - 1.

    Sums of products over the joint rows come from matrix products with the missing cells set
    to 0, which keeps 100,000 x 45 to a few BLAS calls instead of a loop over pairs.
    """
    present = scored.astype(float)
    # Centring first keeps the subtraction below well conditioned; covariance ignores shifts.
    column_means = _divide_or_nan(np.nansum(values, axis=0), present.sum(axis=0))
    centred = np.where(scored, values - np.nan_to_num(column_means), 0.0)
    pair_counts = present.T @ present
    products = centred.T @ centred
    # sums[i, j]: sum of item i over the rows where item j is present (and i, being non-zero).
    sums = centred.T @ present
    with np.errstate(divide="ignore", invalid="ignore"):
        covariance = (products - sums * sums.T / pair_counts) / (pair_counts - 1)
    return covariance, pair_counts


def _reliability(columns, covariance, pair_counts, excluded, ranges, items) -> Reliability:
    used = columns[~excluded[columns]]
    excluded_keys = tuple(items[column].key for column in columns[excluded[columns]])
    k = len(used)
    block = covariance[np.ix_(used, used)]
    total_variance = block.sum()
    # The same float-noise allowance as for a single item, for the variance of the total.
    noise = (_SPREAD_NOISE * ranges[used].sum()) ** 2
    if k < 2 or (pair_counts[np.ix_(used, used)] < 2).any() or abs(total_variance) <= noise:
        return Reliability(alpha=None, std_alpha=None, n_items=k, excluded_items=excluded_keys)

    alpha = k / (k - 1) * (1 - np.trace(block) / total_variance)
    sds = np.sqrt(np.diag(block))
    correlation = block / np.outer(sds, sds)  # psych's cov2cor(C), not pairwise cor()
    mean_r = (correlation.sum() - k) / (k * (k - 1))
    std_alpha = _divide_or_nan(k * mean_r, 1 + (k - 1) * mean_r)
    return Reliability(
        alpha=_float_or_none(alpha),
        std_alpha=_float_or_none(std_alpha),
        n_items=k,
        excluded_items=excluded_keys,
    )


# Areas, respondents, histogram --------------------------------------------------------------


def _area_statistics(items, matrix: _ScoreMatrix, reliability_of):
    areas = dict.fromkeys(item.area for item in items if item.area is not None)
    statistics = []
    for area in areas:
        columns = np.array([column for column, item in enumerate(items) if item.area == area])
        area_fraction = _percentage_fraction(
            matrix.gains[:, columns], matrix.scored[:, columns], matrix.ranges[columns]
        )
        statistics.append(
            AreaStatistic(
                area=area,
                item_keys=tuple(items[column].key for column in columns),
                n_respondents=int(np.count_nonzero(~np.isnan(area_fraction))),
                mean_percent=_percent_or_none(_mean_or_nan(area_fraction)),
                reliability=reliability_of(columns),
            )
        )
    return tuple(statistics)


def _percentage_fraction(gains, scored, ranges) -> np.ndarray:
    """Each respondent's share (0-1) of the range achievable on the items scored; NaN if none.

    A 0-10 item weighs ten times a 0-1 item, as it does in a total score.
    """
    gained = np.where(scored, gains, 0.0).sum(axis=1)
    achievable = np.where(scored, ranges, 0.0).sum(axis=1)
    return _divide_or_nan(gained, achievable)


def _histogram(respondent_fraction, bins: int) -> tuple[HistogramBin, ...]:
    """Equal-width bins of the percentage score; each bin holds its lower edge, the last 100."""
    fractions = respondent_fraction[~np.isnan(respondent_fraction)]
    bin_index = np.minimum(np.floor(fractions * bins + _BIN_EDGE_NOISE).astype(int), bins - 1)
    counts = np.bincount(bin_index, minlength=bins)
    width = 100 / bins
    return tuple(
        HistogramBin(lower_percent=index * width, upper_percent=(index + 1) * width, count=int(n))
        for index, n in enumerate(counts)
    )


# Numbers ------------------------------------------------------------------------------------


def _divide_or_nan(numerator, denominator, where=None):
    numerator, denominator = np.broadcast_arrays(
        np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    )
    defined = denominator != 0
    if where is not None:
        defined = defined & where
    return np.divide(numerator, denominator, out=np.full(numerator.shape, np.nan), where=defined)


def _mean_or_nan(values: np.ndarray) -> float:
    present = values[~np.isnan(values)]
    return float(present.mean()) if present.size else math.nan


def _float_or_none(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _percent_or_none(fraction) -> float | None:
    value = _float_or_none(fraction)
    return None if value is None else 100 * value
