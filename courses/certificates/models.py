from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)

    def of(self, user):
        return self.filter(user=user)


class Certificate(models.Model):
    """A course completed, certified. The text fields are a snapshot taken at issue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    holder_name = models.CharField(_("holder"), max_length=200)
    course_title = models.CharField(_("course title"), max_length=255)
    hours = models.PositiveSmallIntegerField(_("hours"))
    areas = models.JSONField(_("competence areas"), default=list, blank=True)
    issued_on = models.DateField(_("issued on"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = models.Manager.from_queryset(CertificateQuerySet)()

    class Meta:
        app_label = "courses"
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            # A revoked certificate stays: completing the course again does not reissue it.
            models.UniqueConstraint(fields=["user", "course"], name="one_certificate_per_course"),
        ]

    def __str__(self):
        return f"{self.code} — {self.holder_name}: {self.course_title}"

    def get_absolute_url(self):
        return reverse("certificates:verify-code", args=[self.code])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
