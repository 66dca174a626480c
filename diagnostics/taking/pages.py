"""An instrument as the teacher walks through it: one page per area, attitude items last."""

import logging
import threading
from dataclasses import dataclass, field
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils.translation import gettext_lazy as _

from diagnostics.models import Area, Choice, Instrument, Question

logger = logging.getLogger(__name__)


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


# --- the question structure, cached ------------------------------------------------------------
# A teacher's every page request needs the whole structure (pages are areas, numbering runs across
# them), which is two queries over every question and choice. A published instrument's structure
# changes rarely (a methodist fixing a text), so it is kept in the cache. Any save or delete of
# an instrument, area, scale, question or choice changes one generation token, which every entry
# is checked against, so an edit is seen on the next request; the instrument's creation time is
# checked too, so an id reused by another instrument never reads the old one's questions.
_GENERATION_KEY = "diagnostics:structure:generation"
_STRUCTURE_SECONDS = 6 * 3600


def _structure_key(instrument_id: int) -> str:
    return f"diagnostics:structure:{instrument_id}"


def _generation() -> str:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, uuid4().hex, timeout=None)
        generation = cache.get(_GENERATION_KEY)
    return generation


# Unpickling a structure from the cache is most of a page request's time (45 questions and their
# 180 choices are 270 model instances: 20 ms of CPU measured under load), so each thread also
# keeps the structures it read, checked against the generation token (one small cache read) on
# every use. Per thread, not per process: a view sets the teacher's answers on the question
# objects it renders, and two threads of one process must never share them.
_thread = threading.local()


def _held() -> dict:
    if not hasattr(_thread, "structures"):
        _thread.structures = {}
    return _thread.structures


def taking_questions(instrument: Instrument) -> list[Question]:
    """`instrument_questions`, from the cache when the instrument is published (no query)."""
    if instrument.status != Instrument.Status.PUBLISHED:
        return instrument_questions(instrument)
    stamp = instrument.created_at.isoformat()
    key = _structure_key(instrument.pk)
    try:
        generation = _generation()
        held = _held().get(instrument.pk)
        if held is not None and held[0] == generation and held[1] == stamp:
            return held[2]
        entry = cache.get(key)
    except Exception:  # noqa: BLE001 - without the cache the questions come from the database
        logger.warning("Question structure cache unavailable", exc_info=True)
        return instrument_questions(instrument)
    if entry is not None and entry[0] == generation and entry[1] == stamp:
        questions = entry[2]
    else:
        questions = instrument_questions(instrument)
        if questions:
            try:
                cache.set(key, (generation, stamp, questions), timeout=_STRUCTURE_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("Question structure cache unavailable", exc_info=True)
    held = _held()
    if len(held) >= _HELD_STRUCTURES:
        held.clear()
    held[instrument.pk] = (generation, stamp, questions)
    return questions


# A thread holds at most this many instruments' structures (a district runs a few at a time).
_HELD_STRUCTURES = 20


def structure_changed(**kwargs) -> None:
    """A signal receiver: every cached structure is stale (now, and again once committed, so a
    request reading the old rows meanwhile cannot keep them)."""

    def renew():
        try:
            cache.set(_GENERATION_KEY, uuid4().hex, timeout=None)
        except Exception:  # noqa: BLE001 - entries expire on their own
            logger.warning("Could not renew the question structure cache", exc_info=True)

    renew()
    transaction.on_commit(renew)
