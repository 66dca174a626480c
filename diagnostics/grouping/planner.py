"""Planning study groups: pure functions from scored teachers and options to groups.

Nothing here touches the database, so the rules are tested directly and 100,000 teachers plan in
well under a second (plain tuples, one sort per bucket). diagnostics/grouping/store.py loads the
rows, keeps what a methodist fixed by hand and writes the plan.

Rules (docs/grouping.md explains them to methodists):

- A *bucket* is the set of teachers who may share a group: the same school (or district), the
  same readiness level and, when asked for, the same weakest area and the same language.
- A bucket of n teachers with size limit L becomes k = ceil(n / L) groups whose sizes differ by at
  most one (23 with L = 20 make 12 + 11, not 20 + 3). Teachers are taken in order of their score,
  so each group is also as close in score as the split allows.
- Mentor mode lends the strongest teachers of the top level, one to each lower-level group of
  their school (or district, and language when kept together), lowest level first, while at
  least MENTOR_PEERS_KEPT top-level teachers remain to learn together. Lower-level groups are then
  planned one seat short of the limit, so a mentor never pushes a group over it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

# Top-level teachers who stay together in their own group before any is lent as a mentor: a
# "group" of one would be a teacher learning alone.
MENTOR_PEERS_KEPT = 2


class Teacher(NamedTuple):
    """One scored teacher of the round, as the planner needs them."""

    teacher_id: int
    response_id: int | None
    school_id: int | None
    region: str
    district: str
    level_id: int
    level_position: int
    weakest_area_id: int | None
    language: str
    percent: float


@dataclass(frozen=True)
class Options:
    by_district: bool = False
    size_limit: int = 20
    by_weakest_area: bool = False
    keep_language_together: bool = False
    mentors: bool = False


class BucketKey(NamedTuple):
    """Who may share a group. `school_id` is None for a district-wide bucket."""

    school_id: int | None
    region: str
    district: str
    level_id: int
    weakest_area_id: int | None
    language: str

    def code(self) -> str:
        """A stable text form, stored on each group (unique with its number within a round)."""
        where = f"s{self.school_id}" if self.school_id is not None else _district_code(self)
        area = self.weakest_area_id if self.weakest_area_id is not None else "-"
        return f"{where}|l{self.level_id}|a{area}|{self.language or '-'}"


def _district_code(key: BucketKey) -> str:
    # Region and district names may be long and hold any character; the code must stay short.
    import hashlib

    digest = hashlib.sha1(f"{key.region}\0{key.district}".encode(), usedforsecurity=False)
    return "d" + digest.hexdigest()[:20]


@dataclass
class PlannedGroup:
    key: BucketKey
    number: int
    level_position: int
    members: list[Teacher] = field(default_factory=list)
    mentor: Teacher | None = None
    existing_id: int | None = None  # a kept group refilled around its hand-placed members


@dataclass(frozen=True)
class AnchoredGroup:
    """An unlocked group that keeps its hand-placed members; the planner fills it up."""

    group_id: int
    bucket: str
    number: int
    hand_placed: int


def even_sizes(count: int, limit: int, *, at_least: int = 0) -> list[int]:
    """Sizes of the fewest groups of at most `limit` (and at least `at_least` groups) for `count`
    teachers, differing by at most one, larger first: even_sizes(23, 20) == [12, 11]."""
    if limit < 1:
        raise ValueError("The size limit must be at least 1.")
    if count <= 0:
        return [0] * at_least
    groups = max(-(-count // limit), at_least)
    base, extra = divmod(count, groups)
    return [base + 1] * extra + [base] * (groups - extra)


def bucket_key(teacher: Teacher, options: Options) -> BucketKey:
    return BucketKey(
        school_id=None if options.by_district else teacher.school_id,
        region=teacher.region if options.by_district else "",
        district=teacher.district if options.by_district else "",
        level_id=teacher.level_id,
        weakest_area_id=teacher.weakest_area_id if options.by_weakest_area else None,
        language=teacher.language if options.keep_language_together else "",
    )


def _score_order(teacher: Teacher):
    return (teacher.percent, teacher.teacher_id)


def plan(
    teachers: Iterable[Teacher],
    options: Options,
    *,
    top_level_position: int | None = None,
    anchored: Iterable[AnchoredGroup] = (),
    taken_numbers: dict[str, set[int]] | None = None,
) -> list[PlannedGroup]:
    """Groups for these teachers: deterministic, whatever order the teachers come in.

    `anchored` groups already hold hand-placed members and are filled before new groups are
    made in their bucket; `taken_numbers` are numbers of kept (locked or anchored) groups, which
    new groups of the same bucket skip.
    """
    buckets: dict[BucketKey, list[Teacher]] = defaultdict(list)
    for teacher in teachers:
        buckets[bucket_key(teacher, options)].append(teacher)
    anchored_by_bucket: dict[str, list[AnchoredGroup]] = defaultdict(list)
    for group in anchored:
        anchored_by_bucket[group.bucket].append(group)
    taken = {code: set(numbers) for code, numbers in (taken_numbers or {}).items()}

    def is_top(key: BucketKey) -> bool:
        return top_level_position is not None and key_level[key] >= top_level_position

    key_level = {key: members[0].level_position for key, members in buckets.items()}
    lending = _lending_pools(buckets, is_top) if options.mentors else {}
    planned: list[PlannedGroup] = []
    # Lower levels first: how many groups they make decides how many mentors are lent.
    for key in sorted((k for k in buckets if not is_top(k)), key=_bucket_order):
        # A lower-level group keeps a seat for its mentor, so the mentor never breaks the limit.
        seats = options.size_limit - 1 if _pool_of(key) in lending else options.size_limit
        planned.extend(
            _split_bucket(
                key, buckets[key], max(seats, 1), key_level[key], anchored_by_bucket, taken
            )
        )
    lower_by_pool: dict[tuple, list[PlannedGroup]] = defaultdict(list)
    for group in planned:
        lower_by_pool[_pool_of(group.key)].append(group)
    for pool, top_teachers in lending.items():
        lower = sorted(
            lower_by_pool.get(pool, ()),
            key=lambda g: (g.level_position, _bucket_order(g.key), g.number),
        )
        lent = top_teachers[: min(len(lower), len(top_teachers) - MENTOR_PEERS_KEPT)]
        for group, mentor in zip(lower, lent, strict=False):
            group.mentor = mentor
            buckets[bucket_key(mentor, options)].remove(mentor)
    for key in sorted((k for k in buckets if is_top(k)), key=_bucket_order):
        planned.extend(
            _split_bucket(
                key, buckets[key], options.size_limit, key_level[key], anchored_by_bucket, taken
            )
        )
    return planned


def _bucket_order(key: BucketKey):
    return (
        key.region,
        key.district,
        key.school_id or 0,
        key.level_id,
        key.weakest_area_id or 0,
        key.language,
    )


def _split_bucket(
    key, teachers, seats, level_position, anchored_by_bucket, taken
) -> list[PlannedGroup]:
    members = sorted(teachers, key=_score_order)
    code = key.code()
    anchors = sorted(anchored_by_bucket.pop(code, []), key=lambda a: a.number)
    held = sum(anchor.hand_placed for anchor in anchors)
    sizes = even_sizes(len(members) + held, seats, at_least=len(anchors))
    groups = [
        PlannedGroup(key, anchor.number, level_position, existing_id=anchor.group_id)
        for anchor in anchors
    ]
    used = taken.setdefault(code, set())
    number = 0
    for _ in range(len(sizes) - len(anchors)):
        number += 1
        while number in used:
            number += 1
        used.add(number)
        groups.append(PlannedGroup(key, number, level_position))
    # Fill each group up to its even size, counting those already in it by hand; a group that
    # holds more than its share by hand takes nobody, and the rest share what is left.
    position = 0
    for index, (group, size) in enumerate(zip(groups, sizes, strict=True)):
        already = anchors[index].hand_placed if index < len(anchors) else 0
        wanted = max(size - already, 0)
        group.members = members[position : position + wanted]
        position += wanted
    return [g for g in groups if g.members or g.existing_id is not None]


def _pool_of(key: BucketKey) -> tuple:
    """Mentors are lent within a school (or district), and within a language when it is kept."""
    return (key.school_id, key.region, key.district, key.language)


def _lending_pools(buckets, is_top) -> dict[tuple, list[Teacher]]:
    """Pools that can lend mentors, with their top-level teachers strongest first.

    A pool lends only if it also has lower-level teachers and more than MENTOR_PEERS_KEPT
    top-level teachers, so those who stay still learn with peers.
    """
    top: dict[tuple, list[Teacher]] = defaultdict(list)
    with_lower: set[tuple] = set()
    for key, members in buckets.items():
        if is_top(key):
            top[_pool_of(key)].extend(members)
        else:
            with_lower.add(_pool_of(key))
    return {
        pool: sorted(members, key=_score_order, reverse=True)
        for pool, members in top.items()
        if pool in with_lower and len(members) > MENTOR_PEERS_KEPT
    }
