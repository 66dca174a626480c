"""Methodists read and adjust the stage rules; stored stages follow a change the same night or
at once (the change queues a refresh of every teacher's stage)."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.portfolio.models import PortfolioProfile, StageRule
from courses.portfolio.stages import rule_in_words
from lms.tasks_enqueue import enqueue_on_commit


def _refresh_all_after_commit(request):
    """Queue the refresh of every teacher's stage once the change is committed. With the broker
    unreachable the change stays saved and the methodist is told when stages follow: beat's
    nightly refresh (settings.CELERY_BEAT_SCHEDULE) reads every teacher against the rules."""
    from courses.portfolio.tasks import refresh_all_stages

    def not_queued():
        messages.warning(
            request,
            gettext(
                "The background service is unreachable: teachers' stages will follow the "
                "changed rules at the nightly refresh."
            ),
        )

    enqueue_on_commit(refresh_all_stages, on_failure=not_queued)


@admin.register(StageRule)
class StageRuleAdmin(admin.ModelAdmin):
    list_display = ("position", "stage", "in_words", "note")
    list_display_links = ("stage",)
    list_editable = ("position",)
    ordering = ("position", "pk")

    @admin.display(description=_("what it asks"))
    def in_words(self, rule):
        return rule_in_words(rule)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _refresh_all_after_commit(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _refresh_all_after_commit(request)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        _refresh_all_after_commit(request)


@admin.register(PortfolioProfile)
class PortfolioProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "stage", "in_directory", "stage_computed_at")
    list_filter = ("stage", "in_directory")
    search_fields = ("user__full_name", "user__email")
    readonly_fields = ("user", "stage", "stage_computed_at", "in_directory")

    # The teacher chooses the directory; the stage is derived. Nothing here is typed by hand.
    def has_add_permission(self, request):
        return False
