"""Writes of the portfolio: reflections, share links, the directory choice, stored stages."""

from django.db import transaction
from django.utils import timezone

from courses.portfolio.models import PortfolioProfile, Reflection, ShareLink


def reflection_save(*, user, text: str, course=None, round=None, reflection=None) -> Reflection:
    """Write a new reflection, or edit one of the user's own."""
    with transaction.atomic():
        if reflection is None:
            return Reflection.objects.create(user=user, text=text, course=course, round=round)
        reflection.text, reflection.course, reflection.round = text, course, round
        reflection.save(update_fields=["text", "course", "round", "updated_at"])
        return reflection


def reflection_delete(*, reflection: Reflection) -> None:
    reflection.delete()


def share_link_create(*, user, sections: list[str]) -> ShareLink:
    """A new link; the teacher's earlier links stop working, so one link is ever live."""
    with transaction.atomic():
        ShareLink.objects.active().filter(user=user).update(revoked_at=timezone.now())
        return ShareLink.objects.create(user=user, sections=sorted(set(sections)))


def share_link_update(*, link: ShareLink, sections: list[str]) -> ShareLink:
    link.sections = sorted(set(sections))
    link.save(update_fields=["sections"])
    return link


def share_link_revoke(*, link: ShareLink) -> None:
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def directory_choice_set(*, user, in_directory: bool) -> PortfolioProfile:
    profile, _created = PortfolioProfile.objects.update_or_create(
        user=user, defaults={"in_directory": in_directory}
    )
    return profile


def stages_refresh(*, user_ids: list[int]) -> int:
    """Store each teacher's current stage, for the directory. Returns how many changed."""
    from courses.portfolio.page import stage_of
    from lms.models import User

    changed = 0
    now = timezone.now()
    for user in User.objects.filter(pk__in=user_ids):
        stage = stage_of(user).stage
        profile, created = PortfolioProfile.objects.get_or_create(
            user=user, defaults={"stage": stage, "stage_computed_at": now}
        )
        if created or profile.stage != stage:
            changed += 1
        if not created:
            PortfolioProfile.objects.filter(pk=profile.pk).update(
                stage=stage, stage_computed_at=now
            )
    return changed
