"""Instruments: the list with each language's completeness, the change page with its inlines,
and the extra pages (dry run, GIFT import, duplicate as new version)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import FileExtensionValidator
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from modeltranslation.admin import TranslationAdmin

from diagnostics import authoring
from diagnostics.admin.instrument_inlines import (
    AttitudeScaleInline,
    InstrumentSubmission,
    LevelBandInline,
    QuestionInline,
)
from diagnostics.interchange.gift_import import GIFT_PARTS, GiftImportError, gift_import
from diagnostics.models import Area, Instrument, Question
from lms.admin_forms import AnyLanguageMixin

GIFT_MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def render_completeness(completeness: authoring.LanguageCompleteness | None) -> str:
    if completeness is None:
        return "—"
    return format_html_join(
        " · ", "{}&nbsp;{}%", ((code, percent) for code, percent in completeness.by_language())
    )


class InstrumentChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # Two queries for the whole page, instead of several per instrument.
        completeness = authoring.language_completeness(list(self.result_list))
        for instrument in self.result_list:
            instrument.completeness = completeness[instrument.pk]


class GiftImportForm(forms.Form):
    file = forms.FileField(
        label=_("GIFT file"),
        help_text=_("A Moodle GIFT file (.gift or .txt) saved as UTF-8."),
        validators=[FileExtensionValidator(["gift", "txt"])],
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("The competence area of the imported questions."),
    )
    area_from_category = forms.BooleanField(
        label=_("Take the area from $CATEGORY"),
        required=False,
        help_text=_(
            "When the last part of a question's $CATEGORY is an area code, use that area "
            "instead of the one chosen above."
        ),
    )
    part = forms.ChoiceField(
        label=_("Part"),
        choices=[(part.value, part.label) for part in GIFT_PARTS],
        initial=Question.Part.KNOWLEDGE,
    )
    language = forms.ChoiceField(
        label=_("Language of the file"),
        choices=[
            (code, name)
            for code, name in settings.LANGUAGES
            if code in settings.MODELTRANSLATION_LANGUAGES
        ],
    )
    all_languages = forms.BooleanField(
        label=_("Copy the texts into every language"),
        required=False,
        help_text=_("Translators can then correct each language in place."),
    )

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(framework=instrument.framework_id)
        current = translation.get_language()
        if current in settings.MODELTRANSLATION_LANGUAGES:
            self.fields["language"].initial = current

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > GIFT_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB."),
                params={"size": GIFT_MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("area") and not cleaned.get("area_from_category"):
            self.add_error("area", _("Choose an area, or take it from $CATEGORY."))
        return cleaned


@admin.register(Instrument)
class InstrumentAdmin(AnyLanguageMixin, TranslationAdmin):
    list_display = [
        "title",
        "code",
        "version",
        "framework",
        "kind",
        "status",
        "question_count",
        "locked",
        "languages",
    ]
    list_filter = ["framework", "status", "kind", "threshold_unit"]
    list_select_related = ["framework"]
    search_fields = ["code", "title_kk", "title_ru", "title_ky", "title_en"]
    actions = ["duplicate_as_new_version"]
    # "View on site" would open the teachers' preview through get_absolute_url; the change page
    # links the preview itself, and only when the teachers' pages are mounted.
    view_on_site = False
    inlines = [AttitudeScaleInline, LevelBandInline, QuestionInline]
    readonly_fields = [
        "version",
        "previous_version",
        "created_by",
        "created_at",
        "languages",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "framework",
                    "code",
                    "version",
                    "previous_version",
                    "kind",
                    "status",
                    "threshold_unit",
                ]
            },
        ),
        (
            _("Who sees what"),
            {
                "fields": ["head_sees"],
                "description": _(
                    "Teachers read who sees what before they start, generated from this setting."
                    " Once a teacher has answered it is fixed: change it in a new version."
                ),
            },
        ),
        (_("Texts"), {"fields": ["title", "description", "instructions"]}),
        (_("Translation"), {"fields": ["languages"]}),
        (_("History"), {"fields": ["created_by", "created_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                question_total=Count("questions"),
                has_answers=authoring.has_answers(),
            )
        )

    def get_changelist(self, request, **kwargs):
        return InstrumentChangeList

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if authoring.instrument_locked(obj):
            # Teachers who answered were promised what heads see: the promise stays.
            readonly += [*authoring.INSTRUMENT_SCORING_FIELDS, "head_sees"]
        return readonly

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, (QuestionInline, LevelBandInline)):
            # One holder per request: the thresholds' formset reads the questions' formset.
            kwargs["submission"] = request.__dict__.setdefault(
                "_instrument_submission", InstrumentSubmission()
            )
        return kwargs

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # Columns and read-only fields.

    @admin.display(description=_("questions"), ordering="question_total")
    def question_count(self, instrument):
        return instrument.question_total

    @admin.display(description=_("locked"), boolean=True, ordering="has_answers")
    def locked(self, instrument):
        return authoring.instrument_locked(instrument)

    @admin.display(description=_("texts per language"))
    def languages(self, instrument):
        if instrument.pk is None:
            return "—"
        completeness = getattr(instrument, "completeness", None)
        if completeness is None:
            completeness = authoring.language_completeness([instrument])[instrument.pk]
        return render_completeness(completeness)

    # The change page: links to the tools, and the lock notice.

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["locked"] = authoring.instrument_locked(obj)
        context["preview_url"] = self.preview_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def preview_url(instrument) -> str | None:
        if instrument is None or instrument.pk is None:
            return None
        try:
            return reverse("diagnostics:preview", args=[instrument.pk])
        except NoReverseMatch:
            return None  # the teachers' pages are not mounted (see lms/urls.py)

    # Duplicate as a new version.

    @admin.action(description=_("Duplicate as new version"), permissions=["add"])
    def duplicate_as_new_version(self, request, queryset):
        copies = [
            authoring.instrument_new_version(instrument=instrument, created_by=request.user)
            for instrument in queryset
        ]
        if len(copies) == 1:
            return self.redirect_to_copy(request, copies[0])
        self.message_user(
            request,
            ngettext(
                "%(count)d new draft version was created.",
                "%(count)d new draft versions were created.",
                len(copies),
            )
            % {"count": len(copies)},
            messages.SUCCESS,
        )
        return None

    def redirect_to_copy(self, request, copy):
        self.message_user(
            request,
            _("Version %(version)d of “%(title)s” is a draft you can edit.")
            % {"version": copy.version, "title": copy.title},
            messages.SUCCESS,
        )
        return redirect(self.url_for("change", copy.pk))

    # Extra pages.

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("<path:object_id>/dry-run/", view(self.dry_run_view), name=f"{name}_dry_run"),
            path(
                "<path:object_id>/gift-import/",
                view(self.gift_import_view),
                name=f"{name}_gift_import",
            ),
            path(
                "<path:object_id>/new-version/",
                view(require_POST(self.new_version_view)),
                name=f"{name}_new_version",
            ),
            *super().get_urls(),
        ]

    def url_for(self, page: str, pk) -> str:
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{page}",
            args=[pk],
        )

    def instrument_for(self, request, object_id, permission) -> Instrument:
        """The instrument of an extra page, if the user may use that page on it."""
        instrument = self.get_object(request, unquote(object_id))
        if instrument is None:
            raise Http404
        if not permission(request, instrument):
            raise PermissionDenied
        return instrument

    def page_context(self, request, instrument, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": instrument,
            "title": title,
            "change_url": self.url_for("change", instrument.pk),
            **extra,
        }

    def dry_run_view(self, request, object_id):
        instrument = self.instrument_for(request, object_id, self.has_view_permission)
        respondents = _bounded_int(
            request.GET.get("respondents"), authoring.DRY_RUN_RESPONDENTS, 10, 10_000
        )
        seed = _bounded_int(request.GET.get("seed"), authoring.DRY_RUN_SEED, 0, 2**31)
        result = authoring.dry_run(instrument, respondents=respondents, seed=seed)
        context = self.page_context(
            request,
            instrument,
            _("Dry run of “%(title)s”") % {"title": instrument.title},
            dry_run=result,
            points=instrument.threshold_unit == Instrument.ThresholdUnit.POINTS,
        )
        return TemplateResponse(request, "admin/diagnostics/instrument/dry_run.html", context)

    def gift_import_view(self, request, object_id):
        instrument = self.instrument_for(request, object_id, self.has_change_permission)
        if authoring.instrument_locked(instrument):
            self.message_user(
                request, str(authoring.InstrumentLockedError(instrument)), messages.ERROR
            )
            return HttpResponseRedirect(self.url_for("change", instrument.pk))
        form = GiftImportForm(request.POST or None, request.FILES or None, instrument=instrument)
        problems = []
        if request.method == "POST" and form.is_valid():
            try:
                report = gift_import(
                    instrument=instrument,
                    source=form.cleaned_data["file"].read(),
                    area=form.cleaned_data["area"],
                    part=form.cleaned_data["part"],
                    language=form.cleaned_data["language"],
                    all_languages=form.cleaned_data["all_languages"],
                    area_from_category=form.cleaned_data["area_from_category"],
                )
            except GiftImportError as error:
                problems = error.problems
            else:
                self.report_gift_import(request, report)
                return HttpResponseRedirect(self.url_for("change", instrument.pk))
        context = self.page_context(
            request,
            instrument,
            _("Import GIFT questions into “%(title)s”") % {"title": instrument.title},
            form=form,
            problems=problems,
        )
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "admin/diagnostics/instrument/gift_import.html", context, status=status
        )

    def report_gift_import(self, request, report):
        count = len(report.questions)
        self.message_user(
            request,
            ngettext(
                "%(count)d question was imported.", "%(count)d questions were imported.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
        for skipped in report.skipped:
            self.message_user(request, str(skipped), messages.WARNING)

    def new_version_view(self, request, object_id):
        instrument = self.instrument_for(request, object_id, self.has_view_permission)
        if not self.has_add_permission(request):
            raise PermissionDenied
        copy = authoring.instrument_new_version(instrument=instrument, created_by=request.user)
        return self.redirect_to_copy(request, copy)


def _bounded_int(raw: str | None, default: int, lowest: int, highest: int) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default
    return max(lowest, min(highest, value))
