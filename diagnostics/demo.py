"""Demo diagnosis: the ready instrument, a spring round (closed) and an autumn round (open),
with answers that look like a real school's: each teacher answers from a readiness of their own.
"""

import json
import random
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from diagnostics.interchange.instrument_json import instrument_import
from diagnostics.kinds.answers import GivenAnswer
from diagnostics.kinds.registry import kind_named
from diagnostics.models import Instrument, Question, Response, Round
from diagnostics.scoring.sets import responses_score
from diagnostics.taking.pages import instrument_questions
from diagnostics.taking.services import answers_insert
from lms.models import School, User

READY_INSTRUMENT = Path(__file__).resolve().parent / "fixtures" / "ict_readiness.json"
READY_CODE = "ict-readiness"
# The demo teacher whose autumn diagnosis is left for the visitor to take.
UNTAKEN_DEMO_TEACHERS = {"teacher1.01@demo.ustaz.kz", "teacher2.01@demo.ustaz.kz"}


def ready_instrument() -> Instrument:
    """The instrument every school gets on day one, imported once and published."""
    existing = Instrument.objects.filter(code=READY_CODE).order_by("-version").first()
    if existing is not None:
        return existing
    instrument = instrument_import(json.loads(READY_INSTRUMENT.read_text(encoding="utf-8")))
    instrument.status = Instrument.Status.PUBLISHED
    instrument.save(update_fields=["status"])
    return instrument


def _answer(question: Question, ability: float, rng: random.Random) -> GivenAnswer:
    given = GivenAnswer(question)
    choices = list(question.choices.all())
    knows = rng.random() < ability  # drawn for every question, so the demo stays as it was
    kind = kind_named(question.kind)
    if kind is not None:
        kind.demo_answer(question, choices, given, ability, knows, rng)
    return given


def _answer_all(response: Response, questions, ability: float, rng: random.Random) -> None:
    answers_insert(response=response, answers=[_answer(q, ability, rng) for q in questions])


def _round(title: str, instrument: Instrument, opens, closes, schools) -> tuple[Round, bool]:
    round, created = Round.objects.get_or_create(
        title=title, instrument=instrument, defaults={"opens_at": opens, "closes_at": closes}
    )
    if created:
        round.schools.set(schools)
    return round, created


@transaction.atomic
def seed_diagnostics_demo() -> dict:
    schools = list(School.objects.filter(code__startswith="DEMO-"))
    if not schools:
        return {}
    instrument = ready_instrument()
    questions = instrument_questions(instrument)
    now = timezone.now()
    spring, spring_new = _round(
        "Көктем 2026 · Весна 2026",
        instrument,
        now - timedelta(days=200),
        now - timedelta(days=170),
        schools,
    )
    autumn, autumn_new = _round(
        "Күз 2026 · Осень 2026",
        instrument,
        now - timedelta(days=10),
        now + timedelta(days=50),
        schools,
    )
    teachers = list(User.objects.teachers().filter(school__in=schools).order_by("email"))
    created = []
    for round, is_new, growth, submitted in (
        (spring, spring_new, 0.0, now - timedelta(days=180)),
        (autumn, autumn_new, 0.12, now - timedelta(days=2)),
    ):
        if not is_new:
            continue
        for teacher in teachers:
            if round is autumn and teacher.email in UNTAKEN_DEMO_TEACHERS:
                continue
            rng = random.Random(f"{teacher.email}-{round.title}")
            ability = min(0.95, random.Random(teacher.email).uniform(0.15, 0.85) + growth)
            response = Response.objects.create(
                round=round,
                instrument=instrument,
                teacher=teacher,
                language=teacher.preferred_language or "kk",
                status=Response.Status.SUBMITTED,
                submitted_at=submitted,
            )
            _answer_all(response, questions, ability, rng)
            created.append(response.pk)
    responses_score(response_ids=created)
    _group_demo_rounds([spring, autumn])
    if autumn_new:
        # The visitor who takes the autumn diagnosis then finds themselves in a group.
        Round.objects.filter(pk=autumn.pk).update(regroup_automatically=True)
    return {"instrument": instrument, "rounds": [spring, autumn], "responses": len(created)}


def _group_demo_rounds(rounds) -> None:
    """Group each demo round once, in mentor mode, so the group pages have something to show."""
    from diagnostics.grouping.store import grouping_run_execute
    from diagnostics.models import GroupingRun

    for round in rounds:
        if round.grouping_runs.exists():
            continue
        run = GroupingRun.objects.create(round=round, mentors=True)
        grouping_run_execute(run_id=run.pk)
