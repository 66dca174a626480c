"""Methodists author assignments and their rubrics here; reviewing happens on the queue page."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from courses.assignments.models import ASSIGNABLE_KINDS, Assignment, RubricRow, Submission
from courses.assignments.services import assignment_save
from courses.assignments.uploads import FILE_TYPE_CHOICES
from courses.models import Lesson
from courses.tasks import not_queued_message
from lms.admin_labels import LabelledInputsMixin, LabelledTabularMixin


class AssignmentForm(forms.ModelForm):
    file_types = forms.MultipleChoiceField(
        label=_("file types allowed"),
        choices=FILE_TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Checked by each file's content, not by its name."),
    )

    class Meta:
        model = Assignment
        fields = [
            "lesson",
            "instructions",
            "due_at",
            "accepts_text",
            "accepts_files",
            "accepts_link",
            "file_types",
            "max_file_mb",
            "max_files",
            "peer_feedback",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk or self.initial.get("file_types"):
            self.initial["file_types"] = self.instance.allowed_extensions
        self.fields["lesson"].queryset = Lesson.objects.filter(
            kind__in=sorted(ASSIGNABLE_KINDS)
        ).select_related("module__course")

    def clean_file_types(self):
        return ",".join(self.cleaned_data["file_types"])

    def clean(self):
        data = super().clean()
        if not (data.get("accepts_text") or data.get("accepts_files") or data.get("accepts_link")):
            raise forms.ValidationError(
                _("Let teachers hand in at least a text, a file or a link.")
            )
        if data.get("accepts_files") and not data.get("file_types"):
            self.add_error("file_types", _("Choose the file types teachers may hand in."))
        return data


class RubricRowInline(LabelledTabularMixin, admin.TabularInline):
    model = RubricRow
    extra = 1
    fields = ("position", "criterion", "area", "level", "max_points")
    autocomplete_fields = ()


@admin.register(Assignment)
class AssignmentAdmin(LabelledInputsMixin, admin.ModelAdmin):
    form = AssignmentForm
    inlines = [RubricRowInline]
    list_display = ("lesson", "course", "due_at", "peer_feedback", "queue_link")
    list_filter = ("peer_feedback", "lesson__module__course")
    search_fields = ("lesson__title", "lesson__module__course__title")
    list_select_related = ("lesson__module__course",)

    @admin.display(description=_("course"))
    def course(self, assignment):
        return assignment.lesson.module.course

    @admin.display(description=_("works"))
    def queue_link(self, assignment):
        url = reverse("assignments:queue") + f"?course={assignment.lesson.module.course_id}"
        return format_html('<a href="{}">{}</a>', url, _("review queue"))

    def save_model(self, request, obj, form, change):
        peer_was_on = bool(change and form.initial.get("peer_feedback"))
        assignment_save(
            assignment=obj,
            requested_by=request.user,
            peer_was_on=peer_was_on,
            on_not_queued=lambda: self.message_user(
                request, not_queued_message(), messages.WARNING
            ),
        )


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """A read-only index of works; the review itself is on the work's page."""

    list_display = ("author", "assignment", "status", "versions_count", "submitted_at", "open_link")
    list_filter = ("status", "course")
    list_select_related = ("author", "assignment__lesson")
    search_fields = ("author__full_name", "author__email")
    readonly_fields = [field.name for field in Submission._meta.fields]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("open"))
    def open_link(self, submission):
        return format_html('<a href="{}">{}</a>', submission.get_absolute_url(), _("open"))
