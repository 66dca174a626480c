"""A question's own page with its choices (the key); questions are added and deleted on their
instrument's page."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from diagnostics import authoring
from diagnostics.admin.instrument_inlines import LockableInline, cache_choices
from diagnostics.kinds.base import answer_key
from diagnostics.models import Area, AttitudeScale, Choice, Instrument, Question
from lms.admin_forms import AnyLanguageForm, AnyLanguageMixin


class ChoiceForm(AnyLanguageForm):
    def clean_answer_key(self):
        # Stored as teachers' answers are compared (diagnostics.kinds.base.answer_key).
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
