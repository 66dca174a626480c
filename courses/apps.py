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

        from courses.assignments.notifications import register_assignment_kinds
        from courses.certificates.notifications import register_kinds
        from courses.portfolio import tasks  # noqa: F401  (registers the stage tasks)

        register_kinds()
        register_assignment_kinds()

        task_postrun.connect(
            refresh_paths_after_scoring, weak=False, dispatch_uid="courses.refresh_paths"
        )

    def dashboard_panels(self, request):
        from courses.dashboard import panels_for

        return panels_for(request)

    def navigation_entries(self, request):
        from django.urls import reverse

        from courses.portfolio.access import may_use_directory
        from lms.navigation import NavEntry
        from lms.roles import Role

        # Courses come first among what a teacher works with, before the library; a teacher's
        # portfolio beside them; the directory of innovative teachers among the school entries.
        entries = [NavEntry(_("Courses"), reverse("courses:catalogue"), "bi-journal-text", 50)]
        if request.user.role == Role.TEACHER:
            entries.append(
                NavEntry(_("Portfolio"), reverse("portfolio:mine"), "bi-person-badge", 60)
            )
        if request.user.reads_every_school:
            # What methodists watch: progress and the needs map, right after Courses.
            entries += [
                NavEntry(_("Progress"), reverse("courses:overview"), "bi-bar-chart-steps", 51),
                NavEntry(_("Needs map"), reverse("courses:needs-map"), "bi-grid-3x3", 52),
            ]
        if request.user.is_staff:
            queue = reverse("assignments:queue")
            entries.append(NavEntry(_("Works to review"), queue, "bi-inbox", 240))
        if may_use_directory(request.user):
            entries.append(
                NavEntry(_("Innovative teachers"), reverse("portfolio:directory"), "bi-stars", 250)
            )
        return entries

    def portfolio_sections(self, user, viewer):
        """The portfolio's accepted works with their rubric results (courses.assignments)."""
        from courses.assignments.portfolio import accepted_works_section

        return [accepted_works_section(user, viewer)]

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
        from courses.assignments.demo import seed_assignments_demo
        from courses.demo import seed_courses_demo
        from courses.portfolio.demo import seed_portfolio_demo
        from courses.ready_course import seed_ready_course_demo

        lines = []
        summary = seed_courses_demo()
        if summary:
            lines.append(
                f"Courses: {summary['courses']} demo courses, {summary['enrolments']} "
                "enrolments with progress, learning paths for the demo teachers."
            )
        ready = seed_ready_course_demo()
        if ready.get("enrolments"):
            lines.append(
                f"Courses: the ready course “{ready['course']}” with {ready['enrolments']} "
                "enrolments (one finished course, finished first modules, lessons part way)."
            )
        # Its own check makes it safe to run again once the courses exist.
        return lines + seed_assignments_demo() + seed_portfolio_demo()
