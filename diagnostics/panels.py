"""Panels other apps add to diagnostics pages, through hooks on their AppConfig.

diagnostics never imports a feature app built on it. An app that has something to show beside a
diagnosis gives its AppConfig a method, and the page asks every installed app (as the dashboard
does in lms/dashboard.py):

- `result_panels(request, response) -> list[Panel]`: beside a teacher's result;
- `school_report_panels(request, school, round_=None) -> list[Panel]`: beside a school's report.

A Panel (lms.dashboard) names a template and its context; `diagnostics/_app_panels.html` renders
them, each template getting its context as `data`.
"""

from lms.dashboard import Panel, app_panels


def result_panels(request, response) -> list[Panel]:
    return app_panels("result_panels", request, response)


def school_report_panels(request, school, round_=None) -> list[Panel]:
    return app_panels("school_report_panels", request, school, round_=round_)
