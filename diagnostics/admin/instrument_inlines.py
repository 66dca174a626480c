"""The rows of an instrument's page: attitude scales, level thresholds and questions, whose
scoring fields, additions and deletions lock with the instrument; the thresholds are checked
against the questions as they are submitted with them."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from diagnostics import authoring
from diagnostics.models import Area, AttitudeScale, Choice, Instrument, Level, LevelBand, Question
from lms.admin_forms import AnyLanguageMixin
from lms.admin_labels import LabelledTabularMixin


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

    def questions_with_choices(self, instrument) -> list[tuple[Question, list[Choice]]]:
        """The questions as they will be saved, in the teachers' order, with their stored
        choices (choices are edited on each question's own page; a new question has none)."""
        if self.questions is None:
            questions = list(instrument.questions.select_related("area"))
        else:
            questions = self.questions.submitted_questions()
        stored = [q.pk for q in questions if q.pk]
        choices: dict[int, list[Choice]] = {pk: [] for pk in stored}
        for choice in Choice.objects.filter(question__in=stored).order_by("position", "pk"):
            choices[choice.question_id].append(choice)
        questions.sort(key=lambda q: (q.position, q.pk is None, q.pk or 0))
        return [(q, choices.get(q.pk, []) if q.pk else []) for q in questions]


class QuestionFormSet(BaseInlineFormSet):
    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        if submission is not None:
            submission.questions = self

    def submitted_questions(self) -> list[Question]:
        self.is_valid()
        return [
            form.instance
            for form in self.forms
            if not getattr(form, "cleaned_data", {}).get("DELETE")
            and not (form.instance._state.adding and not form.has_changed())
        ]

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
        publishing = instrument.status == Instrument.Status.PUBLISHED
        rows = self.submitted_rows()
        problems = authoring.band_problems(
            rows,
            framework_id=instrument.framework_id,
            levels=list(Level.objects.filter(framework_id=instrument.framework_id)),
            unit=instrument.threshold_unit,
            maxima=authoring.scope_maxima(self.submission.scored_items(instrument)),
            complete=publishing,  # a draft may be saved before every threshold exists
        )
        if publishing and not problems:
            bands = [LevelBand(level=r.level, area=r.area, min_score=r.min_score) for r in rows]
            problems = authoring.publish_problems(
                self.submission.questions_with_choices(instrument),
                bands,
                unit=instrument.threshold_unit,
            )
        if problems:
            if publishing:
                problems.insert(0, _("The instrument cannot be published yet:"))
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
    fields = [
        "code",
        "name",
        "description",
        "flag_when",
        "flag_percent",
        "flag_message",
        "teacher_message",
    ]
    locked_fields = authoring.SCALE_SCORING_FIELDS


class LevelBandInline(
    LabelledTabularMixin, LockableInline, FrameworkChoicesMixin, admin.TabularInline
):
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
    LabelledTabularMixin,
    LockableInline,
    FrameworkChoicesMixin,
    AnyLanguageMixin,
    TranslationTabularInline,
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
