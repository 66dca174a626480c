"""Writing a planned grouping's rows: COPY on PostgreSQL, the fastest way in for 100,000 rows,
and bulk inserts on SQLite (the embedded path `make run` uses). Both write the same rows."""

import io

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext

from diagnostics.grouping import planner
from diagnostics.models import Area, GroupMembership, StudyGroup

WRITE_BATCH = 5000


def insert_groups(run, round_, planned: list[planner.PlannedGroup], levels) -> list[int]:
    """Create these groups; returns their ids in order. COPY on PostgreSQL."""
    if not planned:
        return []
    area_ids = {g.key.weakest_area_id for g in planned if g.key.weakest_area_id}
    areas = {area.pk: area for area in Area.objects.filter(pk__in=area_ids)}
    now = timezone.now()
    labels: dict[tuple, str] = {}
    rows = []
    # Names are stored in the site's language for the admin's lists and search; pages show
    # StudyGroup.display_name in the reader's language. Thousands of groups share a handful of
    # labels, so each label is composed once.
    with translation.override(settings.LANGUAGE_CODE):
        name_format = gettext("%(group)s — %(number)s")
        for g in planned:
            key = g.key
            label_key = (key.school_id is None, key.district, key.level_id) + key[4:]
            label = labels.get(label_key)
            if label is None:
                label = labels[label_key] = StudyGroup(
                    school_id=key.school_id,
                    district=key.district,
                    level=levels[key.level_id],
                    weakest_area=areas.get(key.weakest_area_id),
                    language=key.language,
                ).label
            name = name_format % {"group": label, "number": g.number}
            rows.append((key, g.number, name, key.code()))
    if connection.vendor != "postgresql":
        groups = StudyGroup.objects.bulk_create(
            (
                StudyGroup(
                    round=round_,
                    run=run,
                    school_id=key.school_id,
                    region=key.region,
                    district=key.district,
                    level_id=key.level_id,
                    weakest_area_id=key.weakest_area_id,
                    language=key.language,
                    number=number,
                    name=name,
                    bucket=bucket,
                    created_at=now,
                )
                for key, number, name, bucket in rows
            ),
            batch_size=WRITE_BATCH,
        )
        return [group.pk for group in groups]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [StudyGroup._meta.db_table, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    common = f"{round_.pk}\t{run.pk}"
    created = now.isoformat()
    _copy_into(
        StudyGroup,
        "id, round_id, run_id, school_id, region, district, level_id, weakest_area_id, "
        "language, number, name, bucket, locked, created_at",
        (
            f"{pk}\t{common}\t{_copy_null(key.school_id)}\t{_copy_text(key.region)}\t"
            f"{_copy_text(key.district)}\t{key.level_id}\t{_copy_null(key.weakest_area_id)}\t"
            f"{_copy_text(key.language)}\t{number}\t{_copy_text(name)}\t"
            f"{_copy_text(bucket)}\tf\t{created}\n"
            for pk, (key, number, name, bucket) in zip(ids, rows, strict=True)
        ),
    )
    return ids


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(text: str) -> str:
    """Text in COPY's text format: backslash, tab and line breaks escaped."""
    return text.translate(_COPY_ESCAPES)


def _copy_null(value) -> str:
    """A value that may be missing, in COPY's text format."""
    return "\\N" if value is None else str(value)


def _copy_into(model, columns: str, lines) -> None:
    """COPY lines already in COPY's text format into the model's table (PostgreSQL)."""
    buffer = io.StringIO()
    buffer.writelines(lines)
    buffer.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)  # noqa: S608


def insert_memberships(round_id: int, rows: list[tuple]) -> None:
    """Insert (teacher, group, is_mentor, response) rows; COPY on PostgreSQL, the fastest way in."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy_into(
            GroupMembership,
            "round_id, group_id, teacher_id, response_id, is_mentor, placed_by_hand",
            (
                f"{round_id}\t{group_id}\t{teacher_id}\t{_copy_null(response_id)}\t"
                f"{is_mentor:d}\t0\n"
                for teacher_id, group_id, is_mentor, response_id in rows
            ),
        )
        return
    GroupMembership.objects.bulk_create(
        (
            GroupMembership(
                round_id=round_id,
                group_id=group_id,
                teacher_id=teacher_id,
                response_id=response_id,
                is_mentor=is_mentor,
            )
            for teacher_id, group_id, is_mentor, response_id in rows
        ),
        batch_size=WRITE_BATCH,
    )
