"""Text comes out of every file kind and into the search index, through the Celery task."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from library.extraction import MAX_TEXT_CHARS, ExtractionError, extract_text
from library.models import Resource
from library.services import resource_saved
from tests.library.factories import ResourceFactory
from tests.library.files import docx_bytes, odt_bytes, pdf_bytes, pptx_bytes


def test_pdf_text_is_extracted():
    text = extract_text(io.BytesIO(pdf_bytes("Digital citizenship lesson")), "pdf")
    assert "Digital citizenship lesson" in text


def test_docx_paragraphs_and_tables_are_extracted():
    content = docx_bytes(
        "Сандық сауаттылық: оқушыларға арналған тапсырмалар",
        table=[["Тақырып", "Уақыты"], ["Құпиясөздер", "15 минут"]],
    )
    text = extract_text(io.BytesIO(content), "docx")
    assert "Сандық сауаттылық" in text
    assert "Құпиясөздер | 15 минут" in text


def test_pptx_slides_and_notes_are_extracted():
    content = pptx_bytes("Фишинг", "Как распознать письмо мошенника", notes="Показать пример")
    text = extract_text(io.BytesIO(content), "pptx")
    assert "Фишинг" in text
    assert "распознать письмо мошенника" in text
    assert "Показать пример" in text


def test_odt_headings_and_paragraphs_are_extracted_once():
    content = odt_bytes("Электрондук таблица менен иштөө", heading="Сабактын планы")
    text = extract_text(io.BytesIO(content), "odt")
    assert text == "Сабактын планы\nЭлектрондук таблица менен иштөө"


def test_extracted_text_is_capped():
    content = docx_bytes(*["слово " * 2000] * 120)
    assert len(extract_text(io.BytesIO(content), "docx")) == MAX_TEXT_CHARS


def test_odt_with_an_xml_bomb_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">&lol2;'
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", bomb)
    with pytest.raises(ExtractionError):
        extract_text(io.BytesIO(buffer.getvalue()), "odt")


def test_broken_file_raises_extraction_error():
    with pytest.raises(ExtractionError):
        extract_text(io.BytesIO(b"%PDF-1.4 garbage"), "pdf")


def _with_file(content: bytes, file_type: str) -> Resource:
    resource = ResourceFactory(external_url="", file_type=file_type)
    resource.file.save(f"upload.{file_type}", ContentFile(content))
    return resource


def test_upload_queues_extraction_after_commit_and_the_text_becomes_searchable(
    teacher, django_capture_on_commit_callbacks
):
    resource = _with_file(docx_bytes("Цифрлық сауаттылық бойынша нұсқаулық"), "docx")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resource_saved(resource=resource, file_changed=True)
    resource.refresh_from_db()
    # Nothing is read before the transaction commits.
    assert resource.extraction == Resource.Extraction.PENDING
    assert resource.extracted_text == ""
    for callback in callbacks:
        callback()
    resource.refresh_from_db()
    assert resource.extraction == Resource.Extraction.DONE
    assert "нұсқаулық" in resource.extracted_text

    from library.search import search

    found = search(teacher, query="НҰСҚАУЛЫҚ")
    assert [r.pk for r in found.page.object_list] == [resource.pk]


def test_unreadable_file_is_marked_failed_and_keeps_the_resource(
    db,
    django_capture_on_commit_callbacks,
):
    resource = _with_file(b"%PDF-1.4 but nothing else", "pdf")
    with django_capture_on_commit_callbacks(execute=True):
        resource_saved(resource=resource, file_changed=True)
    resource.refresh_from_db()
    assert resource.extraction == Resource.Extraction.FAILED
    assert Resource.objects.filter(pk=resource.pk).exists()
