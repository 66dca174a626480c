"""Texts of the library's own making (collections, subject names) in every interface language.

Resources themselves are not translated: each is written in one language, which it records.
"""

from modeltranslation.translator import TranslationOptions, register

from library.models import Collection, Subject


@register(Collection)
class CollectionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Subject)
class SubjectTranslation(TranslationOptions):
    fields = ("name",)
