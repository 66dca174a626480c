"""Text comes out of every file kind and into the search index, through the Celery task.

The readers are called here in this process (extract_text); the limits of time and memory, and
the states a resource ends in, are tested through the child process in
test_extraction_limits.py."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.base import ContentFile

from library.extraction import Extracted, ExtractionError, Limits, TooLarge
from library.extraction import extract_text as extract
from library.models import Resource
from library.services import resource_saved
from tests.library.factories import ResourceFactory
from tests.library.files import (
    docx_bytes,
    hostile_docx,
    long_docx,
    odt_bytes,
    pdf_bytes,
    pptx_bytes,
    slides_bytes,
)


def extract_text(source, file_type, limits=None) -> str:
    extracted = extract(source, file_type, limits)
    assert not extracted.truncated
    return extracted.text


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


def test_a_text_box_is_read_once_though_word_stores_it_twice():
    # Word keeps a text box in mc:Choice for new readers and again in mc:Fallback for old ones.
    box = "<w:txbxContent><w:p><w:r><w:t>Box text</w:t></w:r></w:p></w:txbxContent>"
    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>'
        f"<w:p><w:r><w:t>Before</w:t></w:r><w:r><mc:AlternateContent><mc:Choice>{box}"
        f"</mc:Choice><mc:Fallback>{box}</mc:Fallback></mc:AlternateContent></w:r></w:p>"
        "<w:p><w:r><w:t>After</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", body)
    assert extract_text(buffer, "docx") == "Before Box text\nAfter"


def test_pptx_slides_are_read_in_the_order_of_the_presentation():
    content = slides_bytes([("First slide", "alpha", ""), ("Second slide", "beta", "")])
    # Move the second slide in front, as PowerPoint does: the files keep their names.
    content = _reordered_slides(content)
    text = extract_text(io.BytesIO(content), "pptx")
    assert text.index("Second slide") < text.index("First slide")


def _reordered_slides(content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "ppt/presentation.xml":
                start = data.index(b"<p:sldIdLst>") + len(b"<p:sldIdLst>")
                end = data.index(b"</p:sldIdLst>")
                first, second = data[start:end].split(b"/>", 1)
                data = data[:start] + second + first + b"/>" + data[end:]
            target.writestr(info, data)
    return buffer.getvalue()


def test_long_text_is_cut_at_the_limit_and_says_so(tmp_path):
    long_docx(tmp_path / "long.docx", paragraphs=2000)
    extracted = extract(tmp_path / "long.docx", "docx", Limits(max_chars=50_000))
    assert extracted.truncated
    assert 49_000 < len(extracted.text) <= 50_000
    assert extracted.text.startswith("p0 ")
    assert "\np1999 " not in extracted.text


def test_text_exactly_at_the_limit_is_not_called_cut():
    extracted = extract(io.BytesIO(docx_bytes("abcde", "fghij")), "docx", Limits(max_chars=11))
    assert extracted == Extracted(text="abcde\nfghij", truncated=False)


def test_a_long_presentation_stops_at_the_slide_that_fills_the_limit():
    slides = [(f"Slide {n}", "word " * 200, "") for n in range(1, 41)]
    extracted = extract(io.BytesIO(slides_bytes(slides)), "pptx", Limits(max_chars=3_000))
    assert extracted.truncated
    assert "Slide 1\n" in extracted.text
    assert "Slide 40" not in extracted.text


def test_a_docx_that_unpacks_hundreds_of_times_its_size_is_refused_before_reading(tmp_path):
    hostile_docx(tmp_path / "bomb.docx")
    with pytest.raises(TooLarge, match="word/document.xml unpacks to"):
        extract(tmp_path / "bomb.docx", "docx", Limits())


def test_without_the_ratio_check_the_hostile_docx_is_streamed_in_little_memory(tmp_path):
    # The check above is one line of defence; reading itself never holds the document.
    hostile_docx(tmp_path / "bomb.docx")
    tracemalloc.start()
    try:
        extracted = extract(tmp_path / "bomb.docx", "docx", Limits(max_ratio=0, max_chars=300_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert extracted.truncated
    assert 299_999 <= len(extracted.text) <= 300_000
    assert extracted.text.startswith("Paragraph\nParagraph\n")
    assert "\nParagraph 0\n" in extracted.text
    # The text kept (300,000 characters, about 1 MB measured) and the parser's buffers: never
    # the 100 MB of the document.
    assert peak < 4 * 1024 * 1024, peak


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
