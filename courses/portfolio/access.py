"""Who may see which portfolio, reflection, share link and the directory; each view asks here.

A portfolio is the teacher's to show: they see their own, methodists and administrators see every
teacher's (they review work and invite speakers), a school head sees their own school's teachers'
(DESIGN.md: a head sees only their own school). Anyone else gets a 404, never a 403, so a
portfolio's existence is not told. A shared link shows what the teacher ticked, to anyone.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from courses.portfolio.models import Reflection, ShareLink
from lms.models import User
from lms.roles import Role


def portfolios_visible_to(viewer):
    if not viewer.is_authenticated:
        return User.objects.none()
    teachers = User.objects.filter(role=Role.TEACHER)
    if viewer.is_staff:
        return teachers
    if viewer.role == Role.SCHOOL_HEAD and viewer.school_id:
        return teachers.filter(school_id=viewer.school_id)
    return User.objects.filter(pk=viewer.pk)


def teacher_for_portfolio(viewer, user_id: int) -> User:
    return get_object_or_404(portfolios_visible_to(viewer).select_related("school"), pk=user_id)


def own_reflection(user, reflection_id: int) -> Reflection:
    """Reflections are edited and deleted by their author alone."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(Reflection, pk=reflection_id, user=user)


def shared_link(token: str) -> ShareLink:
    """A live link, or 404 (a revoked or unknown token tells nothing)."""
    return get_object_or_404(
        ShareLink.objects.active().select_related("user", "user__school"), token=token
    )


def may_use_directory(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.role == Role.SCHOOL_HEAD)


def directory_scope(user):
    """The teachers a directory reader may find: all for staff, own school for a head."""
    teachers = User.objects.filter(role=Role.TEACHER, is_active=True)
    if user.is_staff:
        return teachers
    if user.role == Role.SCHOOL_HEAD and user.school_id:
        return teachers.filter(school_id=user.school_id)
    return User.objects.none()
