"""Competence frameworks with their areas and levels; codes, ranks and deletions lock once
the framework ranks answered responses."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from diagnostics import authoring
from diagnostics.models import Area, Framework, Level
from lms.admin_forms import AnyLanguageMixin


class FrameworkPartInline(AnyLanguageMixin, TranslationStackedInline):
    """Areas and levels: once a framework ranks answered responses, codes, ranks and deletions
    are locked; names and descriptions stay editable."""

    extra = 0
    locked_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if authoring.framework_locked(obj):
            readonly += self.locked_fields
        return readonly

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not authoring.framework_locked(obj)


class AreaInline(FrameworkPartInline):
    model = Area
    fields = ["position", "code", "name", "description"]
    locked_fields = authoring.AREA_SCORING_FIELDS


class LevelInline(FrameworkPartInline):
    model = Level
    fields = ["position", "code", "name", "description", "next_steps"]
    locked_fields = authoring.LEVEL_SCORING_FIELDS


@admin.register(Framework)
class FrameworkAdmin(AnyLanguageMixin, TranslationAdmin):
    list_display = ["name", "code", "area_count", "level_count", "instrument_count"]
    search_fields = ["code", "name_kk", "name_ru", "name_ky", "name_en"]
    fields = ["code", "name", "description"]
    inlines = [AreaInline, LevelInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                area_count=Count("areas", distinct=True),
                level_count=Count("levels", distinct=True),
                instrument_count=Count("instruments", distinct=True),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if authoring.framework_locked(obj):
            readonly.append("code")
        return readonly

    @admin.display(description=_("areas"), ordering="area_count")
    def area_count(self, framework):
        return framework.area_count

    @admin.display(description=_("levels"), ordering="level_count")
    def level_count(self, framework):
        return framework.level_count

    @admin.display(description=_("instruments"), ordering="instrument_count")
    def instrument_count(self, framework):
        return framework.instrument_count
