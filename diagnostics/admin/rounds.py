"""Rounds of diagnosis: which schools (or which region) take an instrument, and when."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from diagnostics.models import Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "instrument", "opens_at", "closes_at", "region", "school_count"]
    list_filter = ["instrument__framework", "instrument", "region"]
    list_select_related = ["instrument"]
    search_fields = ["title", "region", "instrument__code"]
    date_hierarchy = "opens_at"
    autocomplete_fields = ["instrument", "schools"]
    fields = [
        "title",
        "instrument",
        "opens_at",
        "closes_at",
        "region",
        "schools",
        "regroup_automatically",
        "created_by",
    ]
    readonly_fields = ["created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(school_total=Count("schools"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("schools"), ordering="school_total")
    def school_count(self, round_):
        return round_.school_total
