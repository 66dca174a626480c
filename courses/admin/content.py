"""Courses, modules and lessons in the admin: inlines, order by number or drag and drop,
duplicate, recompute progress, preview as a teacher of a chosen level."""

from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from courses.admin.activities import InteractivePackageInline, QuizInline
from courses.admin.common import AnyLanguageMixin, reorder_context, reorder_response
from courses.admin.exchange import CourseExchangeMixin
from courses.models import (
    Condition,
    Course,
    Lesson,
    LessonAttachment,
    LessonResource,
    LessonVariant,
    Module,
)
from courses.models.choices import DEFAULT_RULE_BY_KIND, Evidence
from courses.services import course_duplicate
from courses.tasks import completion_recompute_request, not_queued_message
from diagnostics.models import Level
from lms.admin_labels import LabelledInputsMixin, LabelledTabularMixin

SORTABLE = "courses-sortable"


class ModuleInline(LabelledTabularMixin, AnyLanguageMixin, TranslationTabularInline):
    model = Module
    fields = ("position", "title", "edit_link")
    readonly_fields = ("edit_link",)
    extra = 0
    classes = [SORTABLE]

    @admin.display(description=_("lessons"))
    def edit_link(self, module):
        if not module.pk:
            return "—"
        url = reverse("admin:courses_module_change", args=[module.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit the lessons"))


class ConditionInline(LabelledTabularMixin, admin.TabularInline):
    model = Condition
    fk_name = "lesson"
    fields = (
        "alternative",
        "kind",
        "required_lesson",
        "required_module",
        "min_score",
        "opens_on",
        "levels",
    )
    extra = 0
    autocomplete_fields = ("required_lesson",)


class ModuleConditionInline(ConditionInline):
    fk_name = "module"


@admin.register(Course)
class CourseAdmin(LabelledInputsMixin, CourseExchangeMixin, AnyLanguageMixin, TranslationAdmin):
    list_display = ("title", "language", "estimated_hours", "published", "updated_at")
    list_filter = ("published", "language", "areas", "levels")
    search_fields = ("title", "slug")
    filter_horizontal = ("areas", "levels")
    inlines = [ModuleInline]
    actions = [
        "duplicate",
        "export_zip",
        "recompute_progress",
        "recompute_progress_revoking",
    ]
    change_form_template = "admin/courses/change_form.html"
    readonly_fields = ("recompute_status",)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/reorder/",
                self.admin_site.admin_view(self.reorder_modules),
                name="courses_course_reorder",
            ),
        ] + super().get_urls()

    def reorder_modules(self, request, object_id):
        course = get_object_or_404(Course, pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, course):
            return self._forbidden(request)
        return reorder_response(request, model=Module, parent_field="course", parent_id=course.pk)

    def _forbidden(self, request):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **reorder_context("courses_course", object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if obj.published and obj.published_at is None:
            obj.published_at = timezone.now()
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("progress recompute"))
    def recompute_status(self, course):
        recompute = course.recomputes.first() if course.pk else None
        if recompute is None:
            return "—"
        return format_html(
            '<progress max="100" value="{}" data-status-url="{}"></progress> {} %, {}',
            recompute.percent,
            reverse("courses:recompute-status", args=[recompute.pk]),
            recompute.percent,
            recompute.get_status_display(),
        )

    @admin.action(description=_("Duplicate the selected courses"))
    def duplicate(self, request, queryset):
        for course in queryset:
            course_duplicate(course=course, created_by=request.user)
        self.message_user(
            request,
            ngettext("%(n)d course duplicated.", "%(n)d courses duplicated.", queryset.count())
            % {"n": queryset.count()},
            messages.SUCCESS,
        )

    def _recompute(self, request, queryset, revoke):
        not_queued = []
        with transaction.atomic():
            for course in queryset:
                completion_recompute_request(
                    course=course,
                    requested_by=request.user,
                    revoke_earned=revoke,
                    on_not_queued=lambda: not_queued.append(1),
                )
        # The sends happened as the block above committed.
        if not_queued:
            self.message_user(request, not_queued_message(), messages.WARNING)
        else:
            self.message_user(
                request,
                _("Progress is being recomputed from the recorded events; see each course's bar."),
                messages.SUCCESS,
            )

    @admin.action(description=_("Recompute progress (keep completions already earned)"))
    def recompute_progress(self, request, queryset):
        self._recompute(request, queryset, revoke=False)

    @admin.action(
        description=_("Recompute progress and take back completions the rules no longer support")
    )
    def recompute_progress_revoking(self, request, queryset):
        self._recompute(request, queryset, revoke=True)


class LessonInline(LabelledTabularMixin, AnyLanguageMixin, TranslationTabularInline):
    model = Lesson
    fields = ("position", "title", "kind", "completion_rule", "required", "edit_link")
    readonly_fields = ("edit_link",)
    extra = 0
    classes = [SORTABLE]

    @admin.display(description=_("content"))
    def edit_link(self, lesson):
        if not lesson.pk:
            return "—"
        url = reverse("admin:courses_lesson_change", args=[lesson.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit the lesson"))


@admin.register(Module)
class ModuleAdmin(AnyLanguageMixin, TranslationAdmin):
    list_display = ("title", "course", "position")
    list_filter = ("course",)
    search_fields = ("title", "course__title")
    inlines = [LessonInline, ModuleConditionInline]
    change_form_template = "admin/courses/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:object_id>/reorder/",
                self.admin_site.admin_view(self.reorder_lessons),
                name="courses_module_reorder",
            ),
        ] + super().get_urls()

    def reorder_lessons(self, request, object_id):
        from django.core.exceptions import PermissionDenied

        module = get_object_or_404(Module, pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, module):
            raise PermissionDenied
        return reorder_response(request, model=Lesson, parent_field="module", parent_id=module.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **reorder_context("courses_module", object_id)}
        return super().change_view(request, object_id, form_url, extra_context)


class LessonVariantInline(AnyLanguageMixin, TranslationStackedInline):
    model = LessonVariant
    extra = 0


class LessonAttachmentInline(LabelledTabularMixin, AnyLanguageMixin, TranslationTabularInline):
    model = LessonAttachment
    extra = 0


class LessonResourceInline(LabelledTabularMixin, admin.TabularInline):
    model = LessonResource
    extra = 0
    raw_id_fields = ("resource",)


@admin.register(Lesson)
class LessonAdmin(AnyLanguageMixin, TranslationAdmin):
    list_display = ("title", "module", "kind", "completion_rule", "position")
    list_filter = ("kind", "completion_rule", "module__course")
    search_fields = ("title", "module__title", "module__course__title")
    inlines = [
        LessonVariantInline,
        ConditionInline,
        LessonAttachmentInline,
        LessonResourceInline,
        QuizInline,
        InteractivePackageInline,
    ]
    readonly_fields = ("preview_links",)

    @admin.display(description=_("preview as a teacher of the level"))
    def preview_links(self, lesson):
        if not lesson.pk:
            return "—"
        url = reverse("courses:preview", args=[lesson.pk])
        return format_html_join(
            " · ",
            '<a href="{}?as_level={}" target="_blank">{}</a>',
            ((url, level.pk, level.name) for level in Level.objects.order_by("position")),
        )

    def save_model(self, request, obj, form, change):
        if not change and obj.completion_rule == Evidence.MARKED_DONE:
            obj.completion_rule = DEFAULT_RULE_BY_KIND.get(obj.kind, obj.completion_rule)
        super().save_model(request, obj, form, change)
        if change and {"completion_rule", "required"} & set(form.changed_data):
            # The rule changed: progress follows from the recorded events, in the background.
            # The admin saves in a transaction: the send happens at its commit, after this
            # message, and adds the warning below (still before the reply) if it failed.
            completion_recompute_request(
                course=obj.module.course,
                requested_by=request.user,
                on_not_queued=lambda: self.message_user(
                    request, not_queued_message(), messages.WARNING
                ),
            )
            self.message_user(
                request,
                _("The completion rule changed: progress is being recomputed from the events."),
                messages.INFO,
            )
