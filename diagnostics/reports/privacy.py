"""The small-subgroup rule: no figure over fewer than MIN_SUBGROUP teachers is shown.

A filter (subject, years of teaching) or a small school could otherwise single a teacher out:
"the one physics teacher with 21+ years scored 34 %". Such a figure is replaced by HIDDEN, which
pages, charts and exports all render as the same translated "fewer than 5" marker.
"""

from django.utils.translation import gettext

MIN_SUBGROUP = 5


class Hidden:
    """A withheld figure. Falsy, so `{% if value %}` and `or` fall through to the marker.

    Two kinds: HIDDEN rests on fewer than MIN_SUBGROUP teachers itself; WITHHELD is larger but
    would give a hidden one away by subtraction from a printed total. They read differently,
    so that "fewer than 5" is never said of a figure that is not.
    """

    def __init__(self, code: str):
        self.code = code

    def __bool__(self):
        return False

    def __str__(self):
        return hidden_label() if self is HIDDEN else withheld_label()

    def __repr__(self):
        return self.code.upper()

    @property
    def explanation(self) -> str:
        return hidden_explanation() if self is HIDDEN else withheld_explanation()


HIDDEN = Hidden("hidden")
WITHHELD = Hidden("withheld")


def hidden_label() -> str:
    return gettext("fewer than %(count)d") % {"count": MIN_SUBGROUP}


def withheld_label() -> str:
    return gettext("withheld")


def hidden_explanation() -> str:
    return gettext(
        "“fewer than %(count)d”: the figure rests on fewer than %(count)d teachers and is not "
        "shown, so that nobody's result can be singled out."
    ) % {"count": MIN_SUBGROUP}


def withheld_explanation() -> str:
    return gettext(
        "“withheld”: the figure is not small itself, but with the total beside it would reveal "
        "a figure of fewer than %(count)d teachers."
    ) % {"count": MIN_SUBGROUP}


def is_hidden(value) -> bool:
    return isinstance(value, Hidden)


def enough(teachers: int | None) -> bool:
    return (teachers or 0) >= MIN_SUBGROUP


def shown(value, teachers: int | None):
    """`value` if it was computed over at least MIN_SUBGROUP teachers, else HIDDEN."""
    return value if enough(teachers) else HIDDEN


def count_shown(count: int):
    """A head count: 0 says nothing about anyone, 1 to 4 would point at people."""
    return count if count == 0 or count >= MIN_SUBGROUP else HIDDEN


def distribution_shown(counts: list[int], *, total_public: bool = True) -> list:
    """Cells of a distribution whose total is printed next to them.

    Hiding one cell alone is not enough when the total is public: it could be found by
    subtraction. So when exactly one cell is hidden, the smallest other non-zero cell is
    WITHHELD with it. A distribution over fewer than MIN_SUBGROUP teachers is hidden whole.
    """
    if sum(counts) == 0:
        return list(counts)
    if not enough(sum(counts)):
        return [HIDDEN] * len(counts)
    cells = [count_shown(count) for count in counts]
    hidden = [i for i, cell in enumerate(cells) if is_hidden(cell)]
    if total_public and len(hidden) == 1:
        others = [(count, i) for i, count in enumerate(counts) if count and i not in hidden]
        if others:
            cells[min(others)[1]] = WITHHELD
    return cells


def for_chart(value):
    """Chart.js leaves a gap for null; the table beside the chart says why."""
    if is_hidden(value) or value is None:
        return None
    return float(value)
