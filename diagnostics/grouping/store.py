"""Running a grouping: load the scored teachers, keep what a methodist fixed, write the plan.

One run is one transaction: a worker killed half-way leaves the previous groups untouched and
the run "running", and the retried task does the whole run again. Two runs of one round wait
for each other on the round's row instead of interleaving their deletes and inserts. The rows
themselves are written by diagnostics/grouping/writers.py (COPY on PostgreSQL, bulk inserts on
SQLite).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, FloatField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from diagnostics.grouping import planner, preview
from diagnostics.grouping.writers import WRITE_BATCH, insert_groups, insert_memberships
from diagnostics.models import (
    AreaScore,
    GroupingRun,
    GroupMembership,
    Level,
    Response,
    Round,
    StudyGroup,
)
from lms.roles import Role

# The options a run is started with (besides its round), as GroupingRun fields.
RUN_OPTIONS = (
    "scope",
    "size_limit",
    "min_size",
    "strategy",
    "keep_language_together",
    "mentors",
)


def round_lock(round_id: int) -> None:
    """Take the round's row lock (inside a transaction) that a grouping run holds throughout.

    A hand move or a lock waits here for a running grouping instead of changing the rows it is
    replacing, and a second run of the round waits for the first.
    """
    list(Round.objects.select_for_update().filter(pk=round_id).order_by().values_list("pk"))


def grouping_run_record(
    *,
    round: Round,
    started_by=None,
    scope: str = GroupingRun.Scope.SCHOOL,
    size_limit: int = 20,
    min_size: int = GroupingRun.DEFAULT_MIN_SIZE,
    strategy: str = GroupingRun.Strategy.LEVEL,
    keep_language_together: bool = False,
    mentors: bool = False,
    automatic: bool = False,
    status: str = GroupingRun.Status.RUNNING,
) -> GroupingRun:
    """The record of a run about to be planned (status "planning") or written ("running");
    its task is queued by the caller."""
    return GroupingRun.objects.create(
        round=round,
        started_by=started_by,
        status=status,
        scope=scope,
        size_limit=size_limit,
        min_size=min_size,
        strategy=strategy,
        keep_language_together=keep_language_together,
        mentors=mentors,
        automatic=automatic,
    )


def last_run_options(*, round: Round) -> dict:
    """The options of the round's last finished run; none (the defaults) if it has none."""
    last = (
        GroupingRun.objects.filter(round=round, status=GroupingRun.Status.DONE)
        .order_by("-started_at", "-pk")
        .values(*RUN_OPTIONS)
        .first()
    )
    return last or {}


def options_of(run: GroupingRun) -> planner.Options:
    return planner.Options(
        by_district=run.scope == GroupingRun.Scope.DISTRICT,
        size_limit=run.size_limit,
        min_size=run.min_size,
        by_weakest_area=run.strategy == GroupingRun.Strategy.WEAKEST_AREA,
        keep_language_together=run.keep_language_together,
        mentors=run.mentors,
    )


def scored_teachers(
    round_id: int, *, with_weakest_area: bool, with_district: bool = True
) -> list[planner.Teacher]:
    """Every scored teacher of the round, in one query (the weakest area and the school's
    region and district only when the options need them: they cost a subquery and a join)."""
    responses = Response.objects.filter(
        round_id=round_id,
        status=Response.Status.SCORED,
        level__isnull=False,
        teacher__role=Role.TEACHER,
        teacher__is_active=True,
        teacher__school__isnull=False,
    ).order_by()
    # Floats, not Decimals: psycopg2 builds a Decimal from text, ten times slower per row.
    responses = responses.annotate(score=Cast("percent", FloatField()))
    columns = [
        "teacher_id",
        "pk",
        "teacher__school_id",
        "level_id",
        "level__position",
        "language",
        "teacher__preferred_language",
        "score",
    ]
    if with_weakest_area:
        # The lowest area of the whole instrument; ties go to the area that comes first.
        weakest = (
            AreaScore.objects.filter(response=OuterRef("pk"), part=AreaScore.Part.ALL)
            .order_by("percent", "area__position", "area_id")
            .values("area_id")[:1]
        )
        responses = responses.annotate(weakest_area_id=Subquery(weakest))
        columns.append("weakest_area_id")
    if with_district:
        columns += ["teacher__school__region", "teacher__school__district"]
    teachers = []
    for row in responses.values_list(*columns):
        teacher, response, school, level, position, taken_in, preferred, score = row[:8]
        extra = row[8:]
        weakest_area = extra[0] if with_weakest_area else None
        region, district = extra[-2:] if with_district else ("", "")
        teachers.append(
            planner.Teacher(
                teacher_id=teacher,
                response_id=response,
                school_id=school,
                region=region,
                district=district,
                level_id=level,
                level_position=position,
                weakest_area_id=weakest_area,
                language=(taken_in or preferred or "").split("-")[0].lower(),
                percent=score or 0.0,
            )
        )
    return teachers


def grouping_run_execute(*, run_id: int) -> GroupingRun | None:
    """Do the run; a run already done is left as it is, so a retried task changes nothing."""
    started = time.monotonic()
    with transaction.atomic():
        run = GroupingRun.objects.select_for_update().filter(pk=run_id).first()
        # Only a confirmed run (or one started by new scores) is written; one done, waiting
        # for confirmation or cancelled is left as it is.
        if run is None or run.status != GroupingRun.Status.RUNNING:
            return run
        # Serialises runs of one round: a second run waits here until the first commits and
        # then plans from the groups the first one left.
        round_lock(run.round_id)
        round_ = Round.objects.select_related("instrument").get(pk=run.round_id)
        summary = _replace_groups(run, round_)
        if summary is None:
            run.status = GroupingRun.Status.OUTDATED
        else:
            summary["seconds"] = round(time.monotonic() - started, 2)
            run.summary = summary
            run.status = GroupingRun.Status.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["summary", "status", "finished_at"])
    return run


def grouping_run_plan(*, run_id: int) -> GroupingRun | None:
    """Plan a run without moving anyone and keep the plan on the run for the methodist's
    preview; a run no longer waiting for its plan (cancelled meanwhile) is left as it is."""
    run = GroupingRun.objects.filter(pk=run_id).first()
    if run is None or run.status != GroupingRun.Status.PLANNING:
        return run
    round_ = Round.objects.select_related("instrument").get(pk=run.round_id)
    # Taken before the teachers are read: a score landing while planning makes the preview
    # out of date rather than missed.
    fingerprint = preview.fingerprint(round_.pk)
    now = round_groups(round_)
    made_plan, _levels = plan_round(run, round_, now)
    stored = preview.build(made_plan, options_of(run), now, fingerprint)
    GroupingRun.objects.filter(pk=run_id, status=GroupingRun.Status.PLANNING).update(
        status=GroupingRun.Status.PLANNED, preview=stored
    )
    run.refresh_from_db()
    return run


def grouping_run_fail(*, run_id: int, error: str) -> None:
    GroupingRun.objects.filter(pk=run_id).exclude(status=GroupingRun.Status.DONE).update(
        status=GroupingRun.Status.FAILED, finished_at=timezone.now(), summary={"error": error}
    )


def stale_grouping_runs_claim(*, now=None) -> tuple[list[int], list[int], list[int]]:
    """Runs planning or running whose task was queued more than WORK_DEADLINE ago: their worker
    stopped. Each is claimed once and either queued again (the caller sends its task) or, after
    WORK_MAX_ATTEMPTS, failed with the reason. Returns (to plan, to run, failed) run ids.

    The deadline exceeds the tasks' hard time limit, so a run still running is never claimed; a
    run whose row a live task holds is skipped (SKIP LOCKED), and the claim is an UPDATE guarded
    by the status and queued time read, so two sweepers never both claim one run.
    """
    now = now or timezone.now()
    Status = GroupingRun.Status
    to_plan, to_run, failed = [], [], []
    with transaction.atomic():
        stale = list(
            GroupingRun.objects.select_for_update(skip_locked=True)
            .filter(
                status__in=[Status.PLANNING, Status.RUNNING],
                queued_at__lt=now - settings.WORK_DEADLINE,
            )
            .order_by("pk")
            .values_list("pk", "status", "queued_at", "attempts")[:100]
        )
        for pk, status, queued_at, attempts in stale:
            claim = GroupingRun.objects.filter(pk=pk, status=status, queued_at=queued_at)
            if attempts < settings.WORK_MAX_ATTEMPTS:
                if claim.update(queued_at=now, restarted_at=now, attempts=F("attempts") + 1):
                    (to_plan if status == Status.PLANNING else to_run).append(pk)
            elif claim.update(
                status=Status.FAILED, finished_at=now, summary={"stopped_after": attempts}
            ):
                failed.append(pk)
    return to_plan, to_run, failed


@dataclass
class RoundGroups:
    """The round's groups as a run finds them: what stays, what may be reused or replaced."""

    locked_ids: set[int]
    # Teachers in locked groups or placed by hand: they stay where they are.
    kept_teachers: set[int]
    # Unlocked groups holding teachers placed by hand, with how many.
    hand_placed: dict[int, int]
    # Every other member: teacher -> (membership id, (group, is mentor, response)).
    current: dict[int, tuple]
    anchored: list[planner.AnchoredGroup]
    taken: dict[str, set[int]]
    # Unlocked groups without hand-placed members, by (bucket, number).
    reusable: dict[tuple[str, int], int]


def round_groups(round_: Round) -> RoundGroups:
    groups = list(
        StudyGroup.objects.filter(round=round_)
        .order_by()
        .values_list("pk", "bucket", "number", "locked")
    )
    locked_ids = {pk for pk, _bucket, _number, locked in groups if locked}
    # Every membership of the round in one query: those in locked groups or placed by hand
    # stay; the others are compared with the plan.
    kept_teachers: set[int] = set()
    hand_placed: dict[int, int] = {}
    current: dict[int, tuple] = {}
    for pk, teacher_id, group_id, is_mentor, response_id, by_hand in (
        GroupMembership.objects.filter(round=round_)
        .order_by()
        .values_list("pk", "teacher_id", "group_id", "is_mentor", "response_id", "placed_by_hand")
    ):
        if group_id in locked_ids or by_hand:
            kept_teachers.add(teacher_id)
            if group_id not in locked_ids:
                hand_placed[group_id] = hand_placed.get(group_id, 0) + 1
        else:
            current[teacher_id] = (pk, (group_id, is_mentor, response_id))
    anchored = []
    taken: dict[str, set[int]] = {}
    reusable: dict[tuple[str, int], int] = {}
    for pk, bucket, number, locked in groups:
        if locked or pk in hand_placed:
            taken.setdefault(bucket, set()).add(number)
        else:
            reusable[(bucket, number)] = pk
        if pk in hand_placed and not locked:
            anchored.append(planner.AnchoredGroup(pk, bucket, number, hand_placed[pk]))
    return RoundGroups(locked_ids, kept_teachers, hand_placed, current, anchored, taken, reusable)


def plan_round(run: GroupingRun, round_: Round, now: RoundGroups) -> tuple[planner.Plan, dict]:
    """The plan of this run for the round's scored teachers, and the framework's levels."""
    options = options_of(run)
    teachers = [
        t
        for t in scored_teachers(
            round_.pk,
            with_weakest_area=options.by_weakest_area,
            with_district=options.by_district,
        )
        if t.teacher_id not in now.kept_teachers
    ]
    levels = {level.pk: level for level in Level.objects.filter(framework_id=_framework(round_))}
    top = max((level.position for level in levels.values()), default=None)
    made = planner.make_plan(
        teachers,
        options,
        top_level_position=top,
        anchored=now.anchored,
        taken_numbers=now.taken,
    )
    return made, levels


def _replace_groups(run: GroupingRun, round_: Round) -> dict | None:
    """Write the run's plan; None (and nothing written) when a confirmed preview no longer
    matches the plan the round's scores and groups give now."""
    now = round_groups(round_)
    made_plan, levels = plan_round(run, round_, now)
    if run.preview and run.preview.get("digest") != preview.digest(made_plan):
        return None
    planned = made_plan.groups
    made, changed = _write(run, round_, planned, levels, now.reusable, now.current)
    placed = sum(len(g.members) + (g.mentor is not None) for g in planned)
    # A refilled group also holds its teachers placed by hand.
    sizes = [
        len(g.members) + (g.mentor is not None) + now.hand_placed.get(g.existing_id, 0)
        for g in planned
    ]
    merged = preview.merged_count(made_plan, options_of(run))
    return {
        "teachers_placed": placed,
        "groups": len(planned),
        "groups_made": made,
        "groups_refilled": len(now.anchored),
        "locked_groups_kept": len(now.locked_ids),
        "teachers_kept": len(now.kept_teachers),
        "mentors": sum(1 for g in planned if g.mentor is not None),
        "largest_group": max(sizes, default=0),
        "smallest_group": min(sizes, default=0),
        "teachers_merged": merged,
        "teachers_left_out": sum(len(pool.teachers) for pool in made_plan.left_out),
        "teachers_moved": changed,
    }


def _framework(round_: Round) -> int:
    return round_.instrument.framework_id


def _write(run, round_, planned, levels, reusable, current) -> tuple[int, int]:
    """Make the round's groups match the plan, touching only rows that change.

    A planned group takes the row of the old unlocked group with the same bucket and number
    (so its page keeps its address); a teacher whose group, mentor role and response are
    unchanged keeps their row. `current` maps each re-planned teacher to their membership row
    and place. Returns how many groups were made and how many teachers changed place.
    """
    group_ids, made = _groups_for(run, round_, planned, levels, reusable)
    wanted = {}
    for g, group_id in zip(planned, group_ids, strict=True):
        for t in g.members:
            wanted[t.teacher_id] = (group_id, False, t.response_id)
        if g.mentor is not None:
            wanted[g.mentor.teacher_id] = (group_id, True, g.mentor.response_id)
    stale = [pk for teacher, (pk, now) in current.items() if wanted.get(teacher) != now]
    fresh = [
        (teacher, *place)
        for teacher, place in wanted.items()
        if teacher not in current or current[teacher][1] != place
    ]
    if stale and len(stale) == len(current):
        GroupMembership.objects.filter(
            round=round_, group__locked=False, placed_by_hand=False
        ).delete()
    else:
        for start in range(0, len(stale), WRITE_BATCH):
            GroupMembership.objects.filter(pk__in=stale[start : start + WRITE_BATCH]).delete()
    insert_memberships(round_.pk, fresh)
    # Old groups the plan did not reuse are empty now.
    leftover = list(reusable.values())
    for start in range(0, len(leftover), WRITE_BATCH):
        StudyGroup.objects.filter(pk__in=leftover[start : start + WRITE_BATCH]).delete()
    return made, len(fresh)


def _groups_for(run, round_, planned, levels, reusable) -> tuple[list[int], int]:
    """The row id of each planned group: kept, reused (now of this run), or created here."""
    ids: list[int | None] = []
    kept_ids = []
    new = []
    for g in planned:
        group_id = g.existing_id or reusable.pop((g.key.code(), g.number), None)
        ids.append(group_id)
        if group_id is None:
            new.append(g)
        else:
            kept_ids.append(group_id)
    created = iter(insert_groups(run, round_, new, levels))
    if kept_ids:
        # The groups this run re-planned are its groups now (locked ones keep their run).
        StudyGroup.objects.filter(round=round_, locked=False).exclude(run=run).update(run=run)
    ids = [group_id if group_id is not None else next(created) for group_id in ids]
    return ids, len(new)
