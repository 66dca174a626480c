"""What a quiz or an interactive lesson adds to its lesson: the quiz's settings and attempts,
the H5P package.

A quiz asks the diagnostics' questions: its pool is a diagnostics instrument of the
knowledge-test kind, so methodists author it with the instrument admin (and its GIFT and JSON
import), and each kind reads, prices and renders its answers as it does in a diagnosis — one
question engine. The pass mark is the lesson's own (`Lesson.pass_mark`), so the two can never
disagree.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The pass mark of a quiz whose lesson names none.
DEFAULT_PASS_MARK = Decimal(60)


class Quiz(models.Model):
    lesson = models.OneToOneField(
        "courses.Lesson",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="quiz",
        limit_choices_to={"kind": "quiz"},
    )
    instrument = models.ForeignKey(
        "diagnostics.Instrument",
        verbose_name=_("question pool"),
        on_delete=models.PROTECT,
        related_name="quizzes",
        limit_choices_to={"kind": "knowledge_test"},
        help_text=_(
            "A knowledge-test instrument whose questions the quiz asks; edit and import them "
            "(GIFT, JSON) in the instrument admin."
        ),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0: as many as the teacher wants.")
    )
    questions_drawn = models.PositiveSmallIntegerField(
        _("questions drawn at random"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: every question of the pool, in order."),
    )
    show_feedback = models.BooleanField(
        _("show feedback per answer after an attempt"), default=True
    )

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["lesson"]

    def __str__(self):
        return str(self.lesson)

    @property
    def pass_mark(self) -> Decimal:
        mark = self.lesson.pass_mark
        return DEFAULT_PASS_MARK if mark is None else mark


class QuizAttempt(models.Model):
    """One attempt: the questions drawn for it (kept: a reload never draws again) and its score."""

    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    question_ids = models.JSONField(_("questions drawn"), default=list)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    points = models.DecimalField(
        _("points"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    max_points = models.DecimalField(
        _("maximum points"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    score = models.DecimalField(
        _("score, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), default=False)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="quiz_attempt_number_unique"
            ),
            # At most one attempt in progress per teacher and quiz.
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(submitted_at__isnull=True),
                name="one_open_quiz_attempt",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.quiz} #{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class QuizAnswer(models.Model):
    """An answer as given (what the kind read from the form) and its price."""

    attempt = models.ForeignKey(
        QuizAttempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        "diagnostics.Question",
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="quiz_answers",
    )
    selected = models.JSONField(_("choices selected"), default=list, blank=True)
    number = models.DecimalField(
        _("number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    text = models.TextField(_("text"), blank=True)
    # {prompt choice id: chosen choice id}, keys as strings (JSON).
    matches = models.JSONField(_("matches"), default=dict, blank=True)
    fraction = models.DecimalField(
        _("share earned"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    points = models.DecimalField(
        _("points"), max_digits=10, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("quiz answer")
        verbose_name_plural = _("quiz answers")
        ordering = ["attempt", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="quiz_answer_once_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.attempt} — {self.question}"


def h5p_package_path(instance, filename: str) -> str:
    return f"courses/h5p-packages/{uuid.uuid4().hex}.h5p"


class InteractivePackage(models.Model):
    """The H5P package of an interactive lesson, and the folder it is unpacked into."""

    lesson = models.OneToOneField(
        "courses.Lesson",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="interactive",
        limit_choices_to={"kind": "interactive"},
    )
    package = models.FileField(
        _("H5P package"),
        upload_to=h5p_package_path,
        max_length=200,
        help_text=_(
            "A .h5p file exported with its libraries (H5P editors: “Download” with the "
            "libraries included), so it plays without the internet."
        ),
    )
    # Where the package is unpacked in media storage: courses/h5p/<random>/.
    folder = models.CharField(_("folder"), max_length=200, editable=False)
    title = models.CharField(_("title"), max_length=255, blank=True, editable=False)
    main_library = models.CharField(_("content type"), max_length=255, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("H5P package")
        verbose_name_plural = _("H5P packages")
        ordering = ["lesson"]

    def __str__(self):
        return self.title or self.main_library
