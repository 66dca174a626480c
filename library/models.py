"""The e-library: resources (normative acts, methodological materials, e-textbooks, ...),
collections curated by methodists, and teachers' shelves.

A resource is written in one language; that language chooses how it is indexed for search
(Russian stemming for Russian, the plain "simple" configuration for Kazakh, Kyrgyz and English).
What search reads lives in a narrow table of its own (`SearchEntry`, one row per resource),
written in one place only: `library.indexing.resources_reindex`.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from library.fields import IdListField
from library.querysets import PublishedQuerySet, ResourceQuerySet


def _random_name(folder: str, filename: str) -> str:
    # The name a methodist gave the file is never used on disk: only the checked extension.
    extension = PurePosixPath(filename).suffix.lower()[:10]
    return f"library/{folder}/{uuid.uuid4().hex}{extension}"


def resource_file_path(instance, filename: str) -> str:
    return _random_name("files", filename)


def resource_cover_path(instance, filename: str) -> str:
    return _random_name("covers", filename)


class Subject(models.Model):
    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("school subject")
        verbose_name_plural = _("school subjects")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Resource(models.Model):
    class Kind(models.TextChoices):
        NORMATIVE_ACT = "normative_act", _("Normative act")
        METHODOLOGICAL = "methodological", _("Methodological material")
        TEXTBOOK = "textbook", _("E-textbook")
        LESSON_PLAN = "lesson_plan", _("Lesson plan")
        PRESENTATION = "presentation", _("Presentation")
        VIDEO = "video", _("Video")
        LINK = "link", _("Link")
        SOFTWARE_GUIDE = "software_guide", _("Software guide")

    class Language(models.TextChoices):
        KAZAKH = "kk", _("Kazakh")
        RUSSIAN = "ru", _("Russian")
        KYRGYZ = "ky", _("Kyrgyz")
        ENGLISH = "en", _("English")

    class Extraction(models.TextChoices):
        NONE = "none", _("No file to read")
        PENDING = "pending", _("Waiting to be read")
        DONE = "done", _("Text extracted")
        # The text up to LIBRARY_EXTRACTION_MAX_CHARS is kept and searchable.
        TRUNCATED = "truncated", _("Text extracted in part: cut at the limit")
        EMPTY = "empty", _("No text found in the file")
        FAILED = "failed", _("The file could not be read")
        STOPPED = "stopped", _("Not read: the worker stopped every time it tried")
        # Beyond the declared-size checks or the memory limit (library/extraction.py).
        TOO_LARGE = "too_large", _("Text not extracted: the file is too large")
        TIMED_OUT = "timed_out", _("Text not extracted: reading took too long")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    subjects = models.ManyToManyField(
        Subject, verbose_name=_("school subjects"), blank=True, related_name="resources"
    )
    areas = models.ManyToManyField(
        "diagnostics.Area",
        verbose_name=_("competence areas"),
        blank=True,
        related_name="library_resources",
    )
    levels = models.ManyToManyField(
        "diagnostics.Level",
        verbose_name=_("readiness levels"),
        blank=True,
        related_name="library_resources",
        help_text=_("Leave empty for material that suits every level."),
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="resources")
    licence = models.CharField(
        _("licence"), max_length=120, blank=True, help_text=_("For example: CC BY 4.0.")
    )
    file = models.FileField(_("file"), upload_to=resource_file_path, blank=True, max_length=200)
    file_type = models.CharField(_("file type"), max_length=10, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(
        _("file size"), null=True, blank=True, editable=False
    )
    external_url = models.URLField(_("external address"), blank=True, max_length=500)
    cover = models.ImageField(_("cover"), upload_to=resource_cover_path, blank=True, max_length=200)
    cover_type = models.CharField(_("cover type"), max_length=10, blank=True, editable=False)

    # Normative acts only.
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    act_number = models.CharField(_("number"), max_length=64, blank=True)
    adopted_on = models.DateField(_("date of adoption"), null=True, blank=True)
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        limit_choices_to={"kind": "normative_act"},
    )

    published = models.BooleanField(
        pgettext_lazy("resource is visible to teachers", "published"), default=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    extracted_text = models.TextField(_("text of the file"), blank=True, editable=False)
    extraction = models.CharField(
        _("text extraction"),
        max_length=10,
        choices=Extraction.choices,
        default=Extraction.NONE,
        editable=False,
    )
    # When the file's reading was last queued, and how many times in all: the sweeper queues
    # a reading whose worker stopped once more, then gives up (library/file_text.py).
    extraction_queued_at = models.DateTimeField(null=True, editable=False)
    extraction_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    objects = models.Manager.from_queryset(ResourceQuerySet)()

    class Meta:
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["published", "-published_at"], name="resource_published_idx"),
            models.Index(fields=["kind"], name="resource_kind_idx"),
            models.Index(fields=["language"], name="resource_language_idx"),
            models.Index(fields=["year"], name="resource_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(published=False) | Q(published_at__isnull=False),
                name="resource_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:resource", args=[self.pk])

    @property
    def is_normative_act(self) -> bool:
        return self.kind == self.Kind.NORMATIVE_ACT

    @property
    def is_repealed(self) -> bool:
        """A repealed act warns on every page: from its date of repeal, or once replaced."""
        if not self.is_normative_act:
            return False
        if self.repealed_on is not None:
            return self.repealed_on <= timezone.localdate()
        return self.replaced_by_id is not None

    @property
    def is_new(self) -> bool:
        return bool(self.published_at) and (timezone.now() - self.published_at).days < 31

    @property
    def download_name(self) -> str:
        from django.utils.text import slugify

        stem = slugify(self.title, allow_unicode=True)[:80] or "resource"
        return f"{stem}.{self.file_type}" if self.file_type else stem


class SearchEntry(models.Model):
    """What search reads of one resource, and nothing else.

    A search for a common word ranks and counts thousands of rows, so each must cost little:
    `heading` (title A, authors and tags B, description C) ranks the results; matching uses
    `heading || body`, the file's text being in `body` (D), which is never read to rank (a
    large one lives out of the row, and detoasting it per match made ranking ten times
    slower). The rest are copies of the resource's columns and of its areas', levels' and
    subjects' ids (integer arrays on PostgreSQL) for the facets, so no other table is read
    until the page of results. Written only by library.indexing; the vectors are filled on
    PostgreSQL only.
    """

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True)
    kind = models.CharField(max_length=20)
    language = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField(null=True)
    area_ids = IdListField()
    level_ids = IdListField()
    subject_ids = IdListField()
    heading = SearchVectorField(null=True)
    body = SearchVectorField(null=True)
    # Title, authors and tags: their trigrams forgive typos.
    search_text = models.CharField(max_length=800, blank=True)

    objects = models.Manager.from_queryset(PublishedQuerySet)()

    def __str__(self):
        return f"search entry of resource {self.resource_id}"


class Collection(models.Model):
    """A list of resources a methodist puts together: "Start here", a course's reading, ..."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    course = models.CharField(
        _("course"),
        max_length=120,
        blank=True,
        help_text=_("The course this collection accompanies, if any."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published = models.BooleanField(
        pgettext_lazy("collection is visible to teachers", "published"), default=True
    )
    resources = models.ManyToManyField(
        Resource,
        verbose_name=_("resources"),
        through="CollectionItem",
        related_name="collections",
    )

    objects = models.Manager.from_queryset(PublishedQuerySet)()

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:collection", args=[self.slug])


class CollectionItem(models.Model):
    collection = models.ForeignKey(
        Collection, verbose_name=_("collection"), on_delete=models.CASCADE, related_name="items"
    )
    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    note = models.CharField(_("methodist's note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")
        ordering = ["collection", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "resource"], name="resource_once_per_collection"
            ),
        ]

    def __str__(self):
        return str(self.resource_id)


class Bookmark(models.Model):
    """A resource on a user's shelf."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="library_bookmarks",
    )
    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="bookmarks"
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "resource"], name="bookmark_once"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.resource_id}"
