"""Where Celery's autodiscovery finds the app's tasks; each task lives with its concern.

Every task's name is pinned to `diagnostics.tasks.<name>` where it is defined, so messages already
queued and beat entries keep working whatever module holds the code.
"""

from diagnostics.grouping.tasks import (
    group_teachers,
    plan_grouping,
    regroup_round,
    sweep_stale_grouping_runs,
)
from diagnostics.item_stats.tasks import compute_round_statistics
from diagnostics.scoring.tasks import (
    requeue_stale_submissions,
    rescore_round,
    score_waiting_responses,
)

__all__ = [
    "compute_round_statistics",
    "group_teachers",
    "plan_grouping",
    "regroup_round",
    "requeue_stale_submissions",
    "rescore_round",
    "score_waiting_responses",
    "sweep_stale_grouping_runs",
]
