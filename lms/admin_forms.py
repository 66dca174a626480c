"""Admin forms every app with translated fields uses: a required text may be written in any one
language (django-modeltranslation would otherwise require the default language's column)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator


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
            columns = [f"{name}_{language}" for language in settings.MODELTRANSLATION_LANGUAGES]
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
