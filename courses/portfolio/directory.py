"""The directory of innovative teachers: teachers at the creative stage, to invite as mentors.

It reads the stored stage (refreshed nightly, after certificates and after a rule change) and, for
an area, the teacher's latest scored result in it: a teacher is listed for an area when their level
there reaches what the creative-stage rules ask overall, strongest first.
"""

from django.db.models import OuterRef, Subquery

from courses.portfolio.access import directory_scope
from courses.portfolio.models import Stage, StageRule
from diagnostics.models import AreaScore, Level
from diagnostics.reports.queries import SCORED

LIMIT = 200


def creative_level_rank() -> int | None:
    ranks = StageRule.objects.filter(
        stage=Stage.CREATIVE, min_level_rank__isnull=False
    ).values_list("min_level_rank", flat=True)
    return min(ranks, default=None)


def innovative_teachers(*, viewer, area=None, district: str = "") -> list:
    teachers = (
        directory_scope(viewer)
        .filter(portfolio_profile__stage=Stage.CREATIVE, portfolio_profile__in_directory=True)
        .select_related("school")
    )
    if district:
        teachers = teachers.filter(school__district__iexact=district.strip())
    if area is None:
        return list(teachers.order_by("full_name", "pk")[:LIMIT])
    latest = AreaScore.objects.filter(
        response__teacher=OuterRef("pk"),
        response__status=SCORED,
        area=area,
        part=AreaScore.Part.ALL,
    ).order_by("-response__scored_at", "-pk")
    teachers = teachers.annotate(
        area_percent=Subquery(latest.values("percent")[:1]),
        area_level_id=Subquery(latest.values("level_id")[:1]),
        area_level_rank=Subquery(latest.values("level__position")[:1]),
    ).filter(area_percent__isnull=False)
    rank = creative_level_rank()
    if rank:
        teachers = teachers.filter(area_level_rank__gte=rank)
    rows = list(teachers.order_by("-area_percent", "full_name", "pk")[:LIMIT])
    levels = Level.objects.in_bulk({row.area_level_id for row in rows if row.area_level_id})
    for row in rows:
        row.area_level = levels.get(row.area_level_id)
    return rows
