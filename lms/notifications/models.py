from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.notifications.registry import Delivery, render_text


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Mail(models.TextChoices):
        NONE = "none", _("in-app only")
        PENDING = "pending", _("to send now")
        DIGEST = "digest", _("waiting for the digest")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("no longer visible, not sent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=64)
    # Parameters of the kind's sentence: the text is put together when read, in the reader's
    # language, so a letter and the bell never freeze the sender's language.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # What the notification is about, for the kind's visibility check (a post id, a round id).
    target_id = models.BigIntegerField(_("target"), null=True, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    mail = models.CharField(_("e-mail"), max_length=10, choices=Mail.choices, default=Mail.NONE)

    objects = models.Manager.from_queryset(NotificationQuerySet)()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            # The bell's count reads only this small partial index.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(
                fields=["mail", "recipient"],
                condition=Q(mail__in=["pending", "digest"]),
                name="notification_mail_queue",
            ),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("notifications:open", args=[self.pk])

    @property
    def text(self) -> str:
        return render_text(self.kind, self.params)


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=64)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self):
        return f"{self.user} — {self.kind}: {self.delivery}"
