from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diagnostics.kinds.rendering import QUESTION_TEMPLATE, question_template
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


# How many renderings one question keeps (languages x the options a teacher can have chosen).
_RENDERINGS_KEPT = 64


@register.simple_tag
def question_block(question):
    """diagnostics/_question.html for a question filled with `question.given`.

    Rendering 45 questions of four options each was most of a one-form GET's time. An answer
    made of chosen options only (or no answer) looks the same for every teacher who chose the
    same, so its HTML is kept on the question object, per language and choice: the objects
    are those a thread holds with the instrument's structure (diagnostics/taking/pages.py), so
    each worker renders each variant once. Typed values and problems are rendered every time."""
    given = getattr(question, "given", None) or {}
    if (
        given.get("problem")
        or given.get("raw")
        or given.get("text")
        or given.get("number") is not None
        or given.get("matches")
    ):
        return render_to_string(QUESTION_TEMPLATE, {"question": question})
    key = (
        get_language(),
        frozenset(given.get("selected", ())),
        getattr(question, "ordinal", None),
    )
    kept = question.__dict__.setdefault("_kept_renderings", {})
    html = kept.get(key)
    if html is None:
        if len(kept) >= _RENDERINGS_KEPT:
            kept.clear()
        html = kept[key] = render_to_string(QUESTION_TEMPLATE, {"question": question})
    return html


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
