"""The methodists' authoring services, one module per concern: locking, level bands (thresholds),
language completeness, the dry run, new versions. GIFT import lives with the other file formats
in diagnostics/interchange/.

The admin (diagnostics/admin/) and the operators' management commands call these functions as
`authoring.<name>`; the checks and the dry run are pure functions over plain values, so they are
tested without a browser and read the same wherever they are used.
"""

from diagnostics.authoring.dry_runs import (
    DRY_RUN_RESPONDENTS,
    DRY_RUN_SEED,
    AnswerSpace,
    DryRun,
    LevelReach,
    ScopeRange,
    ShareRow,
    answer_space,
    dry_run,
    percent_of,
)
from diagnostics.authoring.languages import (
    CHOICE_TEXTS,
    INSTRUMENT_TEXTS,
    LANGUAGES,
    QUESTION_TEXTS,
    LanguageCompleteness,
    language_completeness,
)
from diagnostics.authoring.level_bands import (
    BandRow,
    ScoredItem,
    band_problems,
    instrument_band_problems,
    scope_maxima,
    scored_item,
    stored_scored_items,
)
from diagnostics.authoring.locking import (
    AREA_SCORING_FIELDS,
    BAND_FIELDS,
    CHOICE_SCORING_FIELDS,
    INSTRUMENT_SCORING_FIELDS,
    LEVEL_SCORING_FIELDS,
    QUESTION_SCORING_FIELDS,
    SCALE_SCORING_FIELDS,
    InstrumentLockedError,
    framework_locked,
    has_answers,
    instrument_locked,
)
from diagnostics.authoring.publishing import publish_problems, question_name, question_problem
from diagnostics.authoring.versions import instrument_new_version

__all__ = [
    "AREA_SCORING_FIELDS",
    "BAND_FIELDS",
    "CHOICE_SCORING_FIELDS",
    "CHOICE_TEXTS",
    "DRY_RUN_RESPONDENTS",
    "DRY_RUN_SEED",
    "INSTRUMENT_SCORING_FIELDS",
    "INSTRUMENT_TEXTS",
    "LANGUAGES",
    "LEVEL_SCORING_FIELDS",
    "QUESTION_SCORING_FIELDS",
    "QUESTION_TEXTS",
    "SCALE_SCORING_FIELDS",
    "AnswerSpace",
    "BandRow",
    "DryRun",
    "InstrumentLockedError",
    "LanguageCompleteness",
    "LevelReach",
    "ScopeRange",
    "ScoredItem",
    "ShareRow",
    "answer_space",
    "band_problems",
    "dry_run",
    "framework_locked",
    "has_answers",
    "instrument_band_problems",
    "instrument_locked",
    "instrument_new_version",
    "language_completeness",
    "percent_of",
    "publish_problems",
    "question_name",
    "question_problem",
    "scope_maxima",
    "scored_item",
    "stored_scored_items",
]
