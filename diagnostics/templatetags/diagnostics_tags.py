from django import template
from django.utils.translation import gettext as _

from diagnostics.kinds.rendering import question_template
from diagnostics.kinds.text_formats import question_html, question_plain

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
def question_text(question):
    """The question's text in its format: plain text escaped, HTML and Markdown sanitised."""
    return question_html(question)


@register.filter
def question_label(question):
    """The question's text without markup, for labels (autoescaped where shown)."""
    return question_plain(question)


@register.filter
def likert_options(question):
    """(value, label) pairs of a rating scale; a 1-5 scale gets words, others numbers."""
    values = list(range(question.scale_min, question.scale_max + 1))
    if len(values) == 5:
        return list(zip(values, _five_point_labels(), strict=True))
    return [(value, str(value)) for value in values]
