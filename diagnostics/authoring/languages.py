"""How complete each language of an instrument's texts is (its own, its questions', its
choices'), counted in SQL so the instruments' list costs two queries whatever its length."""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from diagnostics.models import Choice, Instrument, Question

LANGUAGES = tuple(settings.MODELTRANSLATION_LANGUAGES)


INSTRUMENT_TEXTS = ("title", "description", "instructions")
QUESTION_TEXTS = ("text", "help_text", "feedback")
CHOICE_TEXTS = ("text", "match_text", "feedback")


@dataclass
class LanguageCompleteness:
    """Of the texts written in at least one language, how many each language has."""

    total: int = 0
    filled: Counter = field(default_factory=Counter)

    def add(self, total: int, filled: Mapping[str, int]) -> None:
        self.total += total
        self.filled.update(filled)

    def percent(self, language: str) -> int:
        # Rounded down: 100% must mean that nothing is missing.
        if not self.total:
            return 100
        return self.filled[language] * 100 // self.total

    def by_language(self) -> list[tuple[str, int]]:
        return [(language, self.percent(language)) for language in LANGUAGES]


def _written(field_name: str, language: str) -> Q:
    # Translation columns are NULL or "" when empty; "> ''" is false for both.
    return Q(**{f"{field_name}_{language}__gt": ""})


def _written_in_any(field_name: str) -> Q:
    condition = Q()
    for language in LANGUAGES:
        condition |= _written(field_name, language)
    return condition


def _text_counts(queryset, group_by: str, fields: Sequence[str]) -> dict[int, tuple[int, Counter]]:
    """One GROUP BY query: per group, the texts written in any language and in each language."""
    aggregates = {}
    for name in fields:
        aggregates[f"n_{name}_any"] = Count("pk", filter=_written_in_any(name))
        for language in LANGUAGES:
            aggregates[f"n_{name}_{language}"] = Count("pk", filter=_written(name, language))
    counts = {}
    for row in queryset.values(group_by).annotate(**aggregates).order_by():
        total = sum(row[f"n_{name}_any"] for name in fields)
        filled = Counter(
            {
                language: sum(row[f"n_{name}_{language}"] for name in fields)
                for language in LANGUAGES
            }
        )
        counts[row[group_by]] = (total, filled)
    return counts


def _own_text_counts(instrument: Instrument) -> tuple[int, Counter]:
    total, filled = 0, Counter()
    for name in INSTRUMENT_TEXTS:
        values = {language: getattr(instrument, f"{name}_{language}") for language in LANGUAGES}
        if any(values.values()):
            total += 1
            filled.update(language for language, value in values.items() if value)
    return total, filled


def language_completeness(instruments: Sequence[Instrument]) -> dict[int, LanguageCompleteness]:
    """Per instrument, the share of its texts (its own, its questions', its choices') each
    language has. Two queries whatever the number of instruments and questions."""
    ids = [instrument.pk for instrument in instruments]
    result = {instrument.pk: LanguageCompleteness() for instrument in instruments}
    if not ids:
        return result
    for instrument in instruments:
        result[instrument.pk].add(*_own_text_counts(instrument))
    questions = _text_counts(
        Question.objects.filter(instrument__in=ids), "instrument_id", QUESTION_TEXTS
    )
    choices = _text_counts(
        Choice.objects.filter(question__instrument__in=ids), "question__instrument", CHOICE_TEXTS
    )
    for counts in (questions, choices):
        for instrument_id, (total, filled) in counts.items():
            result[instrument_id].add(total, filled)
    return result
