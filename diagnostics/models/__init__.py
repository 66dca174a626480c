"""Competence frameworks, instruments, rounds of diagnosis, responses, their scores and study
groups, one module per concern; every model is importable from `diagnostics.models`.

Texts a teacher reads (names, questions, choices, level descriptions) are translatable field by
field (diagnostics/translation.py), so teachers of different languages take one instrument and
their results compare. Scores are stored as points and as percentages of the maximum; readiness
levels come from the instrument's bands.
"""

from diagnostics.models.frameworks import Area, Framework, Level
from diagnostics.models.grouping import (
    GroupingRun,
    GroupMembership,
    StudyGroup,
    StudyGroupQuerySet,
)
from diagnostics.models.instruments import (
    AttitudeScale,
    Choice,
    Instrument,
    LevelBand,
    Question,
)
from diagnostics.models.scores import AreaScore, ItemStatisticsReport, ScaleScore
from diagnostics.models.taking import (
    Answer,
    AnswerChoice,
    Response,
    ResponseQuerySet,
    Round,
    RoundQuerySet,
)

__all__ = [
    "Answer",
    "AnswerChoice",
    "Area",
    "AreaScore",
    "AttitudeScale",
    "Choice",
    "Framework",
    "GroupMembership",
    "GroupingRun",
    "Instrument",
    "ItemStatisticsReport",
    "Level",
    "LevelBand",
    "Question",
    "Response",
    "ResponseQuerySet",
    "Round",
    "RoundQuerySet",
    "ScaleScore",
    "StudyGroup",
    "StudyGroupQuerySet",
]
