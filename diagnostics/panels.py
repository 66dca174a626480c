"""Panels other apps add to diagnostics pages, through hooks on their AppConfig.

diagnostics never imports a feature app built on it. An app that has something to show beside a
diagnosis gives its AppConfig a method, and the page asks every installed app (as the dashboard
does in lms/dashboard.py):

- `result_panels(request, response) -> list[Panel]`: beside a teacher's result;
- `school_report_panels(request, school, round_=None) -> list[Panel]`: beside a school's report.

A Panel (lms.dashboard) names a template and its context; `diagnostics/_app_panels.html` renders
them, each template getting its context as `data`.
"""

from django.apps import apps

from lms.dashboard import Panel


def panels_from_apps(hook: str, *args, **kwargs) -> list[Panel]:
    panels: list[Panel] = []
    for app_config in apps.get_app_configs():
        provider = getattr(app_config, hook, None)
        if provider is not None:
            panels.extend(provider(*args, **kwargs))
    return sorted(panels, key=lambda panel: panel.order)


def result_panels(request, response) -> list[Panel]:
    return panels_from_apps("result_panels", request, response)


def school_report_panels(request, school, round_=None) -> list[Panel]:
    return panels_from_apps("school_report_panels", request, school, round_=round_)
