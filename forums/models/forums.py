from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.querysets import ForumQuerySet, PostQuerySet, TopicQuerySet


class Forum(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General discussion")
        QA = "qa", _("Questions and answers")
        EXCHANGE = "exchange", _("Experience exchange")
        SCHOOL = "school", _("School forum")
        GROUP = "group", _("Study-group forum")
        COURSE = "course", _("Course forum")

    class SubscriptionMode(models.TextChoices):
        OPTIONAL = "optional", _("Optional: people follow it if they wish")
        AUTOMATIC = "automatic", _("Automatic: everyone follows it until they stop")
        FORCED = "forced", _("Forced: everyone follows it")
        OFF = "off", _("Off: nobody can follow it")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    school = models.ForeignKey(
        "lms.School",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forums",
        help_text=_("For a school forum: only this school's staff may read it."),
    )
    study_group = models.OneToOneField(
        "diagnostics.StudyGroup",
        verbose_name=_("study group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forum",
    )
    course = models.OneToOneField(
        "courses.Course",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forum",
        help_text=_("For a course forum: open to the teachers enrolled in the course."),
    )
    subscription_mode = models.CharField(
        _("subscriptions"),
        max_length=10,
        choices=SubscriptionMode.choices,
        default=SubscriptionMode.OPTIONAL,
    )
    qa_post_first = models.BooleanField(
        _("answer before reading others"),
        default=False,
        help_text=_("In a Q&A forum, a teacher sees others' answers only after posting their own."),
    )
    hold_first_posts = models.BooleanField(
        _("hold new accounts' first posts"),
        default=True,
        help_text=_(
            "A new account's first posts with links or files wait for a moderator's approval."
        ),
    )
    position = models.PositiveIntegerField(_("position"), default=100)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Kept by the posting services with F(), so the index never counts 100,000 topics.
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = models.Manager.from_queryset(ForumQuerySet)()

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["position", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="school") | Q(school__isnull=False),
                name="school_forum_has_school",
                violation_error_message=_("A school forum needs its school."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="group") | Q(study_group__isnull=False),
                name="group_forum_has_group",
                violation_error_message=_("A study-group forum needs its group."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="course") | Q(course__isnull=False),
                name="course_forum_has_course",
                violation_error_message=_("A course forum needs its course."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:forum", args=[self.pk])

    @property
    def is_qa(self) -> bool:
        return self.kind == self.Kind.QA


class Topic(models.Model):
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="topics"
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="forum_topics",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_post_at = models.DateTimeField(_("last post"), default=timezone.now)
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    accepted_post = models.ForeignKey(
        "Post",
        verbose_name=_("accepted answer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = models.Manager.from_queryset(TopicQuerySet)()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-pinned", "-last_post_at", "-pk"]
        indexes = [
            models.Index(fields=["forum", "-pinned", "-last_post_at", "-id"], name="topic_list")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:topic", args=[self.pk])


class Post(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="forum_posts",
    )
    body = models.TextField(_("text"))
    # The sanitised HTML of `body`, rendered once when written (never from the request again).
    body_html = models.TextField(editable=False, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="kk"
    )
    is_opening = models.BooleanField(_("opens the topic"), default=False)
    quoted = models.ForeignKey(
        "self",
        verbose_name=_("quotes"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    approved = models.BooleanField(_("approved"), default=True)
    helpful_count = models.PositiveIntegerField(_("helpful"), default=0)
    # Claimed by the announcing task, so a re-delivered task never notifies twice.
    announced = models.BooleanField(default=False, editable=False)

    objects = models.Manager.from_queryset(PostQuerySet)()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["topic", "created_at", "id"], name="post_in_topic"),
            # Search results, newest first: for a common word PostgreSQL walks this index and
            # stops at the page's 20 matches instead of sorting every match (bench/forums.py).
            models.Index(fields=["-created_at", "-id"], name="post_newest"),
            models.Index(fields=["author", "topic"], name="post_author_topic"),
            # The posting rate limit counts a person's posts of the last minutes (ratelimit.py).
            models.Index(fields=["author", "-created_at"], name="post_author_recent"),
            models.Index(
                fields=["topic"], condition=Q(approved=False), name="post_waiting_approval"
            ),
        ]

    def __str__(self):
        return f"{self.author} — {self.topic}"

    def get_absolute_url(self):
        return reverse("forums:post", args=[self.pk])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class PostRevision(models.Model):
    """The text a post had before an edit: moderators read the history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("text"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited"), default=timezone.now)

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["-edited_at", "-pk"]

    def __str__(self):
        return f"{self.post_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="forums/%Y/%m/")
    name = models.CharField(_("name"), max_length=255)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:attachment", args=[self.pk])


class Reaction(models.Model):
    """A "helpful" mark: one per person per post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("helpful mark")
        verbose_name_plural = _("helpful marks")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_helpful_mark")]

    def __str__(self):
        return f"{self.user_id} → {self.post_id}"


class ReadMarker(models.Model):
    """How far a person has read a topic: posts after `read_until` are new to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_markers")
    read_until = models.DateTimeField()

    class Meta:
        verbose_name = _("read marker")
        verbose_name_plural = _("read markers")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_read_marker_per_topic")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.topic_id} until {self.read_until}"


class Subscription(models.Model):
    """Following a forum or a topic; `muted` opts out of a forum's automatic subscription."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    muted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(forum__isnull=True) ^ Q(topic__isnull=True),
                name="subscription_forum_xor_topic",
            ),
            models.UniqueConstraint(
                fields=["user", "forum"], condition=Q(forum__isnull=False), name="one_forum_sub"
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(topic__isnull=False), name="one_topic_sub"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.forum_id or self.topic_id}"


class Report(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["post"], condition=Q(resolved_at__isnull=True), name="open_report")
        ]

    def __str__(self):
        return f"{self.post_id}: {self.reason[:40]}"


class ModerationAction(models.Model):
    """Who pinned, locked, moved, hid or approved what, and why: the moderators' log."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.action} by {self.actor_id}"
