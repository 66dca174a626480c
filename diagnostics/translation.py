"""Fields a teacher reads, translatable into every interface language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from diagnostics.models import (
    Area,
    AttitudeScale,
    Choice,
    Framework,
    Instrument,
    Level,
    Question,
)


@register(Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Area)
class AreaTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Level)
class LevelTranslation(TranslationOptions):
    fields = ("name", "description", "next_steps")


@register(Instrument)
class InstrumentTranslation(TranslationOptions):
    fields = ("title", "description", "instructions")


@register(AttitudeScale)
class AttitudeScaleTranslation(TranslationOptions):
    fields = ("name", "description", "flag_message", "teacher_message")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text", "feedback")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("text", "match_text", "feedback")
