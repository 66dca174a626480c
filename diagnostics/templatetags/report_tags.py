"""Rendering a report figure: a number, "—" for nothing, or the small-subgroup marker."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html

from diagnostics.reports.privacy import is_hidden

register = template.Library()


@register.filter
def figure(value, unit=""):
    if is_hidden(value):
        return format_html(
            '<span class="report-hidden" title="{}">{}</span>', value.explanation, value
        )
    if value is None or value == "":
        return "—"
    if isinstance(value, int):
        return f"{value}{unit}"
    return f"{floatformat(value, 1)}{unit}"


@register.filter
def signed(value, unit=""):
    """A change: +3.5, −2.0, or the marker."""
    if is_hidden(value) or value is None:
        return figure(value, unit)
    sign = "+" if value > 0 else ""
    return f"{sign}{floatformat(value, 1)}{unit}"
