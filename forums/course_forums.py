"""Course forums, made when first needed, like the study groups' (forums/groups.py).

courses may not import forums, so enrolling creates no forum: the forum of each of a person's
courses is created, in one statement, when they open the forums or the course's forum link.
Re-running it is harmless: the forum's one-to-one column is unique."""

from django.utils.translation import gettext as _

from courses.models import Course
from forums.models import Forum


def course_forums_ensure(courses) -> None:
    missing = courses.filter(forum__isnull=True).only("pk", "title")
    Forum.objects.bulk_create(
        [
            Forum(
                kind=Forum.Kind.COURSE,
                title=_("Forum of the course “%(course)s”") % {"course": course.title},
                course=course,
                subscription_mode=Forum.SubscriptionMode.OPTIONAL,
                position=60,
            )
            for course in missing
        ],
        ignore_conflicts=True,
    )


def course_forums_ensure_for(user) -> None:
    """Forums for the courses this person is enrolled in (not every course a methodist sees:
    those are made when opened)."""
    course_forums_ensure(Course.objects.filter(enrolments__user=user))
