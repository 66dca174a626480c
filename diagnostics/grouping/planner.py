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
- No group is smaller than `min_size` (learners; a mentor comes on top). Within a *pool* (a
  school or district, and a language when kept together) the smallest bucket under the minimum
  joins the nearest bucket: the same level's other weakest area first, then the nearest level
  (a tie goes to the lower level), until every bucket is big enough. A pool with fewer teachers
  in all than the minimum is left out: nobody of it is grouped. When the limit leaves no split
  with every group at least the minimum, fewer (larger) groups are made.
- Mentor mode lends the strongest teachers of the top level, one to each lower-level group of
  their school (or district, and language when kept together), lowest level first, while at
  least max(MENTOR_PEERS_KEPT, min_size) top-level teachers remain to learn together. Lower-level
  groups are then planned one seat short of the limit, so a mentor never pushes a group over it.
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


# The smallest group unless a methodist asks for smaller (GroupingRun.DEFAULT_MIN_SIZE).
DEFAULT_MIN_SIZE = 5


@dataclass(frozen=True)
class Options:
    by_district: bool = False
    size_limit: int = 20
    min_size: int = DEFAULT_MIN_SIZE
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


def even_sizes(count: int, limit: int, *, at_least: int = 0, smallest: int = 1) -> list[int]:
    """Sizes of the fewest groups of at most `limit` (and at least `at_least` groups) for `count`
    teachers, differing by at most one, larger first: even_sizes(23, 20) == [12, 11].

    The smallest size wins over the limit: when the split would make a group under `smallest`,
    fewer groups are made (even_sizes(9, 8, smallest=5) == [9]).
    """
    if limit < 1:
        raise ValueError("The size limit must be at least 1.")
    if count <= 0:
        return [0] * at_least
    groups = max(-(-count // limit), at_least)
    while groups > max(at_least, 1) and count // groups < smallest:
        groups -= 1
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


class LeftOut(NamedTuple):
    """A pool (school or district, and language when kept) with fewer teachers than the
    smallest group: nobody of it is grouped."""

    school_id: int | None
    region: str
    district: str
    language: str
    teachers: list[Teacher]


@dataclass
class Plan:
    groups: list[PlannedGroup]
    left_out: list[LeftOut]


def plan(teachers: Iterable[Teacher], options: Options, **context) -> list[PlannedGroup]:
    """The planned groups only (see make_plan)."""
    return make_plan(teachers, options, **context).groups


def make_plan(
    teachers: Iterable[Teacher],
    options: Options,
    *,
    top_level_position: int | None = None,
    anchored: Iterable[AnchoredGroup] = (),
    taken_numbers: dict[str, set[int]] | None = None,
) -> Plan:
    """Groups for these teachers: deterministic, whatever order the teachers come in.

    `anchored` groups already hold hand-placed members and are filled before new groups are
    made in their bucket; `taken_numbers` are numbers of kept (locked or anchored) groups, which
    new groups of the same bucket skip. A teacher placed with another level or area is a member
    whose own bucket_key differs from their group's key.
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
    left_out = _merge_small_buckets(buckets, key_level, anchored_by_bucket, options.min_size)
    lending = _lending_pools(buckets, is_top, options.min_size) if options.mentors else {}
    planned: list[PlannedGroup] = []
    # Lower levels first: how many groups they make decides how many mentors are lent.
    for key in sorted((k for k in buckets if not is_top(k)), key=_bucket_order):
        # A lower-level group keeps a seat for its mentor, so the mentor never breaks the limit.
        seats = options.size_limit - 1 if _pool_of(key) in lending else options.size_limit
        planned.extend(
            _split_bucket(
                key,
                buckets[key],
                max(seats, 1),
                key_level[key],
                anchored_by_bucket,
                taken,
                options.min_size,
            )
        )
    lower_by_pool: dict[tuple, list[PlannedGroup]] = defaultdict(list)
    for group in planned:
        lower_by_pool[_pool_of(group.key)].append(group)
    for pool, (top_keys, candidates) in lending.items():
        lower = sorted(
            lower_by_pool.get(pool, ()),
            key=lambda g: (g.level_position, _bucket_order(g.key), g.number),
        )
        for group, (key, mentor) in zip(
            lower, _mentors(buckets, top_keys, candidates, options.min_size), strict=False
        ):
            group.mentor = mentor
            buckets[key].remove(mentor)
    for key in sorted((k for k in buckets if is_top(k)), key=_bucket_order):
        planned.extend(
            _split_bucket(
                key,
                buckets[key],
                options.size_limit,
                key_level[key],
                anchored_by_bucket,
                taken,
                options.min_size,
            )
        )
    return Plan(planned, left_out)


def _merge_small_buckets(buckets, key_level, anchored_by_bucket, min_size) -> list[LeftOut]:
    """Join each bucket under the minimum to its nearest bucket of the same pool, smallest
    first; returns the pools too small for one group (their buckets are removed).

    Nearest: the same level (another weakest area) before another level, the nearer level before
    the farther, the lower level on a tie (the teacher works on what they have reached rather
    than beyond it), then the larger bucket. A bucket holding a group chosen by hand stays.
    """
    if min_size <= 1:
        return []
    pools: dict[tuple, list[BucketKey]] = defaultdict(list)
    for key in sorted(buckets, key=_bucket_order):
        pools[_pool_of(key)].append(key)
    left_out = []
    for pool, keys in pools.items():
        held = {
            key: sum(a.hand_placed for a in anchored_by_bucket.get(key.code(), ())) for key in keys
        }
        size = {key: len(buckets[key]) + held[key] for key in keys}
        while True:
            small = [key for key in keys if size[key] < min_size and not held[key]]
            if not small:
                break
            source = min(small, key=lambda k: (size[k], key_level[k], _bucket_order(k)))
            others = [key for key in keys if key != source]
            if not others:
                # The whole pool is smaller than one group.
                left_out.append(LeftOut(*pool, teachers=buckets.pop(source)))
                break
            level = key_level[source]
            target = min(
                others,
                key=lambda k: (
                    abs(key_level[k] - level),
                    key_level[k] > level,
                    -size[k],
                    _bucket_order(k),
                ),
            )
            buckets[target].extend(buckets.pop(source))
            size[target] += size.pop(source)
            keys.remove(source)
    return left_out


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
    key, teachers, seats, level_position, anchored_by_bucket, taken, min_size
) -> list[PlannedGroup]:
    members = sorted(teachers, key=_score_order)
    code = key.code()
    anchors = sorted(anchored_by_bucket.pop(code, []), key=lambda a: a.number)
    held = sum(anchor.hand_placed for anchor in anchors)
    sizes = even_sizes(len(members) + held, seats, at_least=len(anchors), smallest=min_size)
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


def _peers_kept(min_size: int) -> int:
    return max(MENTOR_PEERS_KEPT, min_size)


def _lending_pools(buckets, is_top, min_size) -> dict[tuple, tuple[list, list]]:
    """Pools that can lend mentors: their top-level buckets, and the candidates (teachers of
    the top level itself, not those placed there from a lower level), strongest first, each
    with their bucket.

    A pool lends only if it also has lower-level teachers and more than
    max(MENTOR_PEERS_KEPT, min_size) teachers in top-level groups, so those who stay still learn
    with peers.
    """
    top: dict[tuple, list[BucketKey]] = defaultdict(list)
    with_lower: set[tuple] = set()
    for key in buckets:
        if is_top(key):
            top[_pool_of(key)].append(key)
        else:
            with_lower.add(_pool_of(key))
    pools = {}
    for pool, keys in top.items():
        if pool not in with_lower or sum(len(buckets[k]) for k in keys) <= _peers_kept(min_size):
            continue
        top_position = max(t.level_position for k in keys for t in buckets[k])
        candidates = sorted(
            (
                (k, t)
                for k in keys
                for t in buckets[k]
                if t.level_position >= top_position and t.level_id == k.level_id
            ),
            key=lambda pair: _score_order(pair[1]),
            reverse=True,
        )
        pools[pool] = (keys, candidates)
    return pools


def _mentors(buckets, top_keys, candidates, min_size):
    """The (bucket, teacher) pairs to lend, strongest first, while the pool keeps its peers
    and no top-level group it keeps falls under the minimum (emptying a bucket is fine)."""
    remaining = {key: len(buckets[key]) for key in top_keys}
    left = sum(remaining.values())
    for key, teacher in candidates:
        if left <= _peers_kept(min_size):
            return
        after = remaining[key] - 1
        if after and after < min_size:
            continue
        remaining[key] = after
        left -= 1
        yield key, teacher
