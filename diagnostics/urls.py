from django.urls import path

from diagnostics.views import exports, groups, one_form, reports, results, statistics, taking

app_name = "diagnostics"

urlpatterns = [
    # Teachers take an instrument in an open round.
    path("rounds/<int:round_id>/take/", taking.start, name="take"),
    path("responses/<int:response_id>/page/<int:page>/", taking.page, name="page"),
    path("responses/<int:response_id>/submit/", taking.submit, name="submit"),
    # The same, the whole instrument in one form (its areas are steps shown by the script).
    path("responses/<int:response_id>/form/", one_form.one_form, name="form"),
    # Results.
    path("responses/<int:response_id>/", results.result, name="result"),
    path("responses/<int:response_id>/status/", results.status, name="status"),
    path("instruments/<int:instrument_id>/preview/", taking.preview, name="preview"),
    # Methodists: item statistics of a round.
    path("rounds/<int:round_id>/statistics/", statistics.round_statistics, name="statistics"),
    path(
        "rounds/<int:round_id>/statistics/export.csv",
        statistics.round_statistics_csv,
        name="statistics-csv",
    ),
    # Methodists: a round's responses for a statistics package.
    path(
        "rounds/<int:round_id>/responses/export/",
        exports.export_responses,
        name="export-responses",
    ),
    # Study groups.
    path("groups/<int:group_id>/", groups.group, name="group"),
    path("rounds/<int:round_id>/groups/", groups.round_groups, name="groups"),
    # Readiness reports: a school's round, growth between rounds, the region.
    path("reports/schools/<int:school_id>/", reports.school_report_page, name="school-report"),
    path(
        "reports/schools/<int:school_id>/print/",
        reports.school_report_page,
        {"printable": True},
        name="school-report-print",
    ),
    path(
        "reports/schools/<int:school_id>/export.<str:fmt>",
        reports.school_report_export,
        name="school-report-export",
    ),
    path(
        "reports/schools/<int:school_id>/growth/", reports.school_growth_page, name="school-growth"
    ),
    path(
        "reports/schools/<int:school_id>/growth/print/",
        reports.school_growth_page,
        {"printable": True},
        name="school-growth-print",
    ),
    path(
        "reports/schools/<int:school_id>/growth/export.<str:fmt>",
        reports.school_growth_export,
        name="school-growth-export",
    ),
    path("reports/region/", reports.region_report_page, name="region-report"),
    path(
        "reports/region/print/",
        reports.region_report_page,
        {"printable": True},
        name="region-report-print",
    ),
    path(
        "reports/region/export.<str:fmt>", reports.region_report_export, name="region-report-export"
    ),
]
