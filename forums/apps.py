from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from forums.notifications import register_kinds

        register_kinds()

    def navigation_entries(self, request):
        from django.urls import reverse

        from lms.navigation import NavEntry

        # After the courses and the library: where teachers talk about what they learn.
        return [NavEntry(_("Forums"), reverse("forums:index"), "bi-chat-square-text", order=150)]

    def dashboard_panels(self, request):
        from forums.dashboard import panels_for

        return panels_for(request)

    def course_panels(self, request, course):
        """For the course page: the link to the course's forum."""
        from forums.panels import course_panels

        return course_panels(request, course)

    def study_group_panels(self, request, group):
        """For the study-group page: the link to the group's forum."""
        from forums.panels import study_group_panels

        return study_group_panels(request, group)

    def portfolio_sections(self, user):
        """For the portfolio: the round tables this person attended."""
        from forums.dashboard import attended_round_tables

        return attended_round_tables(user)

    def seed_demo(self):
        from forums.demo import seed_forums_demo

        return seed_forums_demo()
