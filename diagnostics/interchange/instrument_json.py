"""Instruments as JSON ("ustaz.instrument/1"), so institutions can share them.

`instrument_import` reads the format (diagnostics/fixtures/ict_readiness.json is an example) and
creates a new draft version; `instrument_export` writes it back. Texts are objects with one entry
per language ({"kk": ..., "ru": ..., "ky": ..., "en": ...}); a missing language falls back.
"""

from django.db import transaction
from django.db.models import F, Max, Prefetch
from django.utils.translation import gettext as _

from diagnostics.kinds.content import json_decimal, json_texts, translated
from diagnostics.kinds.registry import kind_named
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

FORMAT = "ustaz.instrument/1"


class InstrumentFormatError(ValueError):
    """The JSON does not describe an instrument; `problems` says where and why."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _framework(data: dict) -> Framework:
    framework, _created = Framework.objects.get_or_create(
        code=data["code"],
        defaults={
            **json_texts("name", data["name"]),
            **json_texts("description", data.get("description")),
        },
    )
    for position, area in enumerate(data.get("areas", []), start=1):
        Area.objects.get_or_create(
            framework=framework,
            code=area["code"],
            defaults={
                "position": position,
                **json_texts("name", area["name"]),
                **json_texts("description", area.get("description")),
            },
        )
    for position, level in enumerate(data.get("levels", []), start=1):
        Level.objects.get_or_create(
            framework=framework,
            code=level["code"],
            defaults={
                "position": position,
                **json_texts("name", level["name"]),
                **json_texts("description", level.get("description")),
                **json_texts("next_steps", level.get("next_steps")),
            },
        )
    return framework


def _read_questions(
    instrument, data, areas, scales, problems
) -> list[tuple[Question, list[Choice]]]:
    read = []
    for position, item in enumerate(data.get("questions", []), start=1):
        where = _("question %(number)d (%(code)s)") % {
            "number": position,
            "code": item.get("code", "?"),
        }
        kind = kind_named(item.get("kind"))
        if kind is None:
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
            weight=json_decimal(item.get("weight", 1), where, problems),
            required=bool(item.get("required", True)),
            scale_min=item.get("scale_min"),
            scale_max=item.get("scale_max"),
            reverse_coded=bool(item.get("reverse", False)),
            case_sensitive=bool(item.get("case_sensitive", False)),
            text_format=item.get("text_format", Question.TextFormat.PLAIN),
            **json_texts("text", item["text"]),
            **json_texts("help_text", item.get("help_text")),
            **json_texts("feedback", item.get("feedback")),
        )
        choices = [Choice(**row) for row in kind.json_choices(item, where, problems)]
        read.append((question, choices))
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
            head_sees=spec.get("head_sees", Instrument.HeadSees.EACH_TEACHER),
            created_by=created_by,
            **json_texts("title", spec["title"]),
            **json_texts("description", spec.get("description")),
            **json_texts("instructions", spec.get("instructions")),
        )
        areas = {a.code: a for a in framework.areas.all()}
        levels = {lv.code: lv for lv in framework.levels.all()}
        scales = {}
        for scale in spec.get("attitude_scales", []):
            scales[scale["code"]] = AttitudeScale.objects.create(
                instrument=instrument,
                code=scale["code"],
                flag_when=scale["flag_when"],
                flag_percent=json_decimal(scale["flag_percent"], scale["code"], problems),
                **json_texts("name", scale["name"]),
                **json_texts("description", scale.get("description")),
                **json_texts("flag_message", scale.get("flag_message")),
                **json_texts("teacher_message", scale.get("teacher_message")),
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
                    min_score=json_decimal(minimum, band["level"], problems),
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


def question_export(question: Question) -> dict:
    """One question in the format's shape; its area, scale and choices (ordered by position)
    are read from what the caller selected and prefetched, so exporting many asks no more."""
    data = {
        "code": question.code,
        "part": question.part,
        "area": question.area.code if question.area_id else None,
        "kind": question.kind,
        "weight": float(question.weight),
        "required": question.required,
        "text": translated(question, "text"),
    }
    if question.text_format != Question.TextFormat.PLAIN:
        data["text_format"] = question.text_format
    if question.scale_id:
        data["scale"] = question.scale.code
    if any(translated(question, "help_text").values()):
        data["help_text"] = translated(question, "help_text")
    if any(translated(question, "feedback").values()):
        data["feedback"] = translated(question, "feedback")
    kind = kind_named(question.kind)
    if kind is not None:
        data.update(kind.json_export(question, list(question.choices.all())))
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
            "name": translated(framework, "name"),
            "description": translated(framework, "description"),
            "areas": [
                {
                    "code": a.code,
                    "name": translated(a, "name"),
                    "description": translated(a, "description"),
                }
                for a in framework.areas.all()
            ],
            "levels": [
                {
                    "code": lv.code,
                    "name": translated(lv, "name"),
                    "description": translated(lv, "description"),
                    "next_steps": translated(lv, "next_steps"),
                }
                for lv in framework.levels.all()
            ],
        },
        "instrument": {
            "code": instrument.code,
            "kind": instrument.kind,
            "threshold_unit": instrument.threshold_unit,
            "head_sees": instrument.head_sees,
            "title": translated(instrument, "title"),
            "description": translated(instrument, "description"),
            "instructions": translated(instrument, "instructions"),
            "bands": [
                {
                    "area": b.area.code if b.area_id else None,
                    "level": b.level.code,
                    "min_score": float(b.min_score),
                }
                for b in instrument.bands.select_related("area", "level").order_by(
                    # The overall bands (no area) first, on SQLite and PostgreSQL alike.
                    F("area__position").asc(nulls_first=True),
                    "min_score",
                )
            ],
            "attitude_scales": [
                {
                    "code": s.code,
                    "name": translated(s, "name"),
                    "description": translated(s, "description"),
                    "flag_when": s.flag_when,
                    "flag_percent": float(s.flag_percent),
                    "flag_message": translated(s, "flag_message"),
                    "teacher_message": translated(s, "teacher_message"),
                }
                for s in instrument.scales.all()
            ],
            "questions": [question_export(q) for q in questions],
        },
    }
