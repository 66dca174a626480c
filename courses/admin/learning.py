from django.contrib import admin

from courses.models import (
    CompletionEvent,
    CompletionRecompute,
    Enrolment,
    GroupCourseAssignment,
    LearningPathEntry,
)
from courses.services import group_course_assign


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "source", "percent", "completed_at", "last_activity_at")
    list_filter = ("source", "course")
    search_fields = ("user__full_name", "user__email", "course__title")
    raw_id_fields = ("user", "group", "last_lesson")
    readonly_fields = ("lessons_total", "lessons_done", "percent", "completed_at")


@admin.register(CompletionEvent)
class CompletionEventAdmin(admin.ModelAdmin):
    list_display = ("user", "lesson", "evidence", "score", "occurred_at")
    list_filter = ("evidence",)
    search_fields = ("user__full_name", "lesson__title")
    raw_id_fields = ("user", "lesson")

    # Events are evidence: recorded by the services, never edited by hand.
    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CompletionRecompute)
class CompletionRecomputeAdmin(admin.ModelAdmin):
    list_display = ("course", "status", "percent", "revoke_earned", "requested_at", "finished_at")
    readonly_fields = [f.name for f in CompletionRecompute._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(GroupCourseAssignment)
class GroupCourseAssignmentAdmin(admin.ModelAdmin):
    list_display = ("group", "course", "assigned_by", "assigned_at", "due_on")
    raw_id_fields = ("group",)
    fields = ("group", "course", "due_on")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Through the service, so every member of the group is enrolled.
        assignment = group_course_assign(
            group=obj.group, course=obj.course, assigned_by=request.user
        )
        if obj.due_on:
            GroupCourseAssignment.objects.filter(pk=assignment.pk).update(due_on=obj.due_on)
        obj.pk = assignment.pk


@admin.register(LearningPathEntry)
class LearningPathEntryAdmin(admin.ModelAdmin):
    list_display = ("teacher", "rank", "course", "reason", "area", "level", "built_at")
    list_filter = ("reason",)
    search_fields = ("teacher__full_name", "course__title")
    raw_id_fields = ("teacher", "response", "round")
