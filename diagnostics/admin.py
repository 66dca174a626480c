"""The methodists' authoring tools: frameworks, instruments with their questions, thresholds and
attitude scales, rounds of diagnosis; plus the dry run, GIFT import and "duplicate as new version".

The rules live in diagnostics/authoring.py; this module turns them into forms, read-only fields
and pages. Once teachers have answered an instrument, whatever changes scoring is shown read-only.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Count, F
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.translator import NotRegistered, translator

from diagnostics import authoring
from diagnostics.models import (
    Area,
    AttitudeScale,
    Choice,
    Framework,
    Instrument,
    Level,
    LevelBand,
    Question,
    Round,
)
from diagnostics.rules import answer_key

GIFT_MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def cache_choices(form_class, name: str, queryset=None) -> None:
    """Restrict a select to `queryset` and read its options once for every inline row.

    Each row of a formset copies the form's fields, and an unevaluated queryset would run again
    for every row; a list of options is copied instead.
    """
    field = form_class.base_fields.get(name)
    if field is None:
        return
    if queryset is not None:
        field.queryset = queryset
    # iter(): list() alone would first ask the iterator its length, one more COUNT query.
    field.choices = list(iter(field.choices))


def render_completeness(completeness: authoring.LanguageCompleteness | None) -> str:
    if completeness is None:
        return "—"
    return format_html_join(
        " · ", "{}&nbsp;{}%", ((code, percent) for code, percent in completeness.by_language())
    )


# --- Texts in any language ---------------------------------------------------------------------


def required_texts(model) -> list[str]:
    """The model's translated fields that must be written (in at least one language)."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    return [name for name in options.fields if not model._meta.get_field(name).blank]


class AnyLanguageForm(forms.ModelForm):
    """A required text (a title, a question) may be written in any one language: methodists
    write in Kazakh or Russian first, and translators add the other languages later."""

    def clean(self):
        cleaned = super().clean()
        for name in required_texts(self._meta.model):
            columns = [f"{name}_{language}" for language in authoring.LANGUAGES]
            shown = [column for column in columns if column in self.fields]
            values = [
                cleaned.get(column) if column in self.fields else getattr(self.instance, column)
                for column in columns
            ]
            if shown and not any(values):
                self.add_error(shown[0], _("Write this in at least one language."))
        return cleaned


class AnyLanguageMixin:
    """Undoes modeltranslation's rule that the default language (English) is always required;
    AnyLanguageForm asks for one language, whichever it is."""

    form = AnyLanguageForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and hasattr(db_field, "translated_field"):
            field.required = False
        return field


# --- Frameworks ---------------------------------------------------------------------------------


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


# --- Instrument inlines -------------------------------------------------------------------------


class LockableInline:
    """An inline whose scoring fields, additions and deletions lock with its instrument."""

    locked_fields: tuple[str, ...] = ()

    def instrument_of(self, obj):
        return obj

    def is_locked(self, obj) -> bool:
        return authoring.instrument_locked(self.instrument_of(obj))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.is_locked(obj):
            readonly += [name for name in self.locked_fields if name not in readonly]
        return readonly

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self.is_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.is_locked(obj)


class InstrumentSubmission:
    """The question rows of one admin POST, so that the thresholds submitted with them are
    checked against the questions as they will be saved, not as they were."""

    def __init__(self):
        self.questions = None

    def scored_items(self, instrument):
        if self.questions is None:
            return authoring.stored_scored_items(instrument)
        return self.questions.scored_items()


class QuestionFormSet(BaseInlineFormSet):
    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        if submission is not None:
            submission.questions = self

    def scored_items(self) -> list[authoring.ScoredItem | None]:
        self.is_valid()  # rows are read cleaned, whichever formset is validated first
        items = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if data.get("DELETE") or (form.instance._state.adding and not form.has_changed()):
                continue
            # A field missing from the cleaned row is read-only or invalid: keep the stored value.
            question = form.instance
            area = data.get("area", question.area)
            items.append(
                authoring.scored_item(
                    area_id=area.pk if area else None,
                    part=data.get("part", question.part),
                    kind=data.get("kind", question.kind),
                    weight=data.get("weight", question.weight),
                )
            )
        return items


class LevelBandFormSet(BaseInlineFormSet):
    """Checks the submitted thresholds as a whole (see authoring.band_problems) before any of
    them is saved."""

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission = submission or InstrumentSubmission()

    def submitted_rows(self) -> list[authoring.BandRow]:
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if data.get("level") is None or data.get("DELETE"):
                continue
            rows.append(
                authoring.BandRow(
                    level=data["level"], area=data.get("area"), min_score=data["min_score"]
                )
            )
        return rows

    def clean(self):
        super().clean()
        instrument = self.instance
        if any(self.errors) or not instrument.framework_id:
            return
        if authoring.instrument_locked(instrument):
            return  # thresholds are read-only: nothing submitted here can change them
        problems = authoring.band_problems(
            self.submitted_rows(),
            framework_id=instrument.framework_id,
            levels=list(Level.objects.filter(framework_id=instrument.framework_id)),
            unit=instrument.threshold_unit,
            maxima=authoring.scope_maxima(self.submission.scored_items(instrument)),
        )
        if problems:
            raise ValidationError([ValidationError(problem) for problem in problems])


class FrameworkChoicesMixin:
    """Offers only the areas and levels of the instrument's framework, read once per page."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        framework = obj.framework_id if obj is not None else None
        areas, levels = Area.objects.all(), Level.objects.all()
        if framework:
            areas, levels = areas.filter(framework=framework), levels.filter(framework=framework)
        cache_choices(formset.form, "area", areas)
        cache_choices(formset.form, "level", levels)
        scales = AttitudeScale.objects.none()
        if obj is not None and obj.pk:
            scales = AttitudeScale.objects.filter(instrument=obj)
        cache_choices(formset.form, "scale", scales)
        return formset


class AttitudeScaleInline(LockableInline, AnyLanguageMixin, TranslationStackedInline):
    model = AttitudeScale
    extra = 0
    fields = ["code", "name", "description", "flag_when", "flag_percent", "flag_message"]
    locked_fields = authoring.SCALE_SCORING_FIELDS


class LevelBandInline(LockableInline, FrameworkChoicesMixin, admin.TabularInline):
    model = LevelBand
    formset = LevelBandFormSet
    extra = 0
    fields = ["area", "level", "min_score"]
    locked_fields = authoring.BAND_FIELDS
    verbose_name_plural = _("level thresholds (empty area = overall score)")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # Rows are titled with their level (LevelBand.__str__); locked rows show both as text.
            .select_related("level", "area")
            .order_by(F("area__position").asc(nulls_first=True), "level__position")
        )


class QuestionInline(
    LockableInline, FrameworkChoicesMixin, AnyLanguageMixin, TranslationTabularInline
):
    model = Question
    formset = QuestionFormSet
    extra = 0
    show_change_link = True
    fields = [
        "position",
        "code",
        "part",
        "kind",
        "area",
        "scale",
        "weight",
        "scale_min",
        "scale_max",
        "reverse_coded",
        "text",
        "choice_count",
    ]
    readonly_fields = ["choice_count"]
    locked_fields = authoring.QUESTION_SCORING_FIELDS
    formfield_overrides = {
        # Four languages side by side: small boxes keep the row readable.
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 24})},
    }

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # A locked row shows its area and scale as text, read from the question itself.
            .select_related("area", "scale")
            .annotate(choice_total=Count("choices"))
        )

    @admin.display(description=_("choices"))
    def choice_count(self, question):
        return getattr(question, "choice_total", "—")


# --- Instruments --------------------------------------------------------------------------------


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
        choices=[(part.value, part.label) for part in authoring.GIFT_PARTS],
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
            readonly += authoring.INSTRUMENT_SCORING_FIELDS
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
                report = authoring.gift_import(
                    instrument=instrument,
                    source=form.cleaned_data["file"].read(),
                    area=form.cleaned_data["area"],
                    part=form.cleaned_data["part"],
                    language=form.cleaned_data["language"],
                    all_languages=form.cleaned_data["all_languages"],
                    area_from_category=form.cleaned_data["area_from_category"],
                )
            except authoring.GiftImportError as error:
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


# --- Questions and their choices ----------------------------------------------------------------


class ChoiceForm(AnyLanguageForm):
    def clean_answer_key(self):
        # Stored as teachers' answers are compared (diagnostics.rules.answer_key).
        value = self.cleaned_data["answer_key"]
        question = self.instance.question
        return answer_key(value, case_sensitive=question.case_sensitive) if value else value


class ChoiceInline(LockableInline, AnyLanguageMixin, TranslationStackedInline):
    model = Choice
    form = ChoiceForm
    extra = 0
    fields = [
        "position",
        "text",
        "match_text",
        "credit",
        "answer_key",
        "value",
        "tolerance",
        "feedback",
    ]
    locked_fields = authoring.CHOICE_SCORING_FIELDS

    def instrument_of(self, obj):
        return obj.instrument if obj is not None else None


class QuestionAdminForm(AnyLanguageForm):
    """Refuses a change of weight, area, part or kind that would leave a threshold in raw
    points out of reach (the instrument's page checks thresholds; this page cannot show them)."""

    def clean(self):
        cleaned = super().clean()
        question = self.instance
        instrument = question.instrument
        if (
            instrument.threshold_unit != Instrument.ThresholdUnit.POINTS
            or authoring.instrument_locked(instrument)
        ):
            return cleaned
        before = set(authoring.instrument_band_problems(instrument))
        others = authoring.stored_scored_items(instrument, exclude_pk=question.pk)
        area = cleaned.get("area") if "area" in cleaned else question.area
        changed = authoring.scored_item(
            area_id=area.pk if area else None,
            part=cleaned.get("part", question.part),
            kind=cleaned.get("kind", question.kind),
            weight=cleaned.get("weight", question.weight),
        )
        after = authoring.instrument_band_problems(instrument, items=[*others, changed])
        caused = [problem for problem in after if problem not in before]
        if caused:
            raise ValidationError([ValidationError(problem) for problem in caused])
        return cleaned


@admin.register(Question)
class QuestionAdmin(AnyLanguageMixin, TranslationAdmin):
    form = QuestionAdminForm
    list_display = ["code", "short_text", "instrument", "area", "part", "kind", "weight"]
    list_filter = ["instrument__framework", "instrument__status", "part", "kind"]
    list_select_related = ["instrument", "area"]
    search_fields = [
        "code",
        "instrument__code",
        "text_kk",
        "text_ru",
        "text_ky",
        "text_en",
    ]
    inlines = [ChoiceInline]
    fieldsets = [
        (None, {"fields": ["instrument", "code", "position", "part", "kind", "area", "scale"]}),
        (
            _("Scoring"),
            {
                "fields": [
                    "weight",
                    "required",
                    "scale_min",
                    "scale_max",
                    "reverse_coded",
                    "case_sensitive",
                ]
            },
        ),
        (_("Texts"), {"fields": ["text", "help_text", "feedback"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("instrument", "area")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("instrument")  # a question does not move between instruments
            if authoring.instrument_locked(obj.instrument):
                readonly += [f for f in authoring.QUESTION_SCORING_FIELDS if f not in readonly]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            cache_choices(form, "area", Area.objects.filter(framework=obj.instrument.framework_id))
            cache_choices(form, "scale", AttitudeScale.objects.filter(instrument=obj.instrument))
        return form

    # Questions are added and deleted on their instrument's page (or by GIFT import), where the
    # thresholds are checked against the whole set of questions.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["locked"] = obj is not None and authoring.instrument_locked(obj.instrument)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("question"))
    def short_text(self, question):
        return Truncator(question.text).chars(80)


# --- Rounds -------------------------------------------------------------------------------------


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


from diagnostics import admin_grouping  # noqa: E402, F401 - registers the grouping admin
