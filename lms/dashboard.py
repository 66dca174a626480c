"""What each role sees first, and the hook through which feature apps add "what to do next".

A feature app contributes to a dashboard by giving its AppConfig a method
`dashboard_panels(request) -> list[Panel]`; `lms` asks every installed app and never imports one.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.db.models import Count, Q

from lms.models import School, User
from lms.roles import Role


@dataclass
class Panel:
    title: str
    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100


def collect_panels(request) -> list[Panel]:
    return app_panels("dashboard_panels", request)


def app_panels(hook: str, request, *args, **kwargs) -> list[Panel]:
    """Panels every installed app gives through its AppConfig method `hook(request, *args)`:
    how a page of one app shows another app's part (a course's forum on the course page) without
    importing it."""
    panels: list[Panel] = []
    for app_config in apps.get_app_configs():
        provider = getattr(app_config, hook, None)
        if provider is not None:
            panels.extend(provider(request, *args, **kwargs))
    return sorted(panels, key=lambda panel: panel.order)


def teacher_context(request) -> dict:
    user = request.user
    return {"colleagues": User.objects.teachers().of_school(user.school_id).count()}


def school_head_context(request) -> dict:
    school = request.user.school
    staff = User.objects.teachers().of_school(school)
    summary = staff.aggregate(
        total=Count("pk"),
        signed_in=Count("pk", filter=Q(last_login__isnull=False)),
    )
    subjects = (
        staff.exclude(subject="")
        .values("subject")
        .annotate(teachers=Count("pk"))
        .order_by("-teachers", "subject")[:8]
    )
    return {"school": school, "summary": summary, "subjects": list(subjects)}


def staff_context(request) -> dict:
    # The admin's own list of what this user may author, so new apps appear without edits here.
    context = {"admin_apps": admin.site.get_app_list(request)}
    if request.user.is_administrator:
        context["role_counts"] = list(
            User.objects.values("role").annotate(users=Count("pk")).order_by("role")
        )
        context["role_labels"] = dict(Role.choices)
        context["school_count"] = School.objects.count()
    return context


TEMPLATES_BY_ROLE = {
    Role.TEACHER: ("lms/dashboard_teacher.html", teacher_context),
    Role.SCHOOL_HEAD: ("lms/dashboard_head.html", school_head_context),
    Role.METHODIST: ("lms/dashboard_staff.html", staff_context),
    Role.ADMINISTRATOR: ("lms/dashboard_staff.html", staff_context),
}


def dashboard_for(request) -> tuple[str, dict]:
    role = Role.ADMINISTRATOR if request.user.is_superuser else request.user.role
    template_name, build_context = TEMPLATES_BY_ROLE[role]
    context = build_context(request)
    context["panels"] = collect_panels(request)
    return template_name, context
