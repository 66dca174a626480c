"""Rounds of diagnosis: which schools (or which region) take an instrument, and when;
"score this round again", after a methodist fixed a key; and "export responses", which leads to
the export page (diagnostics/views/exports.py)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from diagnostics.access import exports_responses
from diagnostics.models import Response, Round
from diagnostics.scoring.tasks import rescore_round
from lms.admin_labels import LabelledInputsMixin
from lms.tasks_enqueue import enqueue_on_commit

RESCORE_PERMISSION = "rescore_round"
# What scoring again reads: every response a teacher submitted, scored yet or not.
RESCORED_STATUSES = [Response.Status.SUBMITTED, Response.Status.SCORED]


@admin.register(Round)
class RoundAdmin(LabelledInputsMixin, admin.ModelAdmin):
    list_display = ["title", "instrument", "opens_at", "closes_at", "region", "school_count"]
    list_filter = ["instrument__framework", "instrument", "region"]
    list_select_related = ["instrument"]
    search_fields = ["title", "region", "instrument__code"]
    date_hierarchy = "opens_at"
    autocomplete_fields = ["instrument", "schools"]
    actions = ["score_again", "export_responses"]
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The "Export responses" button beside "History" (admin/diagnostics/round/change_form).
        extra_context = {
            **(extra_context or {}),
            "may_export_responses": self.has_export_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # Export responses.

    def has_export_permission(self, request) -> bool:
        return exports_responses(request.user)

    @admin.action(description=_("Export responses"), permissions=["export"])
    def export_responses(self, request, queryset):
        """To the export page of the chosen round: one round a file, since each round's
        questions make columns of their own."""
        round_ids = list(queryset.values_list("pk", flat=True)[:2])
        if len(round_ids) != 1:
            self.message_user(
                request,
                _("Choose one round to export: each round's questions make columns of their own."),
                messages.WARNING,
            )
            return None
        return redirect("diagnostics:export-responses", round_id=round_ids[0])

    # Score this round again.

    def has_rescore_permission(self, request) -> bool:
        return request.user.has_perm(f"{self.opts.app_label}.{RESCORE_PERMISSION}")

    @admin.action(description=_("Score this round again"), permissions=["rescore"])
    def score_again(self, request, queryset):
        """First a confirmation page (Django's intermediate-page pattern); the confirmed POST
        queues one rescoring task per round once the request's transaction has committed."""
        if request.POST.get("post") != "yes":
            return self.score_again_confirmation(request, queryset)
        round_ids = list(queryset.values_list("pk", flat=True))
        for round_id in round_ids:
            enqueue_on_commit(rescore_round, round_id)
        self.message_user(
            request,
            ngettext(
                "%(count)d round will be scored again.",
                "%(count)d rounds will be scored again.",
                len(round_ids),
            )
            % {"count": len(round_ids)},
            messages.SUCCESS,
        )
        return None

    def score_again_confirmation(self, request, queryset):
        # Two queries: the chosen rounds' ids, then those rounds with their instrument and the
        # number of responses each will score again.
        rounds = (
            Round.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
            .select_related("instrument")
            .annotate(
                rescored_total=Count("responses", filter=Q(responses__status__in=RESCORED_STATUSES))
            )
            .order_by("-opens_at", "pk")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Score these rounds again?"),
            "rounds": rounds,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "score_again",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/diagnostics/round/score_again_confirmation.html", context
        )
