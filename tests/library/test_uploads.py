"""Uploads are accepted by content, never by name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from library.uploads import detect_cover, detect_document
from tests.library.files import (
    HTML_PAGE,
    SVG_IMAGE,
    docx_bytes,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    pptx_bytes,
)


@pytest.fixture(autouse=True)
def english():
    # The messages follow the active language; these tests read the English ones.
    with translation.override("en"):
        yield


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("content", "extension"),
    [
        (pdf_bytes("Hello"), "pdf"),
        (docx_bytes("Hello"), "docx"),
        (pptx_bytes("Title", "Body"), "pptx"),
        (odt_bytes("Hello"), "odt"),
        (png_bytes(), "png"),
    ],
    ids=["pdf", "docx", "pptx", "odt", "png"],
)
def test_documents_are_recognised_by_content_whatever_their_name(content, extension):
    assert detect_document(upload("document.bin", content)).extension == extension


def test_html_page_named_pdf_is_refused_as_a_web_page():
    with pytest.raises(ValidationError) as error:
        detect_document(upload("textbook.pdf", HTML_PAGE))
    assert error.value.code == "active_content"
    assert "web page" in error.value.messages[0]


def test_svg_named_png_is_refused():
    with pytest.raises(ValidationError) as error:
        detect_document(upload("cover.png", SVG_IMAGE))
    assert error.value.code == "active_content"


def test_html_with_leading_whitespace_and_bom_is_still_refused():
    with pytest.raises(ValidationError):
        detect_document(upload("page.docx", b"\xef\xbb\xbf  \n<HTML><body>hi</body></HTML>"))


def test_plain_zip_named_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    with pytest.raises(ValidationError) as error:
        detect_document(upload("lesson.docx", buffer.getvalue()))
    assert error.value.code == "unsupported"


def test_zip_bomb_is_refused(monkeypatch):
    # The real limit is 500 MB unpacked; a smaller one keeps the test fast, same code path.
    monkeypatch.setattr("library.uploads.MAX_UNPACKED_BYTES", 5 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (6 * 1024 * 1024))
    assert len(buffer.getvalue()) < 64 * 1024
    with pytest.raises(ValidationError) as error:
        detect_document(upload("bomb.docx", buffer.getvalue()))
    assert error.value.code == "zip_bomb"


def test_file_over_the_configured_limit_is_refused_with_both_sizes(settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError) as error:
        detect_document(upload("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1)))
    assert error.value.code == "too_large"
    assert "1.0" in error.value.messages[0]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        detect_document(upload("empty.pdf", b""))
    assert error.value.code == "empty"


def test_cover_must_be_a_real_picture():
    assert detect_cover(upload("cover.jpg", png_bytes())) == "png"
    with pytest.raises(ValidationError):
        detect_cover(upload("cover.svg", SVG_IMAGE))
    with pytest.raises(ValidationError):
        detect_cover(upload("cover.png", b"\x89PNG\r\n\x1a\n broken"))
