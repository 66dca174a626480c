"""Quizzes and H5P packages in the admin: on the lesson's page, and a Quiz admin of their own.

A quiz's questions are authored where every question of Ustaz is: in its pool instrument
(the instrument admin, with GIFT import; a JSON instrument file imports as a new instrument to
choose as the pool). Left empty, the pool is created for the methodist.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from courses.h5p.package import package_check
from courses.h5p.services import interactive_package_install
from courses.models import InteractivePackage, LessonKind, Quiz, QuizAttempt
from courses.quizzes.services import quiz_pool_create
from diagnostics.models import Framework
from lms.admin_labels import LabelledTabularMixin


def _pool_links(quiz) -> str:
    if not quiz or not quiz.instrument_id:
        return _("Saved without a pool, the quiz gets a new empty one.")
    try:
        change = reverse("admin:diagnostics_instrument_change", args=[quiz.instrument_id])
        gift = reverse("admin:diagnostics_instrument_gift_import", args=[quiz.instrument_id])
    except NoReverseMatch:
        return "—"
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a>',
        change,
        _("Edit the questions"),
        gift,
        _("Import questions from GIFT"),
    )


class QuizForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = ("instrument", "attempts_allowed", "questions_drawn", "show_feedback")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("instrument") and not Framework.objects.exists():
            raise ValidationError(
                _("Create a competence framework first: questions belong to its areas.")
            )
        return cleaned

    def save(self, commit=True):
        quiz = super().save(commit=False)
        if not quiz.instrument_id:
            quiz.instrument = quiz_pool_create(lesson=quiz.lesson)
        if commit:
            quiz.save()
        return quiz


class OnLessonsOfKind:
    """An inline shown on lessons of one kind only (a lecture's page has no quiz form at all)."""

    lesson_kind = ""

    def _applies(self, obj) -> bool:
        return obj is not None and obj.kind == self.lesson_kind

    def has_view_permission(self, request, obj=None):
        return self._applies(obj) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._applies(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._applies(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._applies(obj) and super().has_delete_permission(request, obj)


class QuizInline(OnLessonsOfKind, admin.StackedInline):
    model = Quiz
    form = QuizForm
    extra = 0
    max_num = 1
    fields = ("instrument", "pool_links", "attempts_allowed", "questions_drawn", "show_feedback")
    readonly_fields = ("pool_links",)
    autocomplete_fields = ("instrument",)

    @admin.display(description=_("questions"))
    def pool_links(self, quiz):
        return _pool_links(quiz)

    lesson_kind = LessonKind.QUIZ


class InteractivePackageForm(forms.ModelForm):
    class Meta:
        model = InteractivePackage
        fields = ("package",)
        widgets = {"package": forms.ClearableFileInput(attrs={"accept": ".h5p"})}

    def clean_package(self):
        upload = self.cleaned_data.get("package")
        if upload and "package" in self.changed_data:
            package_check(upload)
        return upload

    def save(self, commit=True):
        if "package" in self.changed_data:
            return interactive_package_install(
                lesson=self.instance.lesson, upload=self.cleaned_data["package"]
            )
        return super().save(commit)


class InteractivePackageInline(OnLessonsOfKind, admin.StackedInline):
    model = InteractivePackage
    form = InteractivePackageForm
    extra = 0
    max_num = 1
    fields = ("package", "title", "main_library", "uploaded_at")
    readonly_fields = ("title", "main_library", "uploaded_at")

    lesson_kind = LessonKind.INTERACTIVE


class QuizAttemptInline(LabelledTabularMixin, admin.TabularInline):
    model = QuizAttempt
    extra = 0
    can_delete = False
    fields = ("user", "number", "started_at", "submitted_at", "score", "passed")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    form = QuizForm
    list_display = ("lesson", "instrument", "attempts_allowed", "questions_drawn")
    search_fields = ("lesson__title", "lesson__module__course__title")
    autocomplete_fields = ("lesson", "instrument")
    fields = ("lesson", "instrument", "pool_links", "attempts_allowed", "questions_drawn",
              "show_feedback")  # fmt: skip
    readonly_fields = ("pool_links",)
    inlines = [QuizAttemptInline]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["fields"] = ("lesson", "instrument", "attempts_allowed", "questions_drawn",
                            "show_feedback")  # fmt: skip
        return super().get_form(request, obj, **kwargs)

    @admin.display(description=_("questions"))
    def pool_links(self, quiz):
        return _pool_links(quiz)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            messages.info(request, _("Add the quiz's questions to its pool instrument."))
