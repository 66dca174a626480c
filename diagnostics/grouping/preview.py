"""The preview of a grouping run: the planned groups a methodist reads before anyone is moved.

A methodist's run is planned first (diagnostics/grouping/store.py, grouping_run_plan) and the
plan is kept on the run as JSON: each group with its members, the teachers placed with another
level or area (and why), the schools or districts too small for a group, and what the plan was
made from. Confirming is refused when that has changed (`fingerprint`), and the write itself
re-plans under the round's lock and writes only if the plan is still the one shown (`digest`).
"""

import hashlib
import json

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.utils.translation import gettext

from diagnostics.grouping import planner
from diagnostics.models import Area, GroupingRun, Level, Response
from lms.models import School


def fingerprint(round_id: int) -> dict:
    """What a preview was made from, cheaply compared when the methodist confirms: the round's
    scored diagnoses (a new or re-scored one changes the count or the latest time) and its last
    grouping written."""
    scores = Response.objects.filter(round_id=round_id, status=Response.Status.SCORED).aggregate(
        count=Count("pk"), latest=Max("scored_at")
    )
    last_run = (
        GroupingRun.objects.filter(round_id=round_id, status=GroupingRun.Status.DONE)
        .order_by("-finished_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "scored": scores["count"],
        "latest": scores["latest"].isoformat() if scores["latest"] else None,
        "last_run": last_run,
    }


def digest(made_plan: planner.Plan) -> str:
    """A short hash of who goes where: equal digests mean the same groups and members."""
    shape = [
        [
            g.key.code(),
            g.number,
            g.existing_id,
            sorted(t.teacher_id for t in g.members),
            g.mentor.teacher_id if g.mentor else None,
        ]
        for g in made_plan.groups
    ]
    shape.append(sorted(t.teacher_id for pool in made_plan.left_out for t in pool.teachers))
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:32]


def _placed_elsewhere(group: planner.PlannedGroup, options: planner.Options) -> list:
    """Members whose own level (or weakest area) is not the group's: placed here because theirs
    had fewer teachers than the smallest group."""
    return [t for t in group.members if planner.bucket_key(t, options) != group.key]


def merged_count(made_plan: planner.Plan, options: planner.Options) -> int:
    return sum(len(_placed_elsewhere(g, options)) for g in made_plan.groups)


def build(made_plan: planner.Plan, options: planner.Options, now, fingerprint: dict) -> dict:
    """The preview stored on the run (JSON): groups in reading order and the totals."""
    groups = []
    changed = 0
    used: set[int] = set()
    wanted: set[int] = set()
    for g in made_plan.groups:
        key = g.key
        group_id = g.existing_id or now.reusable.get((key.code(), g.number))
        if group_id is not None:
            used.add(group_id)
        seats = [(t, False) for t in g.members] + ([(g.mentor, True)] if g.mentor else [])
        for teacher, is_mentor in seats:
            wanted.add(teacher.teacher_id)
            place = (group_id, is_mentor, teacher.response_id)
            was = now.current.get(teacher.teacher_id)
            if group_id is None or was is None or was[1] != place:
                changed += 1
        groups.append(
            {
                "school": key.school_id,
                "region": key.region,
                "district": key.district,
                "level": key.level_id,
                "position": g.level_position,
                "area": key.weakest_area_id,
                "language": key.language,
                "number": g.number,
                "kept": g.existing_id is not None,
                "hand_placed": now.hand_placed.get(g.existing_id, 0),
                "members": [t.teacher_id for t in g.members],
                "mentor": g.mentor.teacher_id if g.mentor else None,
                "merged": [
                    [t.teacher_id, t.level_id, t.weakest_area_id]
                    for t in _placed_elsewhere(g, options)
                ],
            }
        )
    groups.sort(
        key=lambda g: (
            g["region"],
            g["district"],
            g["school"] or 0,
            g["position"],
            g["area"] or 0,
            g["language"],
            g["number"],
        )
    )
    left_out = [
        {
            "school": pool.school_id,
            "region": pool.region,
            "district": pool.district,
            "language": pool.language,
            "teachers": sorted(t.teacher_id for t in pool.teachers),
        }
        for pool in made_plan.left_out
    ]
    return {
        "fingerprint": fingerprint,
        "digest": digest(made_plan),
        "groups": groups,
        "left_out": left_out,
        "totals": {
            "groups": len(groups),
            "teachers_placed": sum(len(g["members"]) + bool(g["mentor"]) for g in groups),
            "teachers_merged": sum(len(g["merged"]) for g in groups),
            "teachers_left_out": sum(len(pool["teachers"]) for pool in left_out),
            "teachers_moved": changed,
            # Teachers in an unlocked group now whom the plan places nowhere.
            "teachers_leaving": sum(1 for teacher in now.current if teacher not in wanted),
            "groups_removed": sum(1 for pk in now.reusable.values() if pk not in used),
        },
    }


PREVIEW_GROUPS_PER_PAGE = 50


def read(run: GroupingRun, page_number) -> dict:
    """What the preview page shows of a run: one page of planned groups with their members'
    names, the places too small for a group, and the totals. Four queries whatever the size:
    names, schools, levels, areas."""
    data = run.preview or {}
    page = Paginator(data.get("groups", []), PREVIEW_GROUPS_PER_PAGE).get_page(page_number)
    left_out = data.get("left_out", [])
    teacher_ids = {t for g in page for t in g["members"]}
    teacher_ids |= {g["mentor"] for g in page if g["mentor"]}
    teacher_ids |= {t for pool in left_out for t in pool["teachers"]}
    names = dict(get_user_model().objects.filter(pk__in=teacher_ids).values_list("pk", "full_name"))
    school_ids = {g["school"] for g in page if g["school"]}
    school_ids |= {pool["school"] for pool in left_out if pool["school"]}
    schools = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "name"))
    framework_id = run.round.instrument.framework_id
    levels = {level.pk: level.name for level in Level.objects.filter(framework_id=framework_id)}
    areas = {area.pk: area.name for area in Area.objects.filter(framework_id=framework_id)}

    def where(item) -> str:
        place = schools.get(item["school"], "") if item["school"] else item["district"]
        if item["language"]:
            place = f"{place} ({item['language'].upper()})"
        return place

    rows = []
    for g in page:
        placed_from = {teacher: (level, area) for teacher, level, area in g["merged"]}
        members = []
        for teacher in g["members"]:
            reason = None
            if teacher in placed_from:
                level, area = placed_from[teacher]
                reason = _placed_reason(
                    level != g["level"], levels.get(level, ""), areas.get(area, ""), run.min_size
                )
            members.append({"name": names.get(teacher, "—"), "placed_from": reason})
        rows.append(
            {
                "where": where(g),
                "level": levels.get(g["level"], ""),
                "area": areas.get(g["area"], "") if g["area"] else "",
                "number": g["number"],
                "size": len(g["members"]) + bool(g["mentor"]) + g["hand_placed"],
                "kept": g["kept"],
                "hand_placed": g["hand_placed"],
                "mentor": names.get(g["mentor"], "—") if g["mentor"] else None,
                "members": members,
                "merged": len(placed_from),
            }
        )
    too_small = [
        {
            "where": where(pool),
            "count": len(pool["teachers"]),
            "names": sorted(names.get(t, "—") for t in pool["teachers"]),
        }
        for pool in left_out
    ]
    return {
        "page": page,
        "rows": rows,
        "too_small": too_small,
        "totals": data.get("totals", {}),
    }


def _placed_reason(other_level: bool, level: str, area: str, min_size: int) -> str:
    if other_level:
        return gettext(
            "Level “%(level)s” has fewer than %(size)d teachers here, so they learn with the "
            "nearest level."
        ) % {"level": level, "size": min_size}
    return gettext(
        "Weakest area “%(area)s” has fewer than %(size)d teachers of this level here, so they "
        "learn with another area of the same level."
    ) % {"area": area, "size": min_size}
