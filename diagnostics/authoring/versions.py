"""Duplicating an instrument as a new draft version, the way to change a locked instrument."""

from django.db import transaction
from django.utils import timezone

from diagnostics.models import AttitudeScale, Choice, Instrument, LevelBand, Question


def _as_new(instance, **changes):
    """The same row as an unsaved copy: every field, every language, with `changes` applied."""
    instance.pk = None
    instance._state.adding = True
    for name, value in changes.items():
        setattr(instance, name, value)
    return instance


@transaction.atomic
def instrument_new_version(*, instrument: Instrument, created_by=None) -> Instrument:
    """An editable draft copy of the instrument: version + 1, with its attitude scales,
    thresholds, questions and choices, every text in every language."""
    source_pk = instrument.pk
    # Locks every version of the code: two methodists duplicating at once would otherwise both
    # take the same next version number, and the second would fail on the unique constraint.
    versions = Instrument.objects.select_for_update().filter(code=instrument.code)
    latest = max(versions.values_list("version", flat=True))
    copy = _as_new(
        Instrument.objects.get(pk=source_pk),
        version=latest + 1,
        previous_version_id=source_pk,
        status=Instrument.Status.DRAFT,
        created_by=created_by,
        created_at=timezone.now(),
    )
    copy.save()
    scales = {}
    for scale in AttitudeScale.objects.filter(instrument_id=source_pk):
        old_pk = scale.pk
        scales[old_pk] = _as_new(scale, instrument=copy)
        scales[old_pk].save()
    LevelBand.objects.bulk_create(
        _as_new(band, instrument=copy) for band in LevelBand.objects.filter(instrument_id=source_pk)
    )
    questions = list(Question.objects.filter(instrument_id=source_pk))
    old_pks = [question.pk for question in questions]
    for question in questions:
        scale = scales.get(question.scale_id)
        _as_new(question, instrument=copy, scale=scale)
    Question.objects.bulk_create(questions)
    new_pks = dict(zip(old_pks, (question.pk for question in questions), strict=True))
    Choice.objects.bulk_create(
        _as_new(choice, question_id=new_pks[choice.question_id])
        for choice in Choice.objects.filter(question__instrument_id=source_pk)
    )
    return copy
