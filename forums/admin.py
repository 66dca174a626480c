"""The methodists' forum tools: forums (kind, subscription mode, trust rule), topics and posts
with logged moderation, the report queue, round tables with their speakers, moderators and
registrations.

Moderation here goes through forums.moderation, as on the site, so every pin, lock, hide and
approval is logged with its reason; texts are not edited here (the site keeps their history)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forums import moderation
from forums.models import (
    Forum,
    ModerationAction,
    Post,
    PostRevision,
    Registration,
    Report,
    RoundTable,
    Topic,
)
from forums.round_tables.services import round_table_schedule
from lms.admin_labels import LabelledInputsMixin, LabelledTabularMixin


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "kind",
        "subscription_mode",
        "hold_first_posts",
        "qa_post_first",
        "topic_count",
        "post_count",
        "position",
    )
    list_filter = ("kind", "subscription_mode", "hold_first_posts")
    list_editable = ("position",)
    search_fields = ("title",)
    raw_id_fields = ("school", "study_group", "course")
    readonly_fields = ("topic_count", "post_count", "last_post_at")
    fieldsets = (
        (None, {"fields": ("title", "description", "kind", "position")}),
        (_("Whose forum"), {"fields": ("school", "study_group", "course")}),
        (
            _("Rules"),
            {"fields": ("subscription_mode", "hold_first_posts", "qa_post_first")},
        ),
        (_("Counts"), {"fields": ("topic_count", "post_count", "last_post_at")}),
    )


class _ReasonedHidingForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hidden") and not (cleaned.get("hidden_reason") or "").strip():
            self.add_error("hidden_reason", _("Say why it is hidden."))
        return cleaned


def _moderate(modeladmin, request, queryset, action, service, label):
    done = 0
    for obj in queryset:
        try:
            service(obj, request.user, action)
            done += 1
        except ValidationError as error:
            modeladmin.message_user(request, "; ".join(error.messages), messages.ERROR)
    modeladmin.message_user(
        request,
        ngettext("%(label)s: %(n)d item.", "%(label)s: %(n)d items.", done)
        % {"label": label, "n": done},
    )


def _moderation_action(noun, related, service, action, label):
    """An admin action running `service` (topic_moderate or post_moderate) on each selected row."""

    def run(modeladmin, request, queryset):
        _moderate(
            modeladmin,
            request,
            queryset.select_related(related),
            action,
            lambda row, user, act: service(**{noun: row}, user=user, action=act),
            label,
        )

    run.__name__ = f"{noun}_{action}"
    run.short_description = label
    return run


def _topic_action(action, label):
    return _moderation_action("topic", "forum", moderation.topic_moderate, action, label)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = _ReasonedHidingForm
    list_display = ("title", "forum", "author", "post_count", "pinned", "locked", "hidden")
    list_filter = ("pinned", "locked", "hidden", "forum__kind")
    search_fields = ("title", "author__full_name", "forum__title")
    list_select_related = ("forum", "author")
    raw_id_fields = ("forum", "author", "accepted_post")
    fields = ("title", "forum", "author", "pinned", "locked", "hidden", "hidden_reason")
    readonly_fields = ("forum", "author", "pinned", "locked")
    actions = [
        _topic_action("pin", _("Pin")),
        _topic_action("unpin", _("Unpin")),
        _topic_action("lock", _("Lock")),
        _topic_action("unlock", _("Unlock")),
        _topic_action("show", _("Show again")),
    ]

    def has_add_permission(self, request):
        return False  # topics are started on the site, with their opening post

    def save_model(self, request, obj, form, change):
        hiding = "hidden" in form.changed_data or (
            obj.hidden and "hidden_reason" in form.changed_data
        )
        Topic.objects.filter(pk=obj.pk).update(title=obj.title)
        if hiding:
            action = "hide" if obj.hidden else "show"
            moderation.topic_moderate(
                topic=obj, user=request.user, action=action, reason=obj.hidden_reason
            )


class PostRevisionInline(LabelledTabularMixin, admin.TabularInline):
    model = PostRevision
    fields = ("edited_at", "edited_by", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _post_action(action, label):
    return _moderation_action("post", "topic__forum", moderation.post_moderate, action, label)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = _ReasonedHidingForm
    list_display = ("__str__", "created_at", "approved", "hidden", "deleted_at", "helpful_count")
    list_filter = ("approved", "hidden", "language", "topic__forum__kind")
    search_fields = ("body", "author__full_name", "topic__title")
    list_select_related = ("author", "topic")
    date_hierarchy = "created_at"
    fields = (
        "topic",
        "author",
        "language",
        "body",
        "created_at",
        "edited_at",
        "deleted_at",
        "approved",
        "hidden",
        "hidden_reason",
    )
    readonly_fields = (
        "topic",
        "author",
        "language",
        "body",
        "created_at",
        "edited_at",
        "deleted_at",
        "approved",
    )
    inlines = [PostRevisionInline]
    actions = [_post_action("approve", _("Approve")), _post_action("show", _("Show again"))]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if "hidden" in form.changed_data or (obj.hidden and "hidden_reason" in form.changed_data):
            action = "hide" if obj.hidden else "show"
            moderation.post_moderate(
                post=obj, user=request.user, action=action, reason=obj.hidden_reason
            )


class OpenReportFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Waiting")), ("resolved", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The report queue: oldest first; dismiss a report, or hide the post it is about."""

    list_display = ("post", "reason", "reporter", "created_at", "resolved_at", "resolved_by")
    list_filter = (OpenReportFilter,)
    list_select_related = ("post__topic", "post__author", "reporter", "resolved_by")
    search_fields = ("reason", "post__body", "reporter__full_name")
    ordering = ("resolved_at", "created_at")
    readonly_fields = ("post", "reporter", "reason", "created_at", "resolved_at", "resolved_by")
    actions = ["dismiss", "hide_posts"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Dismiss: nothing wrong with the post"))
    def dismiss(self, request, queryset):
        reports = queryset.filter(resolved_at__isnull=True).select_related("post__topic__forum")
        _moderate(
            self,
            request,
            reports,
            "dismiss",
            lambda report, user, _act: moderation.report_dismiss(report=report, user=user),
            _("Dismissed"),
        )

    @admin.action(description=_("Hide the reported posts (the report's reason is the reason)"))
    def hide_posts(self, request, queryset):
        reports = queryset.filter(resolved_at__isnull=True).select_related("post__topic__forum")
        _moderate(
            self,
            request,
            reports,
            "hide",
            lambda report, user, act: moderation.post_moderate(
                post=report.post, user=user, action=act, reason=report.reason
            ),
            _("Hidden"),
        )


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The moderators' log: read only."""

    list_display = ("created_at", "action", "actor", "forum", "topic", "reason")
    list_filter = ("action",)
    list_select_related = ("actor", "forum", "topic")
    readonly_fields = [f.name for f in ModerationAction._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RegistrationInline(LabelledTabularMixin, admin.TabularInline):
    model = Registration
    fields = ("user", "status", "created_at", "attended")
    readonly_fields = ("created_at",)
    raw_id_fields = ("user",)
    extra = 0


@admin.register(RoundTable)
class RoundTableAdmin(LabelledInputsMixin, admin.ModelAdmin):
    list_display = ("title", "forum", "starts_at", "capacity", "created_by")
    list_filter = ("forum",)
    search_fields = ("title", "agenda")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("speakers", "moderators")
    raw_id_fields = ("forum",)
    fields = (
        "title",
        "forum",
        "starts_at",
        "duration_minutes",
        "agenda",
        "speakers",
        "moderators",
        "capacity",
        "meeting_url",
        "outcomes",
    )
    inlines = [RegistrationInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            # Through the service, so the round table gets its own thread in its forum.
            round_table_schedule(round_table=obj, author=request.user)
