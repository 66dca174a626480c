"""What the item statistics take and give: item specs, flag thresholds, and the results as plain
dataclasses (each with ``as_dict()`` for storing as JSON). The computation is compute.py."""

import dataclasses
from dataclasses import dataclass

# Flag thresholds, on Moodle's 0-100 scales. Moodle's question bank statistics grade the
# discrimination index as very good (50 and above), adequate (30-49), weak (20-29), very weak
# (0-19) and "question probably invalid" (below 0): qbank_statistics, discrimination filter in
# lib/amd/src/local/filter/filtertypes/discrimination.js. Below 20 is "very weak" or worse.
LOW_DISCRIMINATION_BELOW = 20.0
# The Open University's guide to Moodle quiz statistics ("Moodle Quiz (iCMA) reports", 4.2
# Question statistics) reads F of 5 or less as "extremely difficult or something wrong with the
# question" and 95-100 as "extremely easy".
TOO_EASY_ABOVE = 95.0
TOO_HARD_BELOW = 5.0

FLAG_LOW_DISCRIMINATION = "low_discrimination"
FLAG_TOO_EASY = "too_easy"
FLAG_TOO_HARD = "too_hard"

HISTOGRAM_BINS = 10


@dataclass(frozen=True)
class FlagThresholds:
    """When an item is flagged; None switches a flag off."""

    low_discrimination_below: float | None = LOW_DISCRIMINATION_BELOW
    too_easy_above: float | None = TOO_EASY_ABOVE
    too_hard_below: float | None = TOO_HARD_BELOW


KNOWLEDGE_TEST_THRESHOLDS = FlagThresholds()
# A self-assessment item that everybody rates at the top is not "too easy": it has no right answer.
SURVEY_THRESHOLDS = FlagThresholds(too_easy_above=None, too_hard_below=None)


@dataclass(frozen=True)
class ItemSpec:
    """One column of the score matrix: its key, achievable score range and competence area."""

    key: str
    min_score: float
    max_score: float
    area: str | None = None


class _JsonDataclass:
    def as_dict(self) -> dict:
        """Plain dicts, lists, str, int, float and None only: what json.loads gives back."""
        return _with_lists(dataclasses.asdict(self))


def _with_lists(value):
    if isinstance(value, dict):
        return {key: _with_lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_with_lists(item) for item in value]
    return value


@dataclass(frozen=True)
class Reliability(_JsonDataclass):
    alpha: float | None
    std_alpha: float | None
    n_items: int
    excluded_items: tuple[str, ...]


@dataclass(frozen=True)
class ItemStatistic(_JsonDataclass):
    key: str
    area: str | None
    n_answered: int
    # Respondents the statistics are computed over: n_answered for surveys, everyone with
    # missing_as_min.
    n_scored: int
    mean_score: float | None
    facility_index: float | None
    standard_deviation: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    flags: tuple[str, ...]


@dataclass(frozen=True)
class AreaStatistic(_JsonDataclass):
    area: str
    item_keys: tuple[str, ...]
    n_respondents: int
    mean_percent: float | None
    reliability: Reliability


@dataclass(frozen=True)
class HistogramBin(_JsonDataclass):
    lower_percent: float
    upper_percent: float
    count: int


@dataclass(frozen=True)
class InstrumentStatistics(_JsonDataclass):
    n_respondents: int
    n_items: int
    missing_as_min: bool
    # Respondents with at least one scored answer: those in the histogram and the mean.
    n_scored_respondents: int
    mean_percent: float | None
    reliability: Reliability
    items: tuple[ItemStatistic, ...]
    areas: tuple[AreaStatistic, ...]
    histogram: tuple[HistogramBin, ...]
