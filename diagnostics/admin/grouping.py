"""The methodists' grouping tools: start a run with its options, read the runs, lock groups and
move a teacher by hand. Registered from diagnostics/admin.py; the writes are the grouping
services (diagnostics/grouping/services.py), which the pages call too."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from diagnostics.grouping import preview
from diagnostics.grouping.services import (
    group_membership_move,
    grouping_run_cancel,
    grouping_run_confirm,
    grouping_run_start,
    move_targets,
    study_groups_lock,
)
from diagnostics.grouping.store import RUN_OPTIONS as OPTIONS
from diagnostics.grouping.tasks import not_queued_reason
from diagnostics.models import GroupingRun, GroupMembership, Response, StudyGroup
from lms.admin_labels import LabelledTabularMixin

RUN_OPTIONS = ["round", *OPTIONS]
SMALL = GroupingRun.DEFAULT_MIN_SIZE

SUMMARY_LABELS = {
    "teachers_placed": _("Teachers placed"),
    "groups": _("Groups planned"),
    "groups_made": _("New groups"),
    "groups_refilled": _("Groups kept for teachers placed by hand"),
    "locked_groups_kept": _("Locked groups kept"),
    "teachers_kept": _("Teachers kept where they were"),
    "teachers_moved": _("Teachers who changed group"),
    "mentors": _("Mentors"),
    "largest_group": _("Largest group"),
    "smallest_group": _("Smallest group"),
    "teachers_merged": _("Teachers placed with a neighbouring level"),
    "teachers_left_out": _("Teachers not grouped: too few for a group"),
    "seconds": _("Seconds"),
    "error": _("Error"),
}


def _failed(run_id: int) -> bool:
    """Whether the run was failed at once (the broker refused it: grouping.tasks._not_queued)."""
    return GroupingRun.objects.filter(pk=run_id, status=GroupingRun.Status.FAILED).exists()


class GroupingRunForm(forms.ModelForm):
    allow_small_groups = forms.BooleanField(required=False)

    class Meta:
        model = GroupingRun
        fields = [*RUN_OPTIONS, "allow_small_groups"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a run's page is read-only: nothing to ask
            del self.fields["allow_small_groups"]
            return
        # Labels name the size in the reader's language, so they are made per request.
        field = self.fields["allow_small_groups"]
        field.label = gettext("Allow groups smaller than %(size)d") % {"size": SMALL}
        field.help_text = gettext(
            "A group of fewer than %(size)d teachers (down to a teacher alone) is made only "
            "when you ask for it here and set the smallest group."
        ) % {"size": SMALL}

    def clean(self):
        cleaned = super().clean()
        smallest, largest = cleaned.get("min_size"), cleaned.get("size_limit")
        if smallest is None or largest is None:
            return cleaned
        if smallest < SMALL and not cleaned.get("allow_small_groups"):
            self.add_error(
                "min_size",
                gettext(
                    "Groups smaller than %(size)d are made only on request: tick “Allow groups "
                    "smaller than %(size)d” to ask for them."
                )
                % {"size": SMALL},
            )
        # The even split of any set of teachers lands between the two sizes only if the largest
        # is at least twice the smallest less one (and one more seat for a mentor).
        least = 2 * smallest - 1 + bool(cleaned.get("mentors"))
        if largest < least:
            self.add_error(
                "size_limit",
                gettext(
                    "With a smallest group of %(smallest)d the largest group must be at least "
                    "%(least)d, so that every set of teachers splits into groups between the two."
                )
                % {"smallest": smallest, "least": least},
            )
        return cleaned

    def clean_round(self):
        round_ = self.cleaned_data["round"]
        if not Response.objects.scored().filter(round=round_).exists():
            raise forms.ValidationError(
                _("No diagnosis of this round has been scored yet, so there is nobody to group.")
            )
        return round_


@admin.register(GroupingRun)
class GroupingRunAdmin(admin.ModelAdmin):
    form = GroupingRunForm
    list_display = [
        "round",
        "started_at",
        "started_by_or_scores",
        "status",
        "scope",
        "size_limit",
        "min_size",
        "strategy",
        "keep_language_together",
        "mentors",
        "result",
    ]
    list_filter = ["status", "scope", "strategy", "round"]
    list_select_related = ["round", "started_by"]
    date_hierarchy = "started_at"
    actions = ["run_again"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*RUN_OPTIONS, "allow_small_groups"]
        return [
            *RUN_OPTIONS,
            "started_by",
            "automatic",
            "started_at",
            "finished_at",
            "status",
            "stopped_note",
            "summary_table",
            "preview_link",
            "groups_link",
        ]

    def get_queryset(self, request):
        # The preview holds every planned teacher's id; only its own page reads it.
        return super().get_queryset(request).defer("preview")

    def get_urls(self):
        preview_view = self.admin_site.admin_view(self.preview_view)
        return [
            path("<int:object_id>/preview/", preview_view, name="diagnostics_groupingrun_preview"),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        # A run is a record of what was done: once made, nothing about it changes by hand.
        return self.get_fields(request, obj) if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        run = grouping_run_start(
            round=obj.round,
            started_by=request.user,
            **{name: getattr(obj, name) for name in OPTIONS},
        )
        # The admin goes on with `obj` (its history entry, the page it redirects to).
        obj.pk = run.pk
        obj.refresh_from_db()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        reply = super().add_view(request, form_url, extra_context)
        # Told only now: the admin's transaction has committed and the plan was sent, or the
        # broker refused it and the run is failed (grouping.tasks._not_queued).
        run_id = getattr(request, "grouping_run_started", None)
        if run_id is not None:
            if _failed(run_id):
                messages.error(request, not_queued_reason())
            else:
                messages.info(
                    request,
                    _(
                        "The groups are being planned. Nobody is moved until you read the "
                        "preview and confirm it."
                    ),
                )
        return reply

    def response_add(self, request, obj, post_url_continue=None):
        request.grouping_run_started = obj.pk
        return redirect("admin:diagnostics_groupingrun_preview", obj.pk)

    def message_user(self, request, message, *args, **kwargs):
        # The default "was added successfully" would claim the groups exist already.
        if request.resolver_match and request.resolver_match.url_name.endswith("_add"):
            return
        super().message_user(request, message, *args, **kwargs)

    @admin.action(description=_("Run again with the same options"), permissions=["add"])
    def run_again(self, request, queryset):
        rounds = {run.round_id: run.round for run in queryset.select_related("round")}
        started = []
        for round_ in rounds.values():
            last = queryset.filter(round=round_).order_by("-started_at", "-pk").first()
            run = grouping_run_start(
                round=round_,
                started_by=request.user,
                **{name: getattr(last, name) for name in OPTIONS},
            )
            started.append(run.pk)
        if GroupingRun.objects.filter(pk__in=started, status=GroupingRun.Status.FAILED).exists():
            self.message_user(request, not_queued_reason(), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext(
                "The groups of %(count)d round are being planned again: open the run to read "
                "its preview and confirm it.",
                "The groups of %(count)d rounds are being planned again: open each run to read "
                "its preview and confirm it.",
                len(rounds),
            )
            % {"count": len(rounds)},
            messages.SUCCESS,
        )

    @admin.display(description=_("started by"))
    def started_by_or_scores(self, run):
        if run.started_by:
            return run.started_by
        return _("new scores") if run.automatic else "—"

    @admin.display(description=_("result"))
    def result(self, run):
        if run.status in (GroupingRun.Status.PLANNING, GroupingRun.Status.PLANNED):
            return self.preview_link(run)
        if run.status == GroupingRun.Status.FAILED:
            return run.stopped_note or run.summary.get("error", "")
        if run.status != GroupingRun.Status.DONE:
            return "—"
        return _("%(teachers)s teachers in %(groups)s groups") % {
            "teachers": run.summary.get("teachers_placed", 0),
            "groups": run.summary.get("groups", 0),
        }

    @admin.display(description=_("worker"))
    def stopped_note(self, run):
        return run.stopped_note or "—"

    @admin.display(description=_("result"))
    def summary_table(self, run):
        # In a fixed order: PostgreSQL's jsonb does not keep the order keys were written in.
        rows = [
            (label, run.summary[key]) for key, label in SUMMARY_LABELS.items() if key in run.summary
        ]
        if not rows:
            return "—"
        return format_html(
            "<table>{}</table>", format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows)
        )

    @admin.display(description=_("preview"))
    def preview_link(self, run):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:diagnostics_groupingrun_preview", args=[run.pk]),
            _("Open the preview"),
        )

    def preview_view(self, request, object_id):
        """The planned groups before anyone is moved, with "Confirm and move teachers" and
        "Cancel" (and "Make a new preview" for a run out of date or cancelled)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = get_object_or_404(
            GroupingRun.objects.select_related("round__instrument", "started_by"), pk=object_id
        )
        if request.method == "POST":
            return self._preview_post(request, run)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Preview of the groups"),
            "run": run,
            "may_decide": self.has_add_permission(request),
            **preview.read(run, request.GET.get("page")),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/diagnostics/groupingrun/preview.html", context)

    def _preview_post(self, request, run):
        if not self.has_add_permission(request):
            raise PermissionDenied
        action = request.POST.get("action")
        here = reverse("admin:diagnostics_groupingrun_preview", args=[run.pk])
        try:
            if action == "confirm":
                grouping_run_confirm(run=run)
                if _failed(run.pk):
                    messages.error(request, not_queued_reason())
                    return redirect(here)
                messages.success(
                    request,
                    gettext("Confirmed: the teachers are being moved into the groups you read."),
                )
                return redirect(here)
            if action == "cancel":
                grouping_run_cancel(run=run)
                messages.success(
                    request, gettext("Cancelled: no group and no teacher was changed.")
                )
                return redirect("admin:diagnostics_groupingrun_changelist")
            if action == "again":
                again = grouping_run_start(
                    round=run.round,
                    started_by=request.user,
                    **{name: getattr(run, name) for name in OPTIONS},
                )
                return redirect("admin:diagnostics_groupingrun_preview", again.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(here)

    @admin.display(description=_("groups"))
    def groups_link(self, run):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("diagnostics:groups", args=[run.round_id]),
            _("Study groups of this round"),
        )


class MembershipInline(LabelledTabularMixin, admin.TabularInline):
    model = GroupMembership
    fields = ["teacher", "is_mentor", "placed_by_hand", "move"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("teacher")

    @admin.display(description=_("move"))
    def move(self, membership):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:diagnostics_groupmembership_change", args=[membership.pk]),
            _("Move to another group"),
        )


@admin.register(StudyGroup)
class StudyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "round", "school", "district", "level", "size", "locked"]
    list_filter = ["locked", "round", "level"]
    list_select_related = ["round", "school", "level"]
    search_fields = ["name", "school__name", "district"]
    fields = [
        "name",
        "round",
        "school",
        "region",
        "district",
        "level",
        "weakest_area",
        "language",
        "number",
        "run",
        "created_at",
        "page_link",
        "locked",
    ]
    readonly_fields = [name for name in fields if name != "locked"]
    inlines = [MembershipInline]
    actions = ["lock", "unlock"]

    def has_add_permission(self, request):
        return False  # groups come from grouping runs

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    def save_model(self, request, obj, form, change):
        # Only "locked" can change here.
        study_groups_lock(groups=StudyGroup.objects.filter(pk=obj.pk), locked=obj.locked)

    @admin.display(description=_("teachers"), ordering="member_count")
    def size(self, group):
        return group.member_count

    @admin.display(description=_("page"))
    def page_link(self, group):
        return format_html('<a href="{}">{}</a>', group.get_absolute_url(), _("Open the page"))

    @admin.action(description=_("Lock: keep these groups as they are when grouping again"))
    def lock(self, request, queryset):
        count = study_groups_lock(groups=queryset, locked=True)
        self.message_user(
            request,
            ngettext("%(count)d group locked.", "%(count)d groups locked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unlock: let grouping again re-plan these groups"))
    def unlock(self, request, queryset):
        count = study_groups_lock(groups=queryset, locked=False)
        self.message_user(
            request,
            ngettext("%(count)d group unlocked.", "%(count)d groups unlocked.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class MoveForm(forms.ModelForm):
    """Move a teacher to another group of the same round, in their own school or district."""

    class Meta:
        model = GroupMembership
        fields = ["group", "is_mentor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = self.instance
        if membership.pk:
            self.fields["group"].queryset = move_targets(membership=membership)

    def clean_group(self):
        group = self.cleaned_data["group"]
        if group.round_id != self.instance.round_id:
            raise forms.ValidationError(
                _("A teacher can only move to another group of the same round.")
            )
        return group


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    form = MoveForm
    list_display = ["teacher", "group", "round", "is_mentor", "placed_by_hand"]
    list_filter = ["placed_by_hand", "is_mentor", "round"]
    list_select_related = ["teacher", "group", "round"]
    search_fields = ["teacher__full_name", "teacher__email", "group__name"]
    fields = ["round", "teacher", "response", "group", "is_mentor", "placed_by_hand"]
    readonly_fields = ["round", "teacher", "response", "placed_by_hand"]

    def has_add_permission(self, request):
        return False  # a new teacher is placed by grouping again

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("teacher__school")

    def save_model(self, request, obj, form, change):
        move = group_membership_move(membership=obj, group=obj.group, is_mentor=obj.is_mentor)
        if move.over_limit:
            messages.warning(
                request,
                _("“%(group)s” now has %(size)d teachers, more than its limit of %(limit)d.")
                % {"group": move.group, "size": move.size, "limit": move.limit},
            )
