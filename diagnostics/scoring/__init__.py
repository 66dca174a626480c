"""Set-based scoring: the statements (sql), the batches (sets), the Celery tasks (tasks).

`responses_score`, `waiting_responses_score` and `answers_price` are the public entry points.
Modules inside this package import each other from their defining modules, never from here; the
tasks are not imported here (Celery finds them through DiagnosticsConfig.ready).
"""

from diagnostics.scoring.sets import (
    BATCH_SIZE,
    answers_price,
    responses_score,
    waiting_responses_score,
)

__all__ = ["BATCH_SIZE", "answers_price", "responses_score", "waiting_responses_score"]
