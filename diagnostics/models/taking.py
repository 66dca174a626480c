"""Rounds of diagnosis and what teachers answer in them: responses, answers, chosen options."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diagnostics.models.frameworks import Level
from diagnostics.models.instruments import Choice, Instrument, Question

# Scoring a submission normally takes seconds; past this the teacher is told it is delayed.
SCORING_DELAYED_AFTER = timedelta(seconds=30)


class RoundQuerySet(models.QuerySet):
    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def for_school(self, school):
        """Rounds a school takes part in: chosen by name, or through its whole region."""
        if school is None:
            return self.none()
        return self.filter(Q(schools=school) | Q(region=school.region, region__gt="")).distinct()

    def for_teacher(self, user):
        return self.for_school(user.school)


class ResponseQuerySet(models.QuerySet):
    def scored(self):
        return self.filter(status="scored")

    def waiting_for_scoring(self):
        return self.filter(status="submitted")


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
        # Scoring a round again can change every teacher's result and level at once, and an
        # export carries every teacher's answers out of Ustaz: each is a permission of its own,
        # not part of changing a round.
        permissions = [
            ("rescore_round", _("Can score a round again")),
            ("export_responses", _("Can export a round's responses")),
        ]
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

    @property
    def scoring_delayed(self) -> bool:
        """Submitted a while ago and not scored yet: the worker or the broker is away (the
        sweeper scores it once they are back), so the page says the result will follow."""
        return (
            self.status == self.Status.SUBMITTED
            and self.submitted_at is not None
            and self.submitted_at < timezone.now() - SCORING_DELAYED_AFTER
        )


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
