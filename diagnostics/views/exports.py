"""A round's responses for a statistics package, for methodists (diagnostics/response_export/).

Reached from the round's page in the admin ("Export responses") and the rounds' admin action.
Teachers and heads are refused (403), strangers sent to sign in, an unknown round is 404.
Every export is recorded in the round's admin history: who took which file, with names or not.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db.models import Count
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from diagnostics.access import round_for_export
from diagnostics.models import Response
from diagnostics.response_export import (
    XLSX_TYPE,
    ResponseExportForm,
    csv_lines,
    export_plan,
    xlsx_file,
)
from lms.permissions import role_required
from lms.roles import Role


@require_http_methods(["GET", "POST"])
@role_required(Role.METHODIST)
def export_responses(request, round_id):
    round_ = round_for_export(request.user, round_id)
    form = ResponseExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data
        plan = export_plan(
            round_=round_, include_names=choice["include_names"], which=choice["which"]
        )
        _record(request.user, round_, choice["format"], choice["include_names"])
        filename = export_filename(round_, choice["format"])
        if choice["format"] == "xlsx":
            return FileResponse(
                xlsx_file(plan), as_attachment=True, filename=filename, content_type=XLSX_TYPE
            )
        response = StreamingHttpResponse(csv_lines(plan), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    counts = dict(
        Response.objects.filter(round=round_)
        .values_list("status")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return render(
        request,
        "diagnostics/export_responses.html",
        {
            "round": round_,
            "form": form,
            "counts": [(label, counts.get(status, 0)) for status, label in Response.Status.choices],
        },
    )


def export_filename(round_, fmt: str) -> str:
    """The round's title as a slug (in its own script) and today's date:
    "kuz-2026-responses-2026-12-05.xlsx"."""
    slug = slugify(round_.title, allow_unicode=True)[:60].strip("-") or f"round-{round_.pk}"
    return f"{slug}-responses-{timezone.localdate().isoformat()}.{fmt}"


def _record(user, round_, fmt: str, with_names: bool) -> None:
    if with_names:
        message = _("Exported the responses as %(format)s with teachers' names and schools.")
    else:
        message = _("Exported the responses as %(format)s with teacher codes.")
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[round_],
        action_flag=CHANGE,
        change_message=message % {"format": fmt.upper()},
        single_object=True,
    )
