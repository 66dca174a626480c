from django.urls import path

from diagnostics.views import results, statistics, taking

app_name = "diagnostics"

urlpatterns = [
    # Teachers take an instrument in an open round.
    path("rounds/<int:round_id>/take/", taking.start, name="take"),
    path("responses/<int:response_id>/page/<int:page>/", taking.page, name="page"),
    path("responses/<int:response_id>/submit/", taking.submit, name="submit"),
    # Results.
    path("responses/<int:response_id>/", results.result, name="result"),
    path("responses/<int:response_id>/status/", results.status, name="status"),
    path("instruments/<int:instrument_id>/preview/", taking.preview, name="preview"),
    # Methodists: item statistics of a round.
    path("rounds/<int:round_id>/statistics/", statistics.round_statistics, name="statistics"),
]
