"""The item-statistics task: thin, an id in. Its name is pinned to the one it had in
diagnostics/tasks.py, so messages already queued keep finding it."""

from celery import shared_task
from django.db import OperationalError

from diagnostics.models import Round


@shared_task(
    name="diagnostics.tasks.compute_round_statistics",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def compute_round_statistics(round_id: int) -> int | None:
    """Recompute a round's item statistics; returns the number of respondents.

    Only database hiccups (lost connection, lock timeout) are retried: any other error is a
    defect that retrying would repeat. The report is rewritten whole, so a rerun is harmless.
    """
    # Imported on first run: processes that import this module only to enqueue scoring need
    # not load numpy.
    from diagnostics.item_stats.report import round_statistics_compute

    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:  # deleted after the methodist asked
        return None
    return round_statistics_compute(round=round_).respondents
