"""What scoring stores for a response (per area, per attitude scale) and a round's item
statistics."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diagnostics.models.frameworks import Area, Level
from diagnostics.models.instruments import AttitudeScale
from diagnostics.models.taking import Response, Round


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
