"""The grouping writes a methodist makes, for the admin and the pages alike: start a run (its
preview), confirm or cancel it, lock or unlock groups, move a teacher by hand. The group writes
take the round's lock (see store.round_lock), so they wait for a grouping run of the round
instead of changing rows the run is replacing."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.grouping import preview
from diagnostics.grouping.store import grouping_run_record, round_lock
from diagnostics.grouping.tasks import grouping_plan_queue, grouping_run_queue
from diagnostics.models import GroupingRun, GroupMembership, Round, StudyGroup

Status = GroupingRun.Status


@transaction.atomic
def grouping_run_start(*, round: Round, started_by=None, **options) -> GroupingRun:
    """Record a run with these options (GroupingRun fields) and queue its plan once committed.

    Nobody is moved: the methodist reads the preview, then confirms (grouping_run_confirm) or
    cancels (grouping_run_cancel).
    """
    run = grouping_run_record(round=round, started_by=started_by, status=Status.PLANNING, **options)
    grouping_plan_queue(run.pk)
    return run


def refusal(run: GroupingRun) -> str | None:
    """Why this run cannot be confirmed, in the reader's language; None if it can."""
    if run.status == Status.PLANNED:
        return None
    if run.status == Status.PLANNING:
        return _("The preview is not ready yet. Wait a moment, read it, then confirm.")
    if run.status == Status.CANCELLED:
        return _(
            "This grouping was cancelled, so it cannot be confirmed. Start a new one to group "
            "the teachers."
        )
    if run.status == Status.OUTDATED:
        return _(
            "This preview is out of date: diagnoses were scored or the round’s groups changed "
            "after it was made. Nobody was moved. Make a new preview."
        )
    return _("This grouping has already been confirmed: its teachers are moved once.")


def grouping_run_confirm(*, run: GroupingRun) -> GroupingRun:
    """Confirm a previewed run: its teachers are moved by group_teachers once committed.

    Refused (ValidationError, nothing changes) unless the run is waiting for confirmation, and
    when new diagnoses were scored or the round was grouped since the preview (the run is then
    out of date). The write re-checks the plan under the round's lock.
    """
    with transaction.atomic():
        # Two confirmations (a double click, two tabs) wait here; the second finds the run
        # no longer waiting and is refused.
        run = GroupingRun.objects.select_for_update().get(pk=run.pk)
        reason = refusal(run)
        if reason is None and run.preview.get("fingerprint") != preview.fingerprint(run.round_id):
            run.status = Status.OUTDATED
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "finished_at"])
            reason = refusal(run)
        elif reason is None:
            # The sweeper's deadline and attempts count from the confirmation.
            run.status = Status.RUNNING
            run.queued_at = timezone.now()
            run.attempts = 1
            run.save(update_fields=["status", "queued_at", "attempts"])
            grouping_run_queue(run.pk)
    if reason is not None:
        raise ValidationError(reason, code=run.status)
    return run


@transaction.atomic
def grouping_run_cancel(*, run: GroupingRun) -> GroupingRun:
    """Drop a run not confirmed yet: no group or member changes. Cancelling twice is harmless;
    a run already confirmed cannot be cancelled (ValidationError)."""
    run = GroupingRun.objects.select_for_update().defer("preview").get(pk=run.pk)
    if run.status in (Status.PLANNING, Status.PLANNED, Status.OUTDATED):
        run.status = Status.CANCELLED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
    elif run.status != Status.CANCELLED:
        raise ValidationError(
            _("This grouping has already been confirmed, so it can no longer be cancelled."),
            code=run.status,
        )
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
    # The run's limit only: its stored preview may hold every teacher of a region.
    limit = GroupingRun.objects.filter(pk=group.run_id).values_list("size_limit", flat=True).first()
    return Move(group=group, size=group.memberships.count(), limit=limit)
