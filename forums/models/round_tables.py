from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.querysets import RoundTableQuerySet


class RoundTable(models.Model):
    """A scheduled discussion with its own thread: who speaks, who may come, and what came of it.

    Who may see it is who may read its forum; its thread is a topic in that forum."""

    title = models.CharField(_("topic"), max_length=200)
    forum = models.ForeignKey(
        "forums.Forum",
        verbose_name=_("forum"),
        on_delete=models.CASCADE,
        related_name="round_tables",
        help_text=_("Who may read this forum may see and join the round table."),
    )
    topic = models.OneToOneField(
        "forums.Topic",
        verbose_name=_("thread"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="round_table",
        editable=False,
    )
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"), default=90)
    agenda = models.TextField(_("agenda"), blank=True)
    speakers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("speakers"), blank=True, related_name="+"
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("moderators"), blank=True, related_name="+"
    )
    capacity = models.PositiveIntegerField(_("places"), default=30)
    meeting_url = models.URLField(
        _("meeting link"),
        blank=True,
        help_text=_("A link to any video service. Leave empty when BigBlueButton is configured."),
    )
    bbb_meeting_id = models.CharField(max_length=100, blank=True, editable=False)
    outcomes = models.TextField(_("minutes and outcomes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The reminders' claims: set once by a guarded UPDATE, so a re-run never reminds twice.
    reminded_day_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_hour_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = models.Manager.from_queryset(RoundTableQuerySet)()

    class Meta:
        verbose_name = _("round table")
        verbose_name_plural = _("round tables")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="round_table_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:round-table", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def is_past(self, now=None) -> bool:
        return self.ends_at <= (now or timezone.now())


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    round_table = models.ForeignKey(
        RoundTable, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="round_table_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round_table", "user"], name="one_registration")
        ]

    def __str__(self):
        return f"{self.user} — {self.round_table}: {self.status}"
