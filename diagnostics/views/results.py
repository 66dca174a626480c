from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from diagnostics.access import response_for_reader
from diagnostics.models import Response
from diagnostics.panels import result_panels
from diagnostics.taking.results import result_view
from lms.permissions import role_required
from lms.roles import Role


def chart_data(view) -> dict:
    data = {
        "labels": [a.area.name for a in view.areas],
        "values": [float(a.percent) for a in view.areas],
        "label": _("This round"),
    }
    if view.compared_with:
        data["previous"] = [
            float(a.previous_percent) if a.previous_percent is not None else None
            for a in view.areas
        ]
        data["previousLabel"] = _("Last time")
    return data


@role_required(Role.TEACHER, Role.METHODIST)
def result(request, response_id):
    response = response_for_reader(request.user, response_id)
    if response.status == Response.Status.DRAFT:
        return render(request, "diagnostics/result_draft.html", {"response": response})
    if response.status != Response.Status.SCORED:
        return render(request, "diagnostics/result_scoring.html", {"response": response})
    view = result_view(response)
    context = {
        "result": view,
        "chart_data": chart_data(view),
        # Other apps' evidence beside the levels (courses completed per area).
        "panels": result_panels(request, response),
    }
    return render(request, "diagnostics/result.html", context)


@role_required(Role.TEACHER, Role.METHODIST)
def status(request, response_id):
    """Polled by the "scoring" page; once scored, htmx reloads the page to show the result."""
    response = response_for_reader(request.user, response_id)
    if response.status == Response.Status.SCORED:
        reply = HttpResponse(status=200)
        reply["HX-Refresh"] = "true"
        return reply
    return render(request, "diagnostics/_scoring_status.html", {"response": response})
