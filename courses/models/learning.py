"""A teacher's learning: enrolments, the evidence of completed lessons, and what is derived from it.

`CompletionEvent` rows are the facts (marked done, video watched to 90 %, quiz passed, ...) and
are never rewritten. `LessonProgress` and the counters on `Enrolment` are derived from the events
and the lessons' current completion rules, so a rule change is followed by a recompute
(`courses.progress`), never by editing progress by hand.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models.choices import Evidence
from courses.querysets import EnrolmentQuerySet, LearningPathQuerySet


class Enrolment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Enrolled themselves")
        GROUP = "group", _("Through their study group")
        ASSIGNED = "assigned", _("Assigned by a methodist")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="course_enrolments",
    )
    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    source = models.CharField(
        _("enrolled"), max_length=12, choices=Source.choices, default=Source.SELF
    )
    group = models.ForeignKey(
        "diagnostics.StudyGroup",
        verbose_name=_("study group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    # Derived from LessonProgress by courses.progress; stored so lists and bars read one row.
    lessons_total = models.PositiveIntegerField(_("lessons to complete"), default=0)
    lessons_done = models.PositiveIntegerField(_("lessons completed"), default=0)
    percent = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.Lesson",
        verbose_name=_("last lesson opened"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    objects = models.Manager.from_queryset(EnrolmentQuerySet)()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-last_activity_at", "-enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="one_enrolment_per_course"),
        ]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self):
        return f"{self.user} — {self.course}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class CompletionEvent(models.Model):
    """One piece of evidence that a teacher did a lesson. Append-only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="completion_events",
    )
    lesson = models.ForeignKey(
        "courses.Lesson",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="completion_events",
    )
    evidence = models.CharField(_("evidence"), max_length=30, choices=Evidence.choices)
    score = models.DecimalField(
        _("score, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Who or what recorded it, for the quiz attempt, H5P statement or reviewed work behind it.
    source_ref = models.CharField(_("source"), max_length=100, blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("completion event")
        verbose_name_plural = _("completion events")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["lesson", "evidence", "user"]),
            models.Index(fields=["user", "lesson"]),
        ]

    def __str__(self):
        return f"{self.user} — {self.lesson}: {self.get_evidence_display()}"


class LessonProgress(models.Model):
    """Where one enrolment stands in one lesson: opened, how much video seen, completed."""

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        "courses.Lesson",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    first_opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    last_opened_at = models.DateTimeField(_("last opened"), null=True, blank=True)
    video_fraction = models.DecimalField(
        _("video watched"), max_digits=4, decimal_places=3, default=0
    )
    best_score = models.DecimalField(
        _("best score, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.CharField(
        _("completed by"), max_length=30, choices=Evidence.choices, blank=True
    )

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        ordering = ["enrolment", "lesson"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_progress_per_lesson"),
        ]
        indexes = [models.Index(fields=["lesson", "completed_at"])]

    def __str__(self):
        return f"{self.enrolment} — {self.lesson}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class CompletionRecompute(models.Model):
    """A recompute of a course's progress after a rule change: the methodist's progress bar."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="recomputes",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    revoke_earned = models.BooleanField(
        _("also take back completions the new rules no longer support"), default=False
    )
    enrolments_total = models.PositiveIntegerField(_("enrolments"), default=0)
    enrolments_done = models.PositiveIntegerField(_("enrolments recomputed"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("progress recompute")
        verbose_name_plural = _("progress recomputes")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.course} — {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if not self.enrolments_total:
            return 100 if self.status == self.Status.DONE else 0
        return round(100 * self.enrolments_done / self.enrolments_total)


class GroupCourseAssignment(models.Model):
    """A course a methodist gave a whole study group: every member is enrolled."""

    group = models.ForeignKey(
        "diagnostics.StudyGroup",
        verbose_name=_("study group"),
        on_delete=models.CASCADE,
        related_name="course_assignments",
    )
    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="group_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    due_on = models.DateField(_("to finish by"), null=True, blank=True)

    class Meta:
        verbose_name = _("course of a study group")
        verbose_name_plural = _("courses of study groups")
        ordering = ["-assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "course"], name="course_once_per_group"),
        ]

    def __str__(self):
        return f"{self.group} — {self.course}"


class LearningPathEntry(models.Model):
    """One recommended course in a teacher's ordered learning path."""

    class Reason(models.TextChoices):
        WEAKEST_AREA = "weakest_area", _("Develops one of your weakest areas")
        LEVEL = "level", _("Suits your readiness level")
        GROUP = "group", _("Assigned to your study group")

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="learning_path",
    )
    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="path_entries",
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    area = models.ForeignKey(
        "diagnostics.Area",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    level = models.ForeignKey(
        "diagnostics.Level",
        verbose_name=_("level"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The scored diagnosis the path was built from: a newer one rebuilds it.
    response = models.ForeignKey(
        "diagnostics.Response",
        verbose_name=_("built from the diagnosis"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    round = models.ForeignKey(
        "diagnostics.Round",
        verbose_name=_("round"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    built_at = models.DateTimeField(_("built"), default=timezone.now)

    objects = models.Manager.from_queryset(LearningPathQuerySet)()

    class Meta:
        verbose_name = _("learning path entry")
        verbose_name_plural = _("learning path entries")
        ordering = ["teacher", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "course"], name="course_once_in_path"),
        ]
        indexes = [models.Index(fields=["teacher", "rank"])]

    def __str__(self):
        return f"{self.teacher} #{self.rank}: {self.course}"
