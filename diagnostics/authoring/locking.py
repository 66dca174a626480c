"""What stays as it was once teachers have answered: the fields that change scoring.

Once a teacher has answered an instrument, every response of it must be scored alike, so the
admin shows these fields read-only and refuses new or deleted rows; texts stay editable.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from diagnostics.models import Instrument, Response

# What changes the points an answer earns, or the level a score reaches. Once teachers have
# answered, these stay as they were, so every response of the instrument is scored alike; texts
# (typos, translations) stay editable.
INSTRUMENT_SCORING_FIELDS = ("framework", "code", "kind", "threshold_unit")
QUESTION_SCORING_FIELDS = (
    "instrument",
    "code",
    "part",
    "kind",
    "area",
    "scale",
    "weight",
    "scale_min",
    "scale_max",
    "reverse_coded",
    "case_sensitive",
)
CHOICE_SCORING_FIELDS = ("credit", "value", "tolerance", "answer_key")
SCALE_SCORING_FIELDS = ("code", "flag_when", "flag_percent")
BAND_FIELDS = ("area", "level", "min_score")
# A level's rank decides the order of the thresholds; its code is how files name it.
LEVEL_SCORING_FIELDS = ("code", "position")
AREA_SCORING_FIELDS = ("code",)


def has_answers() -> Exists:
    """Annotates instruments: True where a response is not a draft (Instrument.is_locked)."""
    return Exists(
        Response.objects.filter(instrument=OuterRef("pk")).exclude(status=Response.Status.DRAFT)
    )


def instrument_locked(instrument: Instrument | None) -> bool:
    """Instrument.is_locked, asked once per object: the admin asks it for every inline."""
    if instrument is None or instrument.pk is None:
        return False
    if not hasattr(instrument, "has_answers"):
        instrument.has_answers = instrument.is_locked
    return bool(instrument.has_answers)


def framework_locked(framework) -> bool:
    """A framework whose levels already rank teachers' answered responses."""
    if framework is None or framework.pk is None:
        return False
    if not hasattr(framework, "has_answers"):
        framework.has_answers = (
            Response.objects.filter(instrument__framework=framework)
            .exclude(status=Response.Status.DRAFT)
            .exists()
        )
    return framework.has_answers


class InstrumentLockedError(Exception):
    def __init__(self, instrument: Instrument):
        super().__init__(
            _(
                "Teachers have already answered “%(instrument)s”, so its questions can no longer "
                "change. Duplicate it as a new version and edit the copy."
            )
            % {"instrument": instrument}
        )
