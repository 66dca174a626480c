"""What a methodist may upload, decided by the file's content, never by its name.

A document is recognised by its first bytes (PDF, media) or, for the ZIP-based office formats, by
the members the format requires. Anything else is refused, and web pages, SVG images and scripts
are refused with a message that says so, whatever the file is called: the library serves files to
teachers' browsers and must never serve one that a browser would run.
"""

import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# A ZIP whose members would unpack to more than this is refused as a possible zip bomb.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
SNIFF_BYTES = 4096


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    label: str


PDF = FileKind("pdf", "application/pdf", "PDF")
DOCX = FileKind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (DOCX)",
)
PPTX = FileKind(
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PowerPoint (PPTX)",
)
XLSX = FileKind(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"
)
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)")
ODP = FileKind(
    "odp", "application/vnd.oasis.opendocument.presentation", "OpenDocument presentation (ODP)"
)
ODS = FileKind(
    "ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet (ODS)"
)
EPUB = FileKind("epub", "application/epub+zip", "EPUB")
MEDIA = {
    "mp4": FileKind("mp4", "video/mp4", "MP4"),
    "webm": FileKind("webm", "video/webm", "WebM"),
    "mp3": FileKind("mp3", "audio/mpeg", "MP3"),
    "png": FileKind("png", "image/png", "PNG"),
    "jpg": FileKind("jpg", "image/jpeg", "JPEG"),
}
ODF_MIMETYPES = {kind.content_type: kind for kind in (ODT, ODP, ODS)}
OOXML_MAIN_FOLDERS = {"word/": DOCX, "ppt/": PPTX, "xl/": XLSX}
# Extensions of every kind we accept, for the file input's "accept" hint and the docs.
ACCEPTED_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "odt", "odp", "ods", "epub", *MEDIA]
COVER_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
COVER_CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
COVER_CONTENT_TYPES["gif"] = "image/gif"

ACTIVE_CONTENT_MARKERS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<svg",
    b"<?xml",
    b"<iframe",
    b"<meta",
)


def max_upload_bytes() -> int:
    return settings.LIBRARY_MAX_UPLOAD_MB * 1024 * 1024


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _looks_like_active_content(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return any(marker in text[:1024] for marker in ACTIVE_CONTENT_MARKERS) or text.startswith(
        (b"#!", b"mz")
    )


def _check_size(upload) -> None:
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the library accepts files up to %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")


def _zip_kind(upload) -> FileKind | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS or (
                sum(member.file_size for member in members) > MAX_UNPACKED_BYTES
            ):
                raise ValidationError(
                    _("The file unpacks to far more than its size; it is refused for safety."),
                    code="zip_bomb",
                )
            names = {member.filename for member in members}
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF_MIMETYPES and "content.xml" in names:
                    return ODF_MIMETYPES[mimetype]
                if mimetype == EPUB.content_type:
                    return EPUB
            if "[Content_Types].xml" in names:
                for folder, kind in OOXML_MAIN_FOLDERS.items():
                    if any(name.startswith(folder) for name in names):
                        return kind
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    return None


def detect_document(upload) -> FileKind:
    """The kind of an uploaded document, or a ValidationError a methodist can act on."""
    _check_size(upload)
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        # Uncompressed XML members are expected inside office files: judged by their members.
        kind = _zip_kind(upload)
        if kind is not None:
            return kind
    elif _looks_like_active_content(head):
        raise ValidationError(
            _(
                "This file is a web page, an SVG image or a script, not a document. The library "
                "does not accept such files, whatever their name."
            ),
            code="active_content",
        )
    else:
        guessed = filetype.guess(head)
        if guessed is not None and guessed.extension in MEDIA:
            return MEDIA[guessed.extension]
    raise ValidationError(
        _(
            "The content of this file is not a type the library accepts (%(types)s). Its name "
            "does not matter: the file itself must be one of these."
        )
        % {"types": ", ".join(ext.upper() for ext in ACCEPTED_EXTENSIONS)},
        code="unsupported",
    )


def detect_cover(upload) -> str:
    """The extension of a valid cover image (PNG, JPEG, WebP, GIF); SVG and the rest refused."""
    _check_size(upload)
    head = _head(upload)
    if _looks_like_active_content(head):
        raise ValidationError(
            _("A cover must be a PNG, JPEG, WebP or GIF picture; SVG and web pages are refused."),
            code="active_content",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The cover is not a picture that can be opened (PNG, JPEG, WebP or GIF)."),
            code="bad_image",
        ) from error
    finally:
        upload.seek(0)
    if image_format not in COVER_FORMATS:
        raise ValidationError(
            _("A cover must be a PNG, JPEG, WebP or GIF picture."), code="bad_image"
        )
    return COVER_FORMATS[image_format]


def content_type_for(extension: str) -> str:
    for kind in (PDF, DOCX, PPTX, XLSX, ODT, ODP, ODS, EPUB, *MEDIA.values()):
        if kind.extension == extension:
            return kind.content_type
    return COVER_CONTENT_TYPES.get(extension, "application/octet-stream")
