"""The grouping writes a methodist makes, for the admin and the pages alike: start a run, lock
or unlock groups, move a teacher by hand. Each takes the round's lock (see store.round_lock), so
it waits for a grouping run of the round instead of changing rows the run is replacing."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from diagnostics.grouping.store import grouping_run_record, round_lock
from diagnostics.grouping.tasks import grouping_run_queue
from diagnostics.models import GroupingRun, GroupMembership, Round, StudyGroup


@transaction.atomic
def grouping_run_start(*, round: Round, started_by=None, **options) -> GroupingRun:
    """Record a run with these options (GroupingRun fields) and queue it once committed."""
    run = grouping_run_record(round=round, started_by=started_by, **options)
    grouping_run_queue(run.pk)
    return run


@transaction.atomic
def study_groups_lock(*, groups: QuerySet, locked: bool = True) -> int:
    """Lock (or unlock) these groups: grouping again keeps a locked group exactly as it is.

    Returns how many groups were changed.
    """
    # Rounds in a fixed order, so two methodists locking groups of two rounds cannot deadlock.
    for round_id in sorted(set(groups.values_list("round_id", flat=True))):
        round_lock(round_id)
    return StudyGroup.objects.filter(pk__in=groups.values("pk")).update(locked=locked)


def move_targets(*, membership: GroupMembership) -> QuerySet:
    """The groups a teacher may be moved to: the same round, their school or their district."""
    school = membership.teacher.school
    return (
        StudyGroup.objects.filter(round_id=membership.round_id)
        .filter(
            Q(school=school)
            | Q(school__isnull=True, region=school.region, district=school.district)
        )
        .select_related("level")
        .order_by("level__position", "bucket", "number")
    )


@dataclass(frozen=True)
class Move:
    """Where a teacher went, and how full the group is now."""

    group: StudyGroup
    size: int
    limit: int | None

    @property
    def over_limit(self) -> bool:
        return bool(self.limit) and self.size > self.limit


@transaction.atomic
def group_membership_move(
    *, membership: GroupMembership, group: StudyGroup, is_mentor: bool
) -> Move:
    """Put a teacher in `group` (as mentor or learner) by hand.

    A teacher who changed group is marked placed by hand, so grouping again keeps them there.
    `membership` is updated in place.
    """
    if group.round_id != membership.round_id:
        raise ValidationError(_("A teacher can only move to another group of the same round."))
    round_lock(membership.round_id)
    stored_group_id = (
        GroupMembership.objects.filter(pk=membership.pk).values_list("group_id", flat=True).get()
    )
    membership.group = group
    membership.is_mentor = is_mentor
    if group.pk != stored_group_id:
        membership.placed_by_hand = True
    membership.save(update_fields=["group", "is_mentor", "placed_by_hand"])
    limit = group.run.size_limit if group.run_id else None
    return Move(group=group, size=group.memberships.count(), limit=limit)
