"""Every input of the admin's authoring pages has a name a screen reader says, in the
methodist's language: the rows of a tabular inline (whose labels are only column headings) and
the two halves of a date and time. The browser check of whole pages is
tests/e2e/test_accessibility.py; this one pins the names themselves."""

import re

import pytest
from django.urls import reverse

from diagnostics.models import Instrument
from tests.diagnostics.factories import InstrumentFactory, QuestionFactory
from tests.library.factories import ResourceFactory
from tests.lms.factories import MethodistFactory

pytestmark = pytest.mark.django_db


def _tag(html: str, element_id: str) -> str:
    match = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, f"no input #{element_id}"
    return match.group(0)


def _aria_label(html: str, element_id: str) -> str | None:
    match = re.search(r'aria-label="([^"]*)"', _tag(html, element_id))
    return match.group(1) if match else None


def test_question_rows_of_a_draft_instrument_are_named_by_their_column(client):
    instrument = InstrumentFactory(status=Instrument.Status.DRAFT)
    QuestionFactory(instrument=instrument)
    client.force_login(MethodistFactory(preferred_language="ru"))
    html = client.get(
        reverse("admin:diagnostics_instrument_change", args=[instrument.pk]),
        HTTP_ACCEPT_LANGUAGE="ru",
    ).content.decode()
    assert _aria_label(html, "id_questions-0-code") == "Код"
    assert _aria_label(html, "id_questions-0-position") == "Порядковый номер"
    # Each language's box of a translated text is named with its language, as its heading is.
    assert _aria_label(html, "id_questions-0-text_kk") == "Вопрос [kk]"
    assert _aria_label(html, "id_questions-0-text_ru") == "Вопрос [ru]"
    assert _aria_label(html, "id_questions-0-DELETE") == "Удалить"
    # The empty row that "Add another" copies is named too.
    assert _aria_label(html, "id_questions-__prefix__-code") == "Код"


def test_date_and_time_halves_are_named_by_field_and_part(client):
    resource = ResourceFactory()
    client.force_login(MethodistFactory(preferred_language="kk"))
    html = client.get(
        reverse("admin:library_resource_change", args=[resource.pk]),
        HTTP_ACCEPT_LANGUAGE="kk",
    ).content.decode()
    date_name = _aria_label(html, "id_published_at_0")
    time_name = _aria_label(html, "id_published_at_1")
    assert date_name.endswith(": күні") and time_name.endswith(": уақыты")
    assert date_name.removesuffix(": күні") == time_name.removesuffix(": уақыты") != ""


def test_admin_pages_load_the_script_that_names_select2_and_filter_boxes(client):
    client.force_login(MethodistFactory())
    html = client.get(reverse("admin:index")).content.decode()
    assert "js/admin-accessible-names.js" in html
    assert "css/admin.css" in html
