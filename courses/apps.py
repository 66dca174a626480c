from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The diagnostics tasks after which a teacher may have a newer scored diagnosis.
SCORING_TASKS = frozenset(
    {"diagnostics.tasks.score_waiting_responses", "diagnostics.tasks.rescore_round"}
)


def refresh_paths_after_scoring(sender=None, **kwargs):
    # diagnostics never imports courses: the path follows a new round through Celery's own
    # signal on the scoring tasks (and beat's periodic refresh, should this one be missed).
    if getattr(sender, "name", None) in SCORING_TASKS and kwargs.get("state") == "SUCCESS":
        from courses.tasks import refresh_learning_paths

        refresh_learning_paths.delay()


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from celery.signals import task_postrun

        task_postrun.connect(
            refresh_paths_after_scoring, weak=False, dispatch_uid="courses.refresh_paths"
        )

    def dashboard_panels(self, request):
        from courses.dashboard import panels_for

        return panels_for(request)

    def navigation_entries(self, request):
        from django.urls import reverse

        from lms.navigation import NavEntry

        # Courses come first among what a teacher works with, before the library.
        return [NavEntry(_("Courses"), reverse("courses:catalogue"), "bi-journal-text", order=50)]

    def result_panels(self, request, response):
        """Beside a diagnosis result: the teacher's completed courses per area."""
        from courses.hooks import result_panels

        return result_panels(request, response)

    def study_group_panels(self, request, group):
        """On the study-group page: the courses a methodist gave the group."""
        from courses.hooks import study_group_panels

        return study_group_panels(request, group)

    def school_report_panels(self, request, school, round_=None):
        """Beside a school's report: courses completed per area by its teachers."""
        from courses.hooks import school_report_panels

        return school_report_panels(request, school, round_)

    def seed_demo(self):
        from courses.demo import seed_courses_demo

        summary = seed_courses_demo()
        if not summary:
            return []
        return [
            f"Courses: {summary['courses']} demo courses, {summary['enrolments']} enrolments "
            "with progress, learning paths for the demo teachers."
        ]
