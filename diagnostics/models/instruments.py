"""Instruments (questionnaires and tests) with their attitude scales, level thresholds,
questions and the key of each question (its choices)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diagnostics.models.frameworks import Area, Framework, Level


class Instrument(models.Model):
    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment survey")
        KNOWLEDGE_TEST = "knowledge_test", _("Knowledge test")
        COMBINED = "combined", _("Self-assessment and knowledge test")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class ThresholdUnit(models.TextChoices):
        PERCENT = "percent", _("Percent of the maximum score")
        POINTS = "points", _("Raw points")

    class HeadSees(models.TextChoices):
        """What a school head reads about one teacher (the teacher is told before starting)."""

        EACH_TEACHER = "each_teacher", _("Each teacher's level and area percents")
        GROUPS_ONLY = "groups_only", _("Only figures over groups of at least 5 teachers")

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="instruments"
    )
    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous_version = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_versions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    threshold_unit = models.CharField(
        _("thresholds in"),
        max_length=10,
        choices=ThresholdUnit.choices,
        default=ThresholdUnit.PERCENT,
    )
    head_sees = models.CharField(
        _("what a school head sees"),
        max_length=16,
        choices=HeadSees.choices,
        default=HeadSees.EACH_TEACHER,
        help_text=_(
            "Teachers read who sees what before they start; the text follows this setting."
        ),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    instructions = models.TextField(_("instructions for teachers"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_version_unique"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self):
        return reverse("diagnostics:preview", args=[self.pk])

    def is_version_of(self, other: "Instrument") -> bool:
        """The same instrument or one of its versions (authoring/versions.py keeps the code):
        only such rounds compare, area by area and level by level."""
        return self.code == other.code

    @property
    def is_locked(self) -> bool:
        """Anything that changes scoring is locked once a teacher has answered."""
        # Looked up by name: diagnostics.models.taking imports this module, not the reverse.
        response_model = self._meta.apps.get_model("diagnostics", "Response")
        return (
            response_model.objects.filter(instrument=self)
            .exclude(status=response_model.Status.DRAFT)
            .exists()
        )


class AttitudeScale(models.Model):
    """A short attitude scale (computer anxiety, motivation) reported as flags, never scored."""

    class FlagWhen(models.TextChoices):
        AT_OR_ABOVE = "at_or_above", _("at or above")
        AT_OR_BELOW = "at_or_below", _("at or below")

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="scales"
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    flag_when = models.CharField(
        _("flag when the scale is"), max_length=12, choices=FlagWhen.choices
    )
    flag_percent = models.DecimalField(
        _("flag threshold, %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    flag_message = models.TextField(
        _("message for the head and methodist"),
        blank=True,
        help_text=_("Never shown to the teacher."),
    )
    teacher_message = models.TextField(
        _("message for the teacher"),
        blank=True,
        help_text=_("What a flagged teacher reads on their result page."),
    )

    class Meta:
        verbose_name = _("attitude scale")
        verbose_name_plural = _("attitude scales")
        ordering = ["instrument", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="scale_code_unique"),
        ]

    def __str__(self):
        return self.name


class LevelBand(models.Model):
    """The lowest score (inclusive) that reaches a level, overall (no area) or in one area."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="bands"
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty for the overall score."),
    )
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.CASCADE)
    min_score = models.DecimalField(
        _("from score"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("level threshold")
        verbose_name_plural = _("level thresholds")
        ordering = ["instrument", "area", "min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "area", "level"],
                condition=Q(area__isnull=False),
                name="band_area_level_unique",
                violation_error_message=_("This level already has a threshold in this area."),
            ),
            models.UniqueConstraint(
                fields=["instrument", "level"],
                condition=Q(area__isnull=True),
                name="band_overall_level_unique",
                violation_error_message=_(
                    "This level already has a threshold for the overall score."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.level} ≥ {self.min_score}"


class Question(models.Model):
    class Part(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
        KNOWLEDGE = "knowledge", _("Knowledge test")
        ATTITUDE = "attitude", _("Attitude scale")

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        LIKERT = "likert", _("Rating scale")
        LEVEL_STATEMENTS = "level_statements", _("Level statements")
        TRUE_FALSE = "true_false", _("True / false")
        SHORT_ANSWER = "short_answer", _("Short answer")
        NUMERICAL = "numerical", _("Numerical")
        MATCHING = "matching", _("Matching")
        FREE_TEXT = "free_text", _("Free text (not scored)")

    class TextFormat(models.TextChoices):
        # Moodle's own "auto-format" is read as plain text: line breaks kept, nothing markup.
        PLAIN = "plain", _("Plain text")
        HTML = "html", _("HTML (sanitised)")
        MARKDOWN = "markdown", _("Markdown")

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="questions"
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Every competence question belongs to an area; attitude items do not."),
    )
    scale = models.ForeignKey(
        AttitudeScale,
        verbose_name=_("attitude scale"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    code = models.SlugField(_("code"), max_length=64)
    position = models.PositiveIntegerField(_("position"), default=0)
    part = models.CharField(_("part"), max_length=20, choices=Part.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("question"))
    text_format = models.CharField(
        _("text format"), max_length=10, choices=TextFormat.choices, default=TextFormat.PLAIN
    )
    help_text = models.TextField(_("hint"), blank=True)
    feedback = models.TextField(_("feedback after scoring"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(0)],
    )
    required = models.BooleanField(_("answer required"), default=True)
    scale_min = models.SmallIntegerField(_("scale from"), null=True, blank=True)
    scale_max = models.SmallIntegerField(_("scale to"), null=True, blank=True)
    reverse_coded = models.BooleanField(
        _("reverse-coded"), default=False, help_text=_("Agreement means lower competence.")
    )
    case_sensitive = models.BooleanField(_("case-sensitive answers"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["instrument", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="question_code_unique"),
            models.CheckConstraint(
                condition=Q(part="attitude", scale__isnull=False)
                | (~Q(part="attitude") & Q(area__isnull=False)),
                name="question_area_or_scale",
                violation_error_message=_(
                    "A competence question needs an area; an attitude item needs a scale."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="likert")
                | Q(
                    scale_min__isnull=False,
                    scale_max__isnull=False,
                    scale_max__gt=models.F("scale_min"),
                ),
                name="likert_has_scale",
                violation_error_message=_("A rating scale needs a range, e.g. from 1 to 5."),
            ),
        ]
        indexes = [models.Index(fields=["instrument", "area"])]

    def __str__(self):
        return self.code

    @property
    def is_scored(self) -> bool:
        return self.kind != self.Kind.FREE_TEXT and self.part != self.Part.ATTITUDE


class Choice(models.Model):
    """One row of a question's key: an option, an accepted answer, a numeric range or a pair.

    `credit` is the fraction of the question's weight the choice earns (-1 to 1).
    Short answers compare `answer_key` (normalised, language-neutral); numerical answers accept
    value ± tolerance; matching pairs `text` (the prompt) with `match_text` (an empty prompt is a
    distractor on the right-hand side).
    """

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text"), blank=True)
    match_text = models.TextField(_("matches"), blank=True)
    credit = models.DecimalField(
        _("credit"),
        max_digits=6,
        decimal_places=4,
        default=Decimal(0),
        validators=[MinValueValidator(-1), MaxValueValidator(1)],
        help_text=_("Share of the question's weight: 1 = full, 0.5 = half, -0.5 = penalty."),
    )
    answer_key = models.CharField(_("accepted answer"), max_length=255, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    tolerance = models.DecimalField(
        _("tolerance"), max_digits=14, decimal_places=4, default=Decimal(0), blank=True
    )
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit__gte=-1, credit__lte=1),
                name="choice_credit_range",
                violation_error_message=_("The credit must be between -1 and 1."),
            ),
        ]

    def __str__(self):
        return self.text or self.answer_key or str(self.value)
