"""Study-group forums, made when first needed.

Groups are written by the grouping service with COPY (diagnostics/grouping_store.py), which fires
no post_save signal, and diagnostics may not import forums: so a group's forum is created lazily,
for all of a person's groups in one statement, when they open the forums (or the group's forum
link). Re-running it is harmless: the forum's one-to-one column is unique."""

from django.utils.translation import gettext as _

from diagnostics.models import StudyGroup
from forums.models import Forum


def group_forums_ensure(groups) -> None:
    missing = groups.filter(forum__isnull=True).only("pk", "name", "school_id")
    Forum.objects.bulk_create(
        [
            Forum(
                kind=Forum.Kind.GROUP,
                title=_("Forum of %(group)s") % {"group": group.name},
                study_group=group,
                subscription_mode=Forum.SubscriptionMode.AUTOMATIC,
                position=50,
            )
            for group in missing
        ],
        ignore_conflicts=True,
    )


def group_forums_ensure_for(user) -> None:
    """Forums for the groups this person belongs to or mentors (not every group a methodist
    sees: those are made when opened)."""
    group_forums_ensure(StudyGroup.objects.filter(memberships__teacher=user))
