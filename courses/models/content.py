"""What methodists author: courses of ordered modules of ordered lessons.

Titles, summaries and lesson texts are translatable field by field (courses/translation.py), so
one course serves Kazakh and Russian teachers alike; `Course.language` names the language it was
written in. A lesson may carry a text per readiness level (`LessonVariant`): the teacher reads the
variant of their level in the area the lesson develops.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models.choices import Evidence, LessonKind
from courses.querysets import CourseQuerySet, LessonQuerySet


def _random_name(folder: str, filename: str) -> str:
    # The name a methodist gave the file is never used on disk: only its extension.
    extension = PurePosixPath(filename).suffix.lower()[:10]
    return f"courses/{folder}/{uuid.uuid4().hex}{extension}"


def course_cover_path(instance, filename: str) -> str:
    return _random_name("covers", filename)


def lesson_video_path(instance, filename: str) -> str:
    return _random_name("videos", filename)


def lesson_attachment_path(instance, filename: str) -> str:
    return _random_name("attachments", filename)


# The first segments of the courses app's other pages (/courses/overview/, /courses/needs/, …).
# A course's page is /courses/<slug>/, listed after them, so a course with one of these
# addresses could never be opened; tests/courses/test_course_slugs.py checks every page is here.
RESERVED_SLUGS = frozenset(
    {"overview", "needs", "lessons", "quiz-attempts", "progress", "recomputes"}
)


def validate_course_slug(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is the address of another page of the courses; choose another one."),
            code="reserved",
            params={"slug": value},
        )


class Course(models.Model):
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        allow_unicode=True,
        validators=[validate_course_slug],
    )
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(_("language written in"), max_length=8, choices=settings.LANGUAGES)
    cover = models.ImageField(_("cover image"), upload_to=course_cover_path, blank=True)
    areas = models.ManyToManyField(
        "diagnostics.Area",
        verbose_name=_("competence areas developed"),
        blank=True,
        related_name="courses",
    )
    levels = models.ManyToManyField(
        "diagnostics.Level",
        verbose_name=_("readiness levels it suits"),
        blank=True,
        related_name="courses",
        help_text=_("Leave empty for a course that suits every level."),
    )
    estimated_hours = models.PositiveSmallIntegerField(
        _("estimated hours"), default=1, validators=[MinValueValidator(1)]
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Teachers see published courses only.")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = models.Manager.from_queryset(CourseQuerySet)()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["published", "language"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("courses:course", args=[self.slug])


class Module(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="modules"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position", "pk"]
        indexes = [models.Index(fields=["course", "position"])]

    def __str__(self):
        return self.title


class Lesson(models.Model):
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="lessons"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("kind"), max_length=30, choices=LessonKind.choices, default=LessonKind.LECTURE
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Markdown. Shown to levels without a variant of their own."),
    )
    information_sources = models.TextField(
        _("information sources"),
        blank=True,
        help_text=_("Markdown: the sources a practical work asks the teacher to use."),
    )
    area = models.ForeignKey(
        "diagnostics.Area",
        verbose_name=_("area developed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        help_text=_("Chooses the level variant a teacher reads: their level in this area."),
    )
    video = models.FileField(
        _("uploaded video"), upload_to=lesson_video_path, blank=True, max_length=200
    )
    video_url = models.URLField(_("linked video"), blank=True, max_length=500)
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    completion_rule = models.CharField(
        _("completed when"),
        max_length=30,
        choices=Evidence.choices,
        default=Evidence.MARKED_DONE,
    )
    pass_mark = models.DecimalField(
        _("pass mark, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("For quizzes and interactive lessons: the score that completes the lesson."),
    )
    required = models.BooleanField(
        _("needed to complete the course"),
        default=True,
        help_text=_("Unselect for a lesson meant for some levels only."),
    )
    resources = models.ManyToManyField(
        "library.Resource",
        through="LessonResource",
        verbose_name=_("library resources"),
        blank=True,
        related_name="lessons",
    )

    objects = models.Manager.from_queryset(LessonQuerySet)()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module__course", "module__position", "module", "position", "pk"]
        indexes = [models.Index(fields=["module", "position"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("courses:lesson", args=[self.pk])

    @property
    def is_marked_done_by_teacher(self) -> bool:
        return self.completion_rule == Evidence.MARKED_DONE

    @property
    def has_video(self) -> bool:
        return bool(self.video) or bool(self.video_url)


class LessonVariant(models.Model):
    """The lesson's text for one readiness level (the lesson's own text serves the others)."""

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="variants"
    )
    level = models.ForeignKey(
        "diagnostics.Level", verbose_name=_("level"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("text"), help_text=_("Markdown."))

    class Meta:
        verbose_name = _("level variant")
        verbose_name_plural = _("level variants")
        ordering = ["lesson", "level__position"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "level"], name="one_variant_per_level"),
        ]

    def __str__(self):
        return f"{self.lesson} — {self.level}"


class LessonAttachment(models.Model):
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=lesson_attachment_path, max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["lesson", "position", "pk"]

    def __str__(self):
        return self.title


class LessonResource(models.Model):
    """A library resource a lesson points to, shown as a card in the lesson."""

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="resource_links"
    )
    resource = models.ForeignKey(
        "library.Resource",
        verbose_name=_("library resource"),
        on_delete=models.CASCADE,
        related_name="lesson_links",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    note = models.CharField(_("why read it"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("library resource of a lesson")
        verbose_name_plural = _("library resources of a lesson")
        ordering = ["lesson", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "resource"], name="resource_once_per_lesson"),
        ]

    def __str__(self):
        return str(self.resource)
