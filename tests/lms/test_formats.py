"""Dates, times and numbers read the same numeric way in Kazakh, Kyrgyz and Russian."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

LANGUAGES = ("kk", "ky", "ru")
MOMENT = datetime.datetime(2027, 1, 24, 14, 30, tzinfo=datetime.UTC)  # 19:30 in Almaty
EARLY = datetime.datetime(2027, 1, 24, 9, 5, tzinfo=datetime.UTC)


def render(source: str, **context) -> str:
    return Template("{% load l10n %}" + source).render(Context(context))


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_and_times_are_numeric_in_every_language(language, settings):
    settings.TIME_ZONE = "UTC"
    with translation.override(language):
        assert render("{{ d|date }}", d=MOMENT.date()) == "24.01.2027"
        assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=MOMENT) == "24.01.2027"
        assert render("{{ d|date:'DATE_FORMAT' }}", d=MOMENT) == "24.01.2027"
        assert render("{{ d|time }}", d=MOMENT) == "14:30"
        assert render("{{ d|time }}", d=EARLY) == "09:05"
        assert render("{{ d|date:'DATETIME_FORMAT' }}", d=MOMENT) == "24.01.2027 14:30"
        assert render("{{ d|date:'SHORT_DATETIME_FORMAT' }}", d=MOMENT) == "24.01.2027 14:30"
        # A bare date or datetime in a template uses the same formats.
        assert render("{{ d }}", d=MOMENT.date()) == "24.01.2027"
        assert render("{{ d }}", d=EARLY) == "24.01.2027 09:05"


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_have_a_decimal_comma_and_spaced_thousands(language):
    with translation.override(language):
        assert render("{{ n|floatformat:2 }}", n=Decimal("22.7272")) == "22,73"
        assert formats.number_format(Decimal("1234567.5"), 1, force_grouping=True) == (
            "1\xa0234\xa0567,5"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_week_starts_on_monday_and_typed_dates_are_read(language):
    with translation.override(language):
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
        assert forms.DateField().clean("24.01.2027") == datetime.date(2027, 1, 24)
        assert forms.DateField().clean("2027-01-24") == datetime.date(2027, 1, 24)
        assert forms.TimeField().clean("14:30") == datetime.time(14, 30)
        typed = forms.DateTimeField().clean("24.01.2027 14:30")
        assert (typed.day, typed.hour, typed.minute) == (24, 14, 30)
