"""An instrument as the teacher walks through it: one page per area, attitude items last."""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch
from django.utils.translation import gettext_lazy as _

from diagnostics.models import Area, Choice, Instrument, Question


@dataclass
class Page:
    number: int
    title: str
    description: str
    questions: list[Question] = field(default_factory=list)


# The order of an instrument's questions. NULLS LAST spelled out: SQLite sorts NULL first,
# PostgreSQL last, and the questions without an area (attitude items) must come in one order on
# both (the demo's answers are drawn in this order: the same seed must give the same answers).
QUESTION_ORDER = (F("area__position").asc(nulls_last=True), "position", "pk")


def instrument_questions(instrument: Instrument) -> list[Question]:
    """Every question with its area, scale and choices: two queries, whatever the size."""
    return list(
        instrument.questions.select_related("area", "scale")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))
        .order_by(*QUESTION_ORDER)
    )


def instrument_pages(questions: list[Question]) -> list[Page]:
    by_area: dict[int, Page] = {}
    attitude: list[Question] = []
    for question in questions:
        if question.area_id is None:
            attitude.append(question)
            continue
        area: Area = question.area
        if area.pk not in by_area:
            by_area[area.pk] = Page(0, area.name, area.description)
        by_area[area.pk].questions.append(question)
    pages = list(by_area.values())
    if attitude:
        pages.append(
            Page(
                0,
                str(_("About you and technology")),
                str(_("There are no right or wrong answers here. Answer as you feel.")),
                attitude,
            )
        )
    ordinal = 0
    for number, page in enumerate(pages, start=1):
        page.number = number
        for question in page.questions:
            # How the teacher knows a question: its number across the instrument, shown beside
            # its text and used in every message about it.
            ordinal += 1
            question.ordinal = ordinal
    return pages
