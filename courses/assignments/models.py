"""What an assignment asks, what teachers hand in, and how it is judged.

A `Submission` is one teacher's work on one assignment: the draft they are typing (autosaved)
and the state of the latest handed-in `SubmissionVersion`. Every version is kept with its files
and its reviews, so the history of a returned and resubmitted work is never lost. Files live in
a private storage with no URL: they are served by a view that checks who asks.
"""

import os
import uuid
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from courses.assignments.querysets import SubmissionQuerySet
from courses.models.choices import LessonKind

# Lessons whose kind is handing in work (the research's practical methods).
ASSIGNABLE_KINDS = frozenset(
    {LessonKind.PRACTICAL_WORK, LessonKind.LABORATORY, LessonKind.INDEPENDENT, LessonKind.CREATIVE}
)
DEFAULT_FILE_TYPES = "pdf,docx,pptx,xlsx,odt,odp,ods,png,jpg"


def private_root() -> Path:
    """Where handed-in files live: beside MEDIA_ROOT, never inside it (MEDIA_URL may be public)."""
    configured = getattr(settings, "USTAZ_PRIVATE_ROOT", None) or os.environ.get(
        "USTAZ_PRIVATE_ROOT"
    )
    if configured:
        return Path(configured)
    media = Path(settings.MEDIA_ROOT)
    return media.parent / f"{media.name}-private"


class PrivateWorkStorage(FileSystemStorage):
    """A file system storage without a URL, whose root follows the settings (tests move it)."""

    @property
    def base_location(self):
        return private_root()

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def deconstruct(self):
        return ("courses.assignments.models.PrivateWorkStorage", (), {})


work_storage = PrivateWorkStorage()


def work_file_path(instance, filename: str) -> str:
    # The teacher's file name is kept in `original_name`; on disk only a random name.
    extension = PurePosixPath(filename).suffix.lower()[:10]
    return f"work/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Assignment(models.Model):
    lesson = models.OneToOneField(
        "courses.Lesson",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="assignment",
    )
    instructions = models.TextField(_("instructions"), help_text=_("Markdown."))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    accepts_text = models.BooleanField(_("a text may be handed in"), default=True)
    accepts_files = models.BooleanField(_("files may be handed in"), default=True)
    accepts_link = models.BooleanField(_("a link may be handed in"), default=False)
    file_types = models.CharField(
        _("file types allowed"),
        max_length=200,
        default=DEFAULT_FILE_TYPES,
        help_text=_("Checked by each file's content, not by its name."),
    )
    max_file_mb = models.PositiveSmallIntegerField(
        _("largest file, MB"), default=20, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    max_files = models.PositiveSmallIntegerField(
        _("files per version"), default=5, validators=[MinValueValidator(1)]
    )
    peer_feedback = models.BooleanField(
        _("peer feedback in the study group"),
        default=False,
        help_text=_("Each teacher is given two works of their group's peers to give feedback on."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["lesson"]

    def __str__(self):
        return str(self.lesson)

    def get_absolute_url(self):
        return reverse("assignments:assignment", args=[self.pk])

    @property
    def allowed_extensions(self) -> list[str]:
        return [part.strip() for part in self.file_types.split(",") if part.strip()]

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    @cached_property
    def max_points(self) -> int:
        return sum(row.max_points for row in self.rubric_rows.all())


class RubricRow(models.Model):
    """One criterion: a statement of the methodist's, or a readiness level in an area.

    A row naming a level is read as that level's description; accepted work that earns at least
    half of the row's points is evidence of the level in the area.
    """

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="rubric_rows",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    criterion = models.TextField(
        _("criterion"), blank=True, help_text=_("Leave empty to use the level's description.")
    )
    area = models.ForeignKey(
        "diagnostics.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    level = models.ForeignKey(
        "diagnostics.Level",
        verbose_name=_("level statement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    max_points = models.PositiveSmallIntegerField(
        _("points"), default=3, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("rubric row")
        verbose_name_plural = _("rubric rows")
        ordering = ["assignment", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(area__isnull=False),
                name="rubric_level_needs_area",
                violation_error_message=_("A level statement needs the area it is a level in."),
            ),
            models.CheckConstraint(
                condition=~models.Q(criterion="") | models.Q(level__isnull=False),
                name="rubric_row_says_something",
                violation_error_message=_("Write a criterion or choose a level statement."),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def is_level_statement(self) -> bool:
        return self.level_id is not None

    @property
    def text(self) -> str:
        if self.criterion:
            return self.criterion
        if self.level_id:
            return self.level.description or self.level.name
        return ""

    def is_met(self, points) -> bool:
        return points is not None and 2 * int(points) >= self.max_points


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="work_submissions",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The working copy: autosaved while the teacher types, copied into a version on submit.
    draft_text = models.TextField(_("text"), blank=True)
    draft_link = models.URLField(_("link"), max_length=500, blank=True)
    draft_saved_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    # Copies for the review queue's filters, taken when the work is first handed in, so the
    # queue reads one table and its indexes whatever the size.
    course = models.ForeignKey(
        "courses.Course", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "lms.School",
        verbose_name=_("school"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    group = models.ForeignKey(
        "diagnostics.StudyGroup",
        verbose_name=_("study group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    versions_count = models.PositiveSmallIntegerField(_("versions"), default=0)
    submitted_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)

    objects = models.Manager.from_queryset(SubmissionQuerySet)()

    class Meta:
        verbose_name = _("submitted work")
        verbose_name_plural = _("submitted works")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "author"], name="one_submission_per_assignment"
            ),
        ]
        indexes = [
            # The review queue: waiting works, oldest first, optionally by course or school.
            models.Index(fields=["status", "submitted_at", "id"], name="work_queue"),
            models.Index(fields=["course", "status", "submitted_at"], name="work_queue_course"),
            models.Index(fields=["school", "status", "submitted_at"], name="work_queue_school"),
            models.Index(fields=["group", "status", "submitted_at"], name="work_queue_group"),
        ]

    def __str__(self):
        return f"{self.author} — {self.assignment}"

    def get_absolute_url(self):
        return reverse("assignments:submission", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class SubmissionVersion(models.Model):
    """What the teacher handed in one time: never changed afterwards."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("work"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("handed in"), default=timezone.now)

    class Meta:
        verbose_name = _("version of a work")
        verbose_name_plural = _("versions of works")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="version_number_once"),
        ]

    def __str__(self):
        return f"{self.submission} v{self.number}"


class SubmissionFile(models.Model):
    """A file of the draft (no version yet) or of the version it was handed in with."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("work"), on_delete=models.CASCADE, related_name="files"
    )
    version = models.ForeignKey(
        SubmissionVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
    )
    file = models.FileField(
        _("file"), upload_to=work_file_path, storage=work_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    # Decided from the content by library.uploads, never from the name.
    extension = models.CharField(_("type"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("file of a work")
        verbose_name_plural = _("files of works")
        ordering = ["submission", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("assignments:file", args=[self.pk])


class Review(models.Model):
    """A methodist's judgement of one version: points per rubric row, a comment, a decision."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for changes")

    version = models.ForeignKey(
        SubmissionVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    # {rubric row id: points}; rows are few and always read with the review.
    scores = models.JSONField(_("points per criterion"), default=dict, blank=True)
    total_points = models.PositiveIntegerField(_("points"), default=0)
    max_points = models.PositiveIntegerField(_("out of"), default=0)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["version", "decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="one_review_per_version"),
        ]

    def __str__(self):
        return f"{self.version}: {self.get_decision_display()}"

    @property
    def percent(self) -> int:
        return round(100 * self.total_points / self.max_points) if self.max_points else 0


class PeerReview(models.Model):
    """A peer given a work to give feedback on, and the feedback once written."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("work"), on_delete=models.CASCADE, related_name="peer_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peer"),
        on_delete=models.CASCADE,
        related_name="peer_reviews_given",
    )
    version = models.ForeignKey(
        SubmissionVersion,
        verbose_name=_("version read"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer_reviews",
    )
    scores = models.JSONField(_("points per criterion"), default=dict, blank=True)
    comment = models.TextField(_("feedback"), blank=True)
    assigned_at = models.DateTimeField(_("given"), default=timezone.now)
    written_at = models.DateTimeField(_("written"), null=True, blank=True)

    class Meta:
        verbose_name = _("peer feedback")
        verbose_name_plural = _("peer feedback")
        ordering = ["submission", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer"], name="peer_once_per_work"),
        ]
        # "Never one's own work" is the allocation's rule (a check cannot span the join).
        indexes = [models.Index(fields=["reviewer", "submission"], name="peer_reviews_of")]

    def __str__(self):
        return f"{self.reviewer} → {self.submission}"

    @property
    def is_written(self) -> bool:
        return self.written_at is not None
