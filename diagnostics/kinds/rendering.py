"""Showing a question: the shared frame (diagnostics/_question.html) around its kind's inputs."""

from django.template.loader import render_to_string

from diagnostics.kinds.registry import kind_for

QUESTION_TEMPLATE = "diagnostics/_question.html"


def question_template(question) -> str:
    """The template of the question's inputs, chosen by its kind."""
    return kind_for(question).template


def question_render(question, *, given: dict | None = None, request=None) -> str:
    """The question's HTML, filled with what was given before.

    `given` is {"selected": set of choice ids, "number", "text", "matches": {prompt: choice}};
    the inputs are named `q<question id>`, so several questions go in one form.
    """
    question.given = given or {}
    if not hasattr(question, "match_options"):
        # Matches listed alphabetically, so their order does not give the pairs away.
        question.match_options = sorted(
            (c for c in question.choices.all() if c.match_text), key=lambda c: c.match_text
        )
    return render_to_string(QUESTION_TEMPLATE, {"question": question}, request=request)
