"""The forum link on other apps' pages: a course's page and a study group's page ask every app
(`course_panels`, `study_group_panels` on the AppConfig) and never import forums."""

from django.urls import reverse
from django.utils.translation import gettext as _

from forums import access
from lms.dashboard import Panel


def course_panels(request, course) -> list[Panel]:
    """Enrolled teachers and methodists: the link that opens (and, the first time, makes) the
    course's forum. Others are not told it exists."""
    if not access.courses_with_forum_for(request.user).filter(pk=course.pk).exists():
        return []
    return [
        Panel(
            _("Course forum"),
            "forums/_panel_forum_link.html",
            {
                "url": reverse("forums:course", args=[course.pk]),
                "text": _("Ask and answer questions about this course with its other learners."),
                "link": _("Open the course forum"),
            },
            order=60,
        )
    ]


def study_group_panels(request, group) -> list[Panel]:
    """The group page fetched the group through its permission helper, and the link itself
    404s for anyone outside the group: no query here."""
    return [
        Panel(
            _("Group forum"),
            "forums/_panel_forum_link.html",
            {
                "url": reverse("forums:group", args=[group.pk]),
                "text": _(
                    "The group's own forum: only its members, its mentor and methodists read it."
                ),
                "link": _("Open the group forum"),
            },
            order=60,
        )
    ]
