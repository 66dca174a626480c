"""Who may read which report: heads their own school, methodists and administrators all."""

from django.shortcuts import get_object_or_404

from lms.models import School
from lms.roles import Role


def reads_every_school(user) -> bool:
    return user.is_administrator or user.role == Role.METHODIST


def school_for_report(user, school_id) -> School:
    """The school whose report `user` asked for; another school's id is 404 for a head, so
    that its existence is not confirmed."""
    schools = School.objects.all() if reads_every_school(user) else School.objects.visible_to(user)
    return get_object_or_404(schools, pk=school_id)
