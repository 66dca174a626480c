"""Competence frameworks: the areas teachers are diagnosed in, the readiness levels they reach."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
