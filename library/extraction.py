"""Plain text out of PDF, DOCX, PPTX and OpenDocument files, for the search index.

Only the first MAX_TEXT_CHARS characters are kept: enough to find a textbook by what it says,
small enough that one resource never bloats the index. ZIP-based files were checked against zip
bombs when uploaded; reading here still stops at the same limits, because a file may have been
put in storage some other way.
"""

import re
import zipfile

from defusedxml import ElementTree

from library.uploads import MAX_UNPACKED_BYTES

MAX_TEXT_CHARS = 1_000_000
# content.xml of an OpenDocument is read into memory; one larger than this is not a teacher's
# document.
MAX_ODF_CONTENT_BYTES = 64 * 1024 * 1024
ODF_TEXT_NAMESPACE = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
BLOCK_TAGS = {f"{{{ODF_TEXT_NAMESPACE}}}{tag}" for tag in ("p", "h")}
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class ExtractionError(Exception):
    """The file could not be read as the kind it was recognised as."""


class _Collector:
    def __init__(self, limit: int = MAX_TEXT_CHARS):
        self.parts: list[str] = []
        self.length = 0
        self.limit = limit

    @property
    def full(self) -> bool:
        return self.length >= self.limit

    def add(self, text: str | None) -> None:
        if text and not self.full:
            self.parts.append(text)
            self.length += len(text) + 1

    def text(self) -> str:
        joined = "\n".join(self.parts)
        joined = _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", joined)).strip()
        # PostgreSQL text cannot hold NUL characters, which some PDF producers emit.
        return joined.replace("\x00", "")[: self.limit]


def _check_zip(path) -> None:
    with zipfile.ZipFile(path) as archive:
        if sum(member.file_size for member in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise ExtractionError("archive unpacks beyond the limit")


def extract_pdf(path) -> str:
    from pypdf import PdfReader

    collector = _Collector()
    reader = PdfReader(path)
    for page in reader.pages:
        collector.add(page.extract_text())
        if collector.full:
            break
    return collector.text()


def extract_docx(path) -> str:
    import docx

    _check_zip(path)
    collector = _Collector()
    document = docx.Document(path)
    for paragraph in document.paragraphs:
        collector.add(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            collector.add(" | ".join(cell.text for cell in row.cells))
        if collector.full:
            break
    return collector.text()


def extract_pptx(path) -> str:
    from pptx import Presentation

    _check_zip(path)
    collector = _Collector()
    for slide in Presentation(path).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                collector.add(shape.text_frame.text)
        if slide.has_notes_slide:
            collector.add(slide.notes_slide.notes_text_frame.text)
        if collector.full:
            break
    return collector.text()


def extract_odf(path) -> str:
    _check_zip(path)
    with zipfile.ZipFile(path) as archive:
        if archive.getinfo("content.xml").file_size > MAX_ODF_CONTENT_BYTES:
            raise ExtractionError("content.xml is too large")
        root = ElementTree.fromstring(archive.read("content.xml"))
    collector = _Collector()
    for element in root.iter():
        if element.tag in BLOCK_TAGS:
            collector.add("".join(element.itertext()))
            if collector.full:
                break
    return collector.text()


EXTRACTORS = {
    "pdf": extract_pdf,
    "docx": extract_docx,
    "pptx": extract_pptx,
    "odt": extract_odf,
    "odp": extract_odf,
    "ods": extract_odf,
}


def can_extract(file_type: str) -> bool:
    return file_type in EXTRACTORS


def extract_text(path, file_type: str) -> str:
    """The text of the file; ExtractionError when it cannot be read."""
    extractor = EXTRACTORS.get(file_type)
    if extractor is None:
        return ""
    try:
        return extractor(path)
    except ExtractionError:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means "cannot be read"
        raise ExtractionError(str(error)) from error
