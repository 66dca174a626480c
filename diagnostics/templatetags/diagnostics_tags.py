from django import template
from django.utils.translation import gettext as _

from diagnostics.kinds.rendering import question_template

register = template.Library()


def _five_point_labels():
    return [
        _("Strongly disagree"),
        _("Disagree"),
        _("Neither agree nor disagree"),
        _("Agree"),
        _("Strongly agree"),
    ]


@register.filter
def kind_template(question):
    """The template of a question's inputs, as its kind says (diagnostics/kinds/)."""
    return question_template(question)


@register.filter
def likert_options(question):
    """(value, label) pairs of a rating scale; a 1-5 scale gets words, others numbers."""
    values = list(range(question.scale_min, question.scale_max + 1))
    if len(values) == 5:
        return list(zip(values, _five_point_labels(), strict=True))
    return [(value, str(value)) for value in values]
