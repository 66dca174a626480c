"""Competence frameworks, instruments, rounds of diagnosis, responses and their scores.

Texts a teacher reads (names, questions, choices, level descriptions) are translatable field by
field (diagnostics/translation.py), so teachers of different languages take one instrument and
their results compare. Scores are stored as points and as percentages of the maximum; readiness
levels come from the instrument's bands.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diagnostics.querysets import ResponseQuerySet, RoundQuerySet
from lms.roles import Role


class Framework(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("competence framework")
        verbose_name_plural = _("competence frameworks")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Area(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="areas"
    )
    code = models.SlugField(_("code"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_code_unique"),
        ]

    def __str__(self):
        return self.name


class Level(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="levels"
    )
    code = models.SlugField(_("code"), max_length=64)
    position = models.PositiveSmallIntegerField(
        _("rank"), default=0, help_text=_("1 for the first readiness level, then 2, 3, ...")
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    next_steps = models.TextField(_("what to do next"), blank=True)

    class Meta:
        verbose_name = _("readiness level")
        verbose_name_plural = _("readiness levels")
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="level_code_unique"),
        ]

    def __str__(self):
        return self.name


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

    @property
    def is_locked(self) -> bool:
        """Anything that changes scoring is locked once a teacher has answered."""
        return (
            Response.objects.filter(instrument=self).exclude(status=Response.Status.DRAFT).exists()
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
    flag_message = models.TextField(_("message for the head and methodist"), blank=True)

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
            ),
            models.UniqueConstraint(
                fields=["instrument", "level"],
                condition=Q(area__isnull=True),
                name="band_overall_level_unique",
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
                condition=Q(credit__gte=-1, credit__lte=1), name="choice_credit_range"
            ),
        ]

    def __str__(self):
        return self.text or self.answer_key or str(self.value)


class Round(models.Model):
    """A diagnosis opened for some schools (or a whole region) between two dates."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("title"), max_length=255)
    schools = models.ManyToManyField(
        "lms.School", verbose_name=_("schools"), blank=True, related_name="rounds"
    )
    region = models.CharField(
        _("whole region"),
        max_length=150,
        blank=True,
        help_text=_("Every school of this region takes part, besides the schools chosen."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    regroup_automatically = models.BooleanField(
        _("regroup when new scores arrive"),
        default=False,
        help_text=_(
            "Re-run the last grouping of this round with the same options whenever new responses "
            "are scored. Locked groups and teachers moved by hand stay where they are."
        ),
    )

    objects = models.Manager.from_queryset(RoundQuerySet)()

    class Meta:
        verbose_name = _("round of diagnosis")
        verbose_name_plural = _("rounds of diagnosis")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="round_closes_after_opening",
                violation_error_message=_("A round must close after it opens."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        # Checked when the instrument is chosen, so archiving an instrument later does not make
        # its past rounds invalid.
        if not self.instrument_id:
            return
        chosen_now = (
            self._state.adding
            or not Round.objects.filter(pk=self.pk, instrument_id=self.instrument_id).exists()
        )
        if chosen_now and self.instrument.status != Instrument.Status.PUBLISHED:
            raise ValidationError(
                {"instrument": _("Only a published instrument can be opened as a round.")}
            )

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        # Scoring claims submitted responses with row locks inside its transaction, so a worker
        # killed mid-way leaves them "submitted" for the next task: no intermediate state.
        SUBMITTED = "submitted", _("Submitted")
        SCORED = "scored", _("Scored")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="responses"
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="+"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="diagnostic_responses",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    scored_at = models.DateTimeField(_("scored"), null=True, blank=True)
    points = models.DecimalField(
        _("points"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    max_points = models.DecimalField(
        _("maximum points"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    percent = models.DecimalField(
        _("percent"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, null=True, blank=True
    )

    objects = models.Manager.from_queryset(ResponseQuerySet)()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "teacher"], name="one_response_per_round"),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["teacher", "status"]),
        ]

    def __str__(self):
        return f"{self.teacher} — {self.round}"

    def get_absolute_url(self):
        return reverse("diagnostics:result", args=[self.pk])


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    number = models.DecimalField(
        _("number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    text = models.TextField(_("text"), blank=True)
    text_key = models.CharField(_("normalised text"), max_length=255, blank=True)
    points = models.DecimalField(
        _("points"), max_digits=10, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question} = {self.text or self.number}"


class AnswerChoice(models.Model):
    """A chosen option; for matching, the prompt (`choice`) and the match picked for it."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="selections"
    )
    choice = models.ForeignKey(
        Choice, verbose_name=_("choice"), on_delete=models.PROTECT, related_name="+"
    )
    matched_choice = models.ForeignKey(
        Choice,
        verbose_name=_("matched with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("selected choice")
        verbose_name_plural = _("selected choices")
        constraints = [
            models.UniqueConstraint(fields=["answer", "choice"], name="choice_once_per_answer"),
        ]

    def __str__(self):
        return str(self.choice_id)


class AreaScore(models.Model):
    """A response's score in one area: over all its competence items, or one part of them."""

    class Part(models.TextChoices):
        ALL = "all", pgettext_lazy("score over every part of an area", "All")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
        KNOWLEDGE = "knowledge", _("Knowledge test")

    # No index of its own: the unique (response, area, part) index serves every lookup by
    # response, and scoring writes 18 rows a response, each paying for every index.
    response = models.ForeignKey(
        Response,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="area_scores",
        db_index=False,
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT)
    part = models.CharField(_("part"), max_length=20, choices=Part.choices)
    points = models.DecimalField(_("points"), max_digits=10, decimal_places=4)
    max_points = models.DecimalField(_("maximum points"), max_digits=10, decimal_places=4)
    percent = models.DecimalField(_("percent"), max_digits=7, decimal_places=2)
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("area score")
        verbose_name_plural = _("area scores")
        ordering = ["response", "area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "area", "part"], name="one_score_per_area_part"
            ),
        ]

    def __str__(self):
        return f"{self.area}: {self.percent}%"


class ScaleScore(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="scale_scores"
    )
    scale = models.ForeignKey(AttitudeScale, verbose_name=_("scale"), on_delete=models.CASCADE)
    percent = models.DecimalField(_("percent"), max_digits=7, decimal_places=2)
    flagged = models.BooleanField(_("flagged"), default=False)

    class Meta:
        verbose_name = _("attitude score")
        verbose_name_plural = _("attitude scores")
        constraints = [
            models.UniqueConstraint(fields=["response", "scale"], name="one_score_per_scale"),
        ]

    def __str__(self):
        return f"{self.scale}: {self.percent}%"


class ItemStatisticsReport(models.Model):
    """Item statistics of one round, computed by Celery and kept as JSON for methodists."""

    round = models.OneToOneField(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="item_statistics"
    )
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    respondents = models.PositiveIntegerField(_("respondents"), default=0)
    data = models.JSONField(_("statistics"), default=dict)

    class Meta:
        verbose_name = _("item statistics")
        verbose_name_plural = _("item statistics")

    def __str__(self):
        return str(self.round)


class GroupingRun(models.Model):
    """One run of grouping for a round: the options a methodist chose and what it produced."""

    class Scope(models.TextChoices):
        SCHOOL = "school", _("Each school on its own")
        DISTRICT = "district", _("Schools of a district together")

    class Strategy(models.TextChoices):
        LEVEL = "level", _("By readiness level")
        WEAKEST_AREA = "weakest_area", _("By weakest area within a level")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="grouping_runs"
    )
    scope = models.CharField(
        _("group teachers"), max_length=10, choices=Scope.choices, default=Scope.SCHOOL
    )
    size_limit = models.PositiveSmallIntegerField(
        _("largest group"),
        default=20,
        validators=[MinValueValidator(2), MaxValueValidator(500)],
        help_text=_("Larger sets of teachers are split into even groups no bigger than this."),
    )
    strategy = models.CharField(
        _("put together"), max_length=16, choices=Strategy.choices, default=Strategy.LEVEL
    )
    keep_language_together = models.BooleanField(
        _("keep each language of instruction together"), default=False
    )
    mentors = models.BooleanField(
        _("mentors"),
        default=False,
        help_text=_(
            "Place one teacher of the top level in each lower-level group while there are enough."
        ),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    automatic = models.BooleanField(_("started by new scores"), default=False, editable=False)
    summary = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("grouping run")
        verbose_name_plural = _("grouping runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["round", "-started_at"])]

    def __str__(self):
        return f"{self.round} — {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class StudyGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Methodists and administrators see every group; a head the groups of their school
        (a district group when one of its members works there); a teacher only their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_administrator or user.role == Role.METHODIST:
            return self
        if user.role == Role.SCHOOL_HEAD and user.school_id:
            colleague = GroupMembership.objects.filter(
                group=models.OuterRef("pk"), teacher__school_id=user.school_id
            )
            return self.filter(
                Q(school_id=user.school_id) | (Q(school__isnull=True) & Q(models.Exists(colleague)))
            )
        if user.role == Role.TEACHER:
            return self.filter(
                models.Exists(
                    GroupMembership.objects.filter(group=models.OuterRef("pk"), teacher=user)
                )
            )
        return self.none()


class StudyGroup(models.Model):
    """Teachers of one round who learn together: one school (or district), one readiness level."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="study_groups"
    )
    run = models.ForeignKey(
        GroupingRun,
        verbose_name=_("grouping run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="groups",
    )
    school = models.ForeignKey(
        "lms.School",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="study_groups",
        help_text=_("Empty for a group of a whole district."),
    )
    region = models.CharField(_("region"), max_length=150, blank=True)
    district = models.CharField(_("district"), max_length=150, blank=True)
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="study_groups"
    )
    weakest_area = models.ForeignKey(
        Area,
        verbose_name=_("weakest area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    name = models.CharField(_("name"), max_length=255)
    # The planning bucket (scope, level, area, language) the group was made for; with `number`
    # it names a group uniquely within its round, so a retried run cannot make a twin.
    bucket = models.CharField(max_length=255, editable=False)
    locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_("A locked group and its members are kept exactly as they are by re-runs."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = models.Manager.from_queryset(StudyGroupQuerySet)()

    class Meta:
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")
        ordering = ["round", "region", "district", "school", "level__position", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "bucket", "number"], name="study_group_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["school", "round"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("diagnostics:group", args=[self.pk])

    @property
    def display_name(self) -> str:
        """The name in the reader's language (`name` keeps the site language's, for search)."""
        return _("%(group)s — %(number)s") % {"group": self.label, "number": self.number}

    @property
    def label(self) -> str:
        """What the group's teachers share: level, and area, language, district when set."""
        parts = [self.level.name]
        if self.weakest_area_id:
            parts.append(self.weakest_area.name)
        if self.language:
            parts.append(self.language.upper())
        if self.school_id is None and self.district:
            parts.insert(0, self.district)
        return " · ".join(parts)


class GroupMembership(models.Model):
    # `round` is a copy of the group's round, kept for the one-group-per-round constraint (whose
    # index also serves lookups by round), and `response` a shortcut to the scores; only the
    # grouping service writes them. Neither has a database constraint: checking them for each
    # of 100,000 inserted rows doubled a run's commit (docs/grouping.md). Django still cascades
    # and nulls them when a round or response is deleted.
    round = models.ForeignKey(
        Round,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    group = models.ForeignKey(
        StudyGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="memberships"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    response = models.ForeignKey(
        Response,
        verbose_name=_("response"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    is_mentor = models.BooleanField(_("mentor"), default=False)
    placed_by_hand = models.BooleanField(
        _("placed by hand"),
        default=False,
        help_text=_("Re-runs keep a teacher placed by hand in this group."),
    )

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "-is_mentor", "teacher__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "teacher"], name="one_group_per_teacher_per_round"
            ),
        ]

    def __str__(self):
        return f"{self.teacher} — {self.group}"
