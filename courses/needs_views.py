"""The methodists' needs map page (courses.needs holds the queries)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from courses import access
from courses.needs import frameworks_and_rounds
from courses.needs import needs_map as build_needs_map
from lms.models import School
from lms.params import int_or_none, without_nul


@login_required
def needs_map(request):
    """Queries: session and user 2, frameworks and rounds 2, districts 1, areas and levels 2,
    the counts 1, the serving courses 3 — whatever the number of teachers."""
    if not access.may_read_needs_map(request.user):
        raise Http404
    frameworks, rounds = frameworks_and_rounds()
    round_id = int_or_none(request.GET.get("round"))
    chosen_round = next((r for r in rounds if r.pk == round_id), None)
    framework_id = int_or_none(request.GET.get("framework"))
    if chosen_round is not None:
        framework = next(f for f in frameworks if f.pk == chosen_round.instrument.framework_id)
    else:
        # The framework of the newest round by default: the one teachers were measured with.
        wanted = framework_id or (rounds[0].instrument.framework_id if rounds else None)
        framework = next((f for f in frameworks if f.pk == wanted), None) or next(
            iter(frameworks), None
        )
    districts = list(
        School.objects.values_list("district", flat=True).distinct().order_by("district")
    )
    district = without_nul(request.GET.get("district", ""))
    if district not in districts:
        district = ""
    result = build_needs_map(
        framework=framework, round_id=chosen_round.pk if chosen_round else None, district=district
    )
    return render(
        request,
        "courses/needs_map.html",
        {
            "map": result,
            "frameworks": frameworks,
            "rounds": rounds,
            "districts": districts,
            "chosen": {"round": chosen_round, "district": district, "framework": framework},
        },
    )
