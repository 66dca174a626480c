"""Course texts a teacher reads, translatable into every interface language."""

from modeltranslation.translator import TranslationOptions, register

from courses.models import Course, Lesson, LessonAttachment, LessonVariant, Module


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Module)
class ModuleTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Lesson)
class LessonTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "information_sources")


@register(LessonVariant)
class LessonVariantTranslation(TranslationOptions):
    fields = ("body",)


@register(LessonAttachment)
class LessonAttachmentTranslation(TranslationOptions):
    fields = ("title",)
