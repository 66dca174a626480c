"""Moved to diagnostics/taking/services.py; this name is kept only until branches still importing
it (the scoring tasks, the demo data) are merged. Import from diagnostics.taking.services."""

from diagnostics.taking.services import (  # noqa: F401
    SCORING_QUEUED_KEY,
    SCORING_QUEUED_SECONDS,
    TakingRefused,
    answers_insert,
    response_save_answers,
    response_start,
    response_submit,
    scoring_request,
)
