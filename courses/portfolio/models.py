"""The portfolio's own rows: reflections, the teacher's choices, share links and stage rules."""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The stages of a teacher's professional development, in order."""

    ADAPTATION = "adaptation", _("Adaptation")
    SELF_ACTUALISATION = "self_actualisation", _("Self-actualisation")
    FREE_MASTERY = "free_mastery", _("Free mastery")
    CREATIVE = "creative", _("Creative level")


STAGE_ORDER = [stage.value for stage in Stage]


class Reflection(models.Model):
    """What changed in the teacher's teaching, after a course or a round of diagnosis."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="reflections",
    )
    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("after the course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    round = models.ForeignKey(
        "diagnostics.Round",
        verbose_name=_("after the round"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("what changed in my teaching"), max_length=10000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    updated_at = models.DateTimeField(_("edited"), auto_now=True)

    class Meta:
        app_label = "courses"
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.user} — {self.created_at:%Y-%m-%d}"


class PortfolioProfile(models.Model):
    """A teacher's choices about their portfolio, and their current stage (for the directory)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="portfolio_profile",
    )
    in_directory = models.BooleanField(
        _("show me in the directory of innovative teachers"),
        default=True,
        help_text=_("Methodists and heads use it to invite mentors and speakers."),
    )
    # Derived by courses.portfolio.stages from levels and work; refreshed by a task, never typed.
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.ADAPTATION
    )
    stage_computed_at = models.DateTimeField(_("stage computed"), null=True, blank=True)

    class Meta:
        app_label = "courses"
        verbose_name = _("portfolio settings")
        verbose_name_plural = _("portfolio settings")
        indexes = [models.Index(fields=["stage", "in_directory"])]

    def __str__(self):
        return str(self.user)


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


class ShareLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ShareLink(models.Model):
    """A read-only link to a portfolio; it shows the sections the teacher ticked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="portfolio_links",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_share_token)
    sections = models.JSONField(_("sections shown"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = models.Manager.from_queryset(ShareLinkQuerySet)()

    class Meta:
        app_label = "courses"
        verbose_name = _("portfolio share link")
        verbose_name_plural = _("portfolio share links")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} — {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("portfolio:shared", args=[self.token])


class StageRule(models.Model):
    """One rule of the stage ladder. Rules are tried in order; the first that holds gives the
    stage. A teacher no rule fits is at the adaptation stage. Every minimum left empty is not
    asked."""

    position = models.PositiveSmallIntegerField(_("order"), default=0)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    min_level_rank = models.PositiveSmallIntegerField(
        _("overall level at least (rank)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The rank of the readiness level in the latest scored diagnosis: 1, 2, 3..."),
    )
    min_courses = models.PositiveSmallIntegerField(_("courses completed, at least"), default=0)
    min_accepted_works = models.PositiveSmallIntegerField(_("accepted works, at least"), default=0)
    min_creative_works = models.PositiveSmallIntegerField(
        _("accepted creative works, at least"), default=0
    )
    min_speaker_events = models.PositiveSmallIntegerField(
        _("times as a mentor or round-table speaker, at least"), default=0
    )
    note = models.CharField(_("note for methodists"), max_length=255, blank=True)

    class Meta:
        app_label = "courses"
        verbose_name = _("stage rule")
        verbose_name_plural = _("stage rules")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.position}. {self.get_stage_display()}"
