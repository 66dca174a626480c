"""Study groups: the runs that make them, the groups and their members."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diagnostics.models.frameworks import Area, Level
from diagnostics.models.taking import Response, Round
from lms.roles import Role


class GroupingRun(models.Model):
    """One run of grouping for a round: the options a methodist chose and what it produced."""

    class Scope(models.TextChoices):
        SCHOOL = "school", _("Each school on its own")
        DISTRICT = "district", _("Schools of a district together")

    class Strategy(models.TextChoices):
        LEVEL = "level", _("By readiness level")
        WEAKEST_AREA = "weakest_area", _("By weakest area within a level")

    class Status(models.TextChoices):
        # A methodist's run is planned first and written only once confirmed; a run started by
        # new scores (and a confirmed one) is "running" until its groups are written.
        PLANNING = "planning", _("Planning")
        PLANNED = "planned", _("Waiting for confirmation")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        OUTDATED = "outdated", _("Out of date")

    # Smaller groups are made only when a methodist asks for them (docs/grouping.md).
    DEFAULT_MIN_SIZE = 5

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
    min_size = models.PositiveSmallIntegerField(
        _("smallest group"),
        default=DEFAULT_MIN_SIZE,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text=_(
            "No group is made smaller. Teachers of a level with fewer are placed with the nearest "
            "level; a school (or district) with fewer teachers in all is not grouped."
        ),
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
    # The planned groups shown to the methodist before anyone is moved, and what the plan was
    # made from (diagnostics/grouping/preview.py). Lists defer it: it holds every teacher's id.
    preview = models.JSONField(_("preview"), default=dict, blank=True, editable=False)
    # When its task was last queued, and how many times in all: the sweeper queues a run whose
    # worker stopped once more, then fails it (diagnostics/grouping/store.py).
    queued_at = models.DateTimeField(_("queued"), default=timezone.now, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1, editable=False)
    restarted_at = models.DateTimeField(_("started again"), null=True, editable=False)

    class Meta:
        verbose_name = _("grouping run")
        verbose_name_plural = _("grouping runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["round", "-started_at"])]

    def __str__(self):
        return f"{self.round} — {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    @property
    def stopped_note(self) -> str:
        """What the methodist reads when a worker stopped during this run; "" if none did."""
        if self.status == self.Status.FAILED and "stopped_after" in self.summary:
            return _(
                "Failed after %(attempts)d attempts: the worker stopped each time before the "
                "run finished. Start the grouping again."
            ) % {"attempts": self.summary["stopped_after"]}
        if self.restarted_at is not None:
            return _("The worker stopped; started again at %(time)s.") % {
                "time": f"{timezone.localtime(self.restarted_at):%Y-%m-%d %H:%M}"
            }
        return ""


class StudyGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Methodists and administrators see every group; a head the groups of their school
        (a district group when one of its members works there); a teacher only their own."""
        if not user.is_authenticated:
            return self.none()
        if user.reads_every_school:
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
