"""Item statistics of a round, for methodists: read the stored report, download it as CSV, ask
for a fresh one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from diagnostics.access import round_for_statistics
from diagnostics.item_stats.export import statistics_csv_response
from diagnostics.item_stats.presentation import (
    chart_data,
    histogram_rows,
    part_sections,
    report_of,
)
from diagnostics.item_stats.tasks import compute_round_statistics
from lms.permissions import role_required
from lms.roles import Role
from lms.tasks_enqueue import enqueue_or_false


@require_http_methods(["GET", "POST"])
@role_required(Role.METHODIST)
def round_statistics(request, round_id):
    round_ = round_for_statistics(request.user, round_id)
    if request.method == "POST":
        if enqueue_or_false(compute_round_statistics, round_.pk):
            messages.info(
                request,
                _("The statistics are being recomputed. Reload this page in a moment to see them."),
            )
        else:
            messages.error(
                request,
                _(
                    "The statistics could not be recomputed now: the background service is "
                    "unreachable. Try again in a few minutes."
                ),
            )
        return redirect("diagnostics:statistics", round_id=round_.pk)
    report = report_of(round_)
    histogram = histogram_rows(report)
    return render(
        request,
        "diagnostics/statistics.html",
        {
            "round": round_,
            "report": report,
            "sections": part_sections(report, round_) if report else [],
            "histogram": histogram,
            "histogram_chart": chart_data(histogram),
        },
    )


@require_http_methods(["GET"])
@role_required(Role.METHODIST)
def round_statistics_csv(request, round_id):
    """The questions' table of the page, every row, as CSV: session, user, the round with its
    report, the questions with their areas (four queries, whatever the size)."""
    round_ = round_for_statistics(request.user, round_id)
    report = report_of(round_)
    if report is None:
        messages.warning(
            request,
            _("There is nothing to download yet: the statistics of this round are not computed."),
        )
        return redirect("diagnostics:statistics", round_id=round_.pk)
    return statistics_csv_response(
        part_sections(report, round_), filename=f"item-statistics-round-{round_.pk}"
    )
