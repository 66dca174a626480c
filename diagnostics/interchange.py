"""Instruments as JSON ("ustaz.instrument/1"), so institutions can share them.

`instrument_import` reads the format (diagnostics/fixtures/ict_readiness.json is an example) and
creates a new draft version; `instrument_export` writes it back. Texts are objects with one entry
per language ({"kk": ..., "ru": ..., "ky": ..., "en": ...}); a missing language falls back.
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diagnostics.models import (
    Area,
    AttitudeScale,
    Choice,
    Framework,
    Instrument,
    Level,
    LevelBand,
    Question,
)
from diagnostics.rules import answer_key

FORMAT = "ustaz.instrument/1"
# The languages translated fields exist in (text_kk, text_ru, ...).
LANGUAGES = tuple(settings.MODELTRANSLATION_LANGUAGES)
TRUE_FALSE_LABELS = (gettext_lazy("True"), gettext_lazy("False"))
Kind = Question.Kind


class InstrumentFormatError(ValueError):
    """The JSON does not describe an instrument; `problems` says where and why."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def interface_texts(field: str, label) -> dict:
    """A word of the interface ("True") as content: each language's field in its translation."""
    texts = {}
    for code in LANGUAGES:
        with translation.override(code):
            texts[f"{field}_{code}"] = str(label)
    return texts


def _texts(field: str, value) -> dict:
    """{"kk": "..."} -> {"field_kk": "..."}; a plain string is taken as every language's text."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {f"{field}_{code}": value for code in LANGUAGES}
    if not isinstance(value, dict):
        raise TypeError(field)
    return {f"{field}_{code}": value.get(code, "") or "" for code in LANGUAGES}


def _translated(instance, field: str) -> dict:
    return {code: getattr(instance, f"{field}_{code}") or "" for code in LANGUAGES}


def _decimal(value, where: str, problems: list[str]) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.append(
            _("%(where)s: “%(value)s” is not a number") % {"where": where, "value": value}
        )
        return Decimal(0)


def _framework(data: dict) -> Framework:
    framework, _created = Framework.objects.get_or_create(
        code=data["code"],
        defaults={**_texts("name", data["name"]), **_texts("description", data.get("description"))},
    )
    for position, area in enumerate(data.get("areas", []), start=1):
        Area.objects.get_or_create(
            framework=framework,
            code=area["code"],
            defaults={
                "position": position,
                **_texts("name", area["name"]),
                **_texts("description", area.get("description")),
            },
        )
    for position, level in enumerate(data.get("levels", []), start=1):
        Level.objects.get_or_create(
            framework=framework,
            code=level["code"],
            defaults={
                "position": position,
                **_texts("name", level["name"]),
                **_texts("description", level.get("description")),
                **_texts("next_steps", level.get("next_steps")),
            },
        )
    return framework


def _choices_for(question: dict, where: str, problems: list[str]) -> list[Choice]:
    kind = question["kind"]
    if kind == Kind.LEVEL_STATEMENTS:
        top = max((Decimal(str(c.get("points", 0))) for c in question["choices"]), default=0)
        return [
            Choice(
                # An exported file carries the exact credit; a hand-written one gives points.
                credit=_decimal(c["credit"], where, problems)
                if "credit" in c
                else ((Decimal(str(c.get("points", 0))) / top) if top else 0),
                **_texts("text", c["text"]),
                **_texts("feedback", c.get("feedback")),
            )
            for c in question["choices"]
        ]
    if kind == Kind.SINGLE:
        return [
            Choice(
                credit=_decimal(c["credit"], where, problems)
                if "credit" in c
                else (1 if c.get("correct") else 0),
                **_texts("text", c["text"]),
                **_texts("feedback", c.get("feedback")),
            )
            for c in question["choices"]
        ]
    if kind == Kind.MULTIPLE:
        return [
            Choice(
                credit=_decimal(c.get("credit", 0), where, problems),
                **_texts("text", c["text"]),
                **_texts("feedback", c.get("feedback")),
            )
            for c in question["choices"]
        ]
    if kind == Kind.TRUE_FALSE:
        correct = bool(question.get("correct"))
        rows = []
        for label, is_true in zip(TRUE_FALSE_LABELS, (True, False), strict=True):
            rows.append(
                Choice(credit=1 if correct == is_true else 0, **interface_texts("text", label))
            )
        return rows
    if kind == Kind.SHORT_ANSWER:
        sensitive = bool(question.get("case_sensitive"))
        return [
            Choice(
                answer_key=answer_key(a["answer"], case_sensitive=sensitive),
                credit=_decimal(a.get("credit", 1), where, problems),
                **_texts("text", a["answer"]),
            )
            for a in question.get("accepted", [])
        ]
    if kind == Kind.NUMERICAL:
        rows = []
        for answer in question.get("answers", []):
            if "min" in answer:
                low = _decimal(answer["min"], where, problems)
                high = _decimal(answer["max"], where, problems)
                value, tolerance = (low + high) / 2, (high - low) / 2
            else:
                value = _decimal(answer["value"], where, problems)
                tolerance = _decimal(answer.get("tolerance", 0), where, problems)
            rows.append(
                Choice(
                    value=value,
                    tolerance=tolerance,
                    credit=_decimal(answer.get("credit", 1), where, problems),
                )
            )
        return rows
    if kind == Kind.MATCHING:
        return [
            Choice(
                credit=1 if pair.get("prompt") else 0,
                **_texts("text", pair.get("prompt") or ""),
                **_texts("match_text", pair["match"]),
            )
            for pair in question.get("pairs", [])
        ]
    return []


def _read_questions(
    instrument, data, areas, scales, problems
) -> list[tuple[Question, list[Choice]]]:
    read = []
    for position, item in enumerate(data.get("questions", []), start=1):
        where = _("question %(number)d (%(code)s)") % {
            "number": position,
            "code": item.get("code", "?"),
        }
        if item.get("kind") not in Kind.values:
            problems.append(
                _("%(where)s: unknown kind “%(kind)s”") % {"where": where, "kind": item.get("kind")}
            )
            continue
        area = areas.get(item.get("area")) if item.get("area") else None
        scale = scales.get(item.get("scale")) if item.get("scale") else None
        if item.get("area") and area is None:
            problems.append(
                _("%(where)s: unknown area “%(area)s”") % {"where": where, "area": item["area"]}
            )
            continue
        if item.get("scale") and scale is None:
            problems.append(
                _("%(where)s: unknown attitude scale “%(scale)s”")
                % {"where": where, "scale": item["scale"]}
            )
            continue
        question = Question(
            instrument=instrument,
            area=area,
            scale=scale,
            code=item["code"],
            position=position,
            part=item.get("part", Question.Part.SELF_ASSESSMENT),
            kind=item["kind"],
            weight=_decimal(item.get("weight", 1), where, problems),
            required=bool(item.get("required", True)),
            scale_min=item.get("scale_min"),
            scale_max=item.get("scale_max"),
            reverse_coded=bool(item.get("reverse", False)),
            case_sensitive=bool(item.get("case_sensitive", False)),
            **_texts("text", item["text"]),
            **_texts("help_text", item.get("help_text")),
            **_texts("feedback", item.get("feedback")),
        )
        read.append((question, _choices_for(item, where, problems)))
    return read


@transaction.atomic
def instrument_import(data: dict, *, created_by=None) -> Instrument:
    """Create a new draft version of the instrument the JSON describes; all or nothing."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InstrumentFormatError(
            [_("This is not an Ustaz instrument file (format %(format)s).") % {"format": FORMAT}]
        )
    problems: list[str] = []
    try:
        framework = _framework(data["framework"])
        spec = data["instrument"]
        latest = Instrument.objects.filter(code=spec["code"]).aggregate(v=Max("version"))["v"] or 0
        instrument = Instrument.objects.create(
            framework=framework,
            code=spec["code"],
            version=latest + 1,
            kind=spec.get("kind", Instrument.Kind.COMBINED),
            threshold_unit=spec.get("threshold_unit", Instrument.ThresholdUnit.PERCENT),
            created_by=created_by,
            **_texts("title", spec["title"]),
            **_texts("description", spec.get("description")),
            **_texts("instructions", spec.get("instructions")),
        )
        areas = {a.code: a for a in framework.areas.all()}
        levels = {lv.code: lv for lv in framework.levels.all()}
        scales = {}
        for scale in spec.get("attitude_scales", []):
            scales[scale["code"]] = AttitudeScale.objects.create(
                instrument=instrument,
                code=scale["code"],
                flag_when=scale["flag_when"],
                flag_percent=_decimal(scale["flag_percent"], scale["code"], problems),
                **_texts("name", scale["name"]),
                **_texts("description", scale.get("description")),
                **_texts("flag_message", scale.get("flag_message")),
            )
        bands = []
        for band in spec.get("bands", []):
            level = levels.get(band["level"])
            area = areas.get(band["area"]) if band.get("area") else None
            if level is None or (band.get("area") and area is None):
                problems.append(_("threshold for unknown level or area: %(band)s") % {"band": band})
                continue
            minimum = band.get("min_score", band.get("min_percent"))
            bands.append(
                LevelBand(
                    instrument=instrument,
                    area=area,
                    level=level,
                    min_score=_decimal(minimum, band["level"], problems),
                )
            )
        LevelBand.objects.bulk_create(bands)
        read = _read_questions(instrument, spec, areas, scales, problems)
    except (KeyError, TypeError) as error:
        raise InstrumentFormatError(
            [_("a required entry is missing or malformed: %(entry)s") % {"entry": error}]
        ) from error
    if problems:
        raise InstrumentFormatError(problems)
    questions = Question.objects.bulk_create([question for question, _choices in read])
    choices = []
    for question, question_choices in zip(questions, (c for _q, c in read), strict=True):
        for position, choice in enumerate(question_choices, start=1):
            choice.question = question
            choice.position = position
            choices.append(choice)
    Choice.objects.bulk_create(choices)
    return instrument


def _question_export(question: Question) -> dict:
    data = {
        "code": question.code,
        "part": question.part,
        "area": question.area.code if question.area_id else None,
        "kind": question.kind,
        "weight": float(question.weight),
        "required": question.required,
        "text": _translated(question, "text"),
    }
    if question.scale_id:
        data["scale"] = question.scale.code
    if any(_translated(question, "help_text").values()):
        data["help_text"] = _translated(question, "help_text")
    if any(_translated(question, "feedback").values()):
        data["feedback"] = _translated(question, "feedback")
    choices = list(question.choices.all())
    kind = question.kind
    if kind == Kind.LIKERT:
        data.update(
            scale_min=question.scale_min,
            scale_max=question.scale_max,
            reverse=question.reverse_coded,
        )
    elif kind == Kind.LEVEL_STATEMENTS:
        steps = len(choices) - 1 or 1
        data["choices"] = [
            {
                "text": _translated(c, "text"),
                "points": int((c.credit * steps).to_integral_value()),
                "credit": float(c.credit),
                "feedback": _translated(c, "feedback"),
            }
            for c in choices
        ]
    elif kind == Kind.SINGLE:
        data["choices"] = [
            {
                "text": _translated(c, "text"),
                "correct": c.credit == 1,
                "credit": float(c.credit),
                "feedback": _translated(c, "feedback"),
            }
            for c in choices
        ]
    elif kind == Kind.MULTIPLE:
        data["choices"] = [
            {
                "text": _translated(c, "text"),
                "credit": float(c.credit),
                "feedback": _translated(c, "feedback"),
            }
            for c in choices
        ]
    elif kind == Kind.TRUE_FALSE:
        data["correct"] = bool(choices) and choices[0].credit == 1
    elif kind == Kind.SHORT_ANSWER:
        data["case_sensitive"] = question.case_sensitive
        data["accepted"] = [
            {"answer": c.text_en or c.answer_key, "credit": float(c.credit)} for c in choices
        ]
    elif kind == Kind.NUMERICAL:
        data["answers"] = [
            {"value": float(c.value), "tolerance": float(c.tolerance), "credit": float(c.credit)}
            for c in choices
            if c.value is not None  # a row without a value accepts nothing
        ]
    elif kind == Kind.MATCHING:
        data["pairs"] = [
            {
                "prompt": _translated(c, "text") if c.text else None,
                "match": _translated(c, "match_text"),
            }
            for c in choices
        ]
    return data


def instrument_export(instrument: Instrument) -> dict:
    framework = instrument.framework
    questions = instrument.questions.select_related("area", "scale").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position", "pk"))
    )
    return {
        "format": FORMAT,
        "framework": {
            "code": framework.code,
            "name": _translated(framework, "name"),
            "description": _translated(framework, "description"),
            "areas": [
                {
                    "code": a.code,
                    "name": _translated(a, "name"),
                    "description": _translated(a, "description"),
                }
                for a in framework.areas.all()
            ],
            "levels": [
                {
                    "code": lv.code,
                    "name": _translated(lv, "name"),
                    "description": _translated(lv, "description"),
                    "next_steps": _translated(lv, "next_steps"),
                }
                for lv in framework.levels.all()
            ],
        },
        "instrument": {
            "code": instrument.code,
            "kind": instrument.kind,
            "threshold_unit": instrument.threshold_unit,
            "title": _translated(instrument, "title"),
            "description": _translated(instrument, "description"),
            "instructions": _translated(instrument, "instructions"),
            "bands": [
                {
                    "area": b.area.code if b.area_id else None,
                    "level": b.level.code,
                    "min_score": float(b.min_score),
                }
                for b in instrument.bands.select_related("area", "level").order_by(
                    "area__position", "min_score"
                )
            ],
            "attitude_scales": [
                {
                    "code": s.code,
                    "name": _translated(s, "name"),
                    "description": _translated(s, "description"),
                    "flag_when": s.flag_when,
                    "flag_percent": float(s.flag_percent),
                    "flag_message": _translated(s, "flag_message"),
                }
                for s in instrument.scales.all()
            ],
            "questions": [_question_export(q) for q in questions],
        },
    }
