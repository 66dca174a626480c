"""Texts and numbers as the instrument files carry them, shared by the kinds and the importers.

Texts are objects with one entry per language ({"kk": ..., "ru": ..., "ky": ..., "en": ...});
translated fields exist once per language (text_kk, text_ru, ...).
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The languages translated fields exist in (text_kk, text_ru, ...).
LANGUAGES = tuple(settings.MODELTRANSLATION_LANGUAGES)
TRUE_FALSE_LABELS = (gettext_lazy("True"), gettext_lazy("False"))


def interface_texts(field: str, label) -> dict:
    """A word of the interface ("True") as content: each language's field in its translation."""
    texts = {}
    for code in LANGUAGES:
        with translation.override(code):
            texts[f"{field}_{code}"] = str(label)
    return texts


def json_texts(field: str, value) -> dict:
    """{"kk": "..."} -> {"field_kk": "..."}; a plain string is taken as every language's text."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {f"{field}_{code}": value for code in LANGUAGES}
    if not isinstance(value, dict):
        raise TypeError(field)
    return {f"{field}_{code}": value.get(code, "") or "" for code in LANGUAGES}


def translated(instance, field: str) -> dict:
    """{"kk": ..., "ru": ...}: every language's text of a translated field."""
    return {code: getattr(instance, f"{field}_{code}") or "" for code in LANGUAGES}


def json_decimal(value, where: str, problems: list[str]) -> Decimal:
    """A number from a file; a problem (and zero) when it is not one."""
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.append(
            _("%(where)s: “%(value)s” is not a number") % {"where": where, "value": value}
        )
        return Decimal(0)
