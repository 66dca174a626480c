"""The SQL aggregates every report is made of: GROUP BY in the database, never a loop over rows.

A report's teachers are described once, as a Q on lms.User (which schools, which subject, how
many years of teaching); each query applies it through the relation it reads from (`prefix`).
The teachers of a report are the active teachers of its schools plus anyone who has left since
but has a scored response in the round, so "diagnosed" is never larger than "teachers".
"""

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import (
    Avg,
    Count,
    Exists,
    FilteredRelation,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)

from diagnostics.models import Area, AreaScore, GroupMembership, Level, Response, Round
from lms.models import School, User
from lms.roles import Role

SCORED = Response.Status.SCORED
TENTH = Decimal("0.1")
CACHE_SECONDS = 15 * 60


def one_decimal(value) -> Decimal | None:
    """Means are shown (and exported) to one decimal: the same rounding everywhere."""
    if value is None:
        return None
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


def with_prefix(condition: Q, prefix: str) -> Q:
    """The same condition on User, seen through a relation (`teacher__`, `response__teacher__`)."""
    if not prefix:
        return condition
    moved = Q()
    moved.connector, moved.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            moved.children.append(with_prefix(child, prefix))
        else:
            lookup, value = child
            moved.children.append((f"{prefix}{lookup}", value))
    return moved


# --- which rounds ----------------------------------------------------------------------------


def rounds_of_school(school: School) -> list[Round]:
    """Rounds the school takes part in, newest first; `scored` says if any of its teachers
    has a result (an EXISTS from the school's teachers, not a count over the whole round)."""
    results = Response.objects.filter(round=OuterRef("pk"), status=SCORED, teacher__school=school)
    return list(
        Round.objects.filter(pk__in=Round.objects.for_school(school).values("pk"))
        .select_related("instrument")
        .annotate(scored=Exists(results))
        .order_by("-opens_at", "-pk")
    )


def all_rounds() -> list[Round]:
    results = Response.objects.filter(round=OuterRef("pk"), status=SCORED)
    return list(
        Round.objects.select_related("instrument")
        .annotate(scored=Exists(results))
        .order_by("-opens_at", "-pk")
    )


def latest_scored(rounds: list[Round]) -> Round | None:
    """The newest round that has results; the newest round at all if none has yet."""
    return next((r for r in rounds if r.scored), rounds[0] if rounds else None)


def schools_in_round(round_: Round) -> QuerySet[School]:
    chosen = Q(pk__in=round_.schools.values("pk"))
    if round_.region:
        chosen |= Q(region=round_.region)
    return School.objects.filter(chosen)


def framework_of(round_: Round) -> tuple[list[Area], list[Level]]:
    framework_id = round_.instrument.framework_id
    return (
        list(Area.objects.filter(framework_id=framework_id).order_by("position", "pk")),
        list(Level.objects.filter(framework_id=framework_id).order_by("position", "pk")),
    )


# --- who -------------------------------------------------------------------------------------


def report_teachers(round_: Round, teachers: Q) -> QuerySet[User]:
    scored = Response.objects.filter(round=round_, status=SCORED).values("teacher_id")
    return User.objects.filter(teachers, role=Role.TEACHER).filter(
        Q(is_active=True) | Q(pk__in=scored)
    )


def scored_responses(round_: Round, teachers: Q) -> QuerySet[Response]:
    return Response.objects.filter(
        with_prefix(teachers, "teacher__"), round=round_, status=SCORED, teacher__role=Role.TEACHER
    )


def overall_area_scores(round_: Round, teachers: Q) -> QuerySet[AreaScore]:
    """Area scores (over all parts) of the report's scored responses.

    `response_id IN (the responses)`, a semi-join, rather than joining every area score to its
    response, teacher and school: at 100,000 teachers this halves the time (docs/reports.md).
    """
    return AreaScore.objects.filter(
        part=AreaScore.Part.ALL,
        response__in=scored_responses(round_, teachers).values("pk"),
    )


# --- aggregates ------------------------------------------------------------------------------


def headcount(round_: Round, teachers: Q, by: str | None = None) -> list[dict]:
    """The report's teachers per readiness level in the round (and per `by`, a User field
    path), in one pass: teachers LEFT JOIN their scored response.

    Rows: {"level_id", "teachers", "scored", "percent_sum"[, "by"]}. Teachers not diagnosed
    are in the rows of level None with scored 0 (a scored response without a level, which a
    band-less instrument gives, counts in "scored" there).
    """
    result = FilteredRelation(
        "diagnostic_responses",
        condition=Q(diagnostic_responses__round=round_, diagnostic_responses__status=SCORED),
    )
    keys = ["result__level_id"] + ([by] if by else [])
    rows = (
        User.objects.filter(teachers, role=Role.TEACHER)
        .annotate(result=result)
        .filter(Q(is_active=True) | Q(result__isnull=False))
        .values(*keys)
        .annotate(
            teachers=Count("pk"), scored=Count("result__pk"), percent_sum=Sum("result__percent")
        )
        .order_by()
    )
    return [
        {
            "level_id": row["result__level_id"],
            "teachers": row["teachers"],
            "scored": row["scored"],
            "percent_sum": row["percent_sum"] or Decimal(0),
            **({"by": row[by]} if by else {}),
        }
        for row in rows
    ]


def area_means(round_: Round, teachers: Q) -> dict[int, dict]:
    """Mean percent per area: {area id: {"teachers", "mean"}}.

    The one aggregate whose cost grows with the region (every area score of every teacher in
    it, for a school's "region" column as for the region page), so it is cached until a
    response of the round is scored, rescored or removed (`scores_version`), and at most
    CACHE_SECONDS, which bounds how long a teacher's changed subject or school goes unseen.
    """
    key = (
        "reports:area-means:"
        + hashlib.sha256(
            f"{round_.pk}|{scores_version(round_)}|{_condition_key(teachers)}".encode()
        ).hexdigest()
    )
    means = cache.get(key)
    if means is None:
        rows = (
            overall_area_scores(round_, teachers)
            .values("area_id")
            .annotate(teachers=Count("pk"), mean=Avg("percent"))
            .order_by()
        )
        means = {row["area_id"]: row for row in rows}
        cache.set(key, means, CACHE_SECONDS)
    return means


def scores_version(round_: Round) -> str:
    """What changes whenever the round's scored results do; asked once per round and request."""
    if not hasattr(round_, "_scores_version"):
        state = Response.objects.filter(round=round_, status=SCORED).aggregate(
            count=Count("pk"), last=Max("scored_at")
        )
        last = state["last"].isoformat() if state["last"] else "-"
        round_._scores_version = f"{state['count']}:{last}"
    return round_._scores_version


def _condition_key(condition) -> str:
    """A stable text for a Q, without running the querysets inside it."""
    if isinstance(condition, Q):
        inner = ",".join(_condition_key(child) for child in condition.children)
        return f"{'NOT ' if condition.negated else ''}{condition.connector}({inner})"
    if isinstance(condition, tuple):
        lookup, value = condition
        return f"{lookup}={_condition_key(value)}"
    if isinstance(condition, QuerySet):
        return str(condition.query)
    if isinstance(condition, Model):
        return f"{condition._meta.label}:{condition.pk}"
    return repr(condition)


def group_sizes(round_: Round, teachers: Q) -> list[dict]:
    """The study groups of the round the report's teachers are in, with how many of them."""
    return list(
        GroupMembership.objects.filter(with_prefix(teachers, "teacher__"), round=round_)
        .values("group_id", "group__name", "group__level_id", "group__school_id")
        .annotate(teachers=Count("pk"))
        .order_by("group__level__position", "group__name", "group_id")
    )


def subjects_of(teachers: QuerySet[User]) -> list[str]:
    return list(
        teachers.exclude(subject="")
        .order_by("subject")
        .values_list("subject", flat=True)
        .distinct()
    )
