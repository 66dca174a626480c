"""Checking an uploaded .h5p file and unpacking it into media storage.

An .h5p file is a zip: h5p.json (title, main library, dependencies) at the root, the content in
content/ (content.json and its media), and a folder per library (`H5P.Blanks-1.14/`). Nothing in
the zip is trusted: the file size, the unpacked size and the number of entries are bounded (a
zip bomb cannot fill the disk), every name must stay inside the package folder (no zip-slip:
no absolute paths, no `..`, no backslashes or drive letters), and only the file types H5P itself
allows are unpacked.
"""

import json
import posixpath
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

MAX_PACKAGE_BYTES = getattr(settings, "USTAZ_H5P_MAX_BYTES", 200 * 1024 * 1024)
MAX_UNPACKED_BYTES = getattr(settings, "USTAZ_H5P_MAX_UNPACKED_BYTES", 500 * 1024 * 1024)
MAX_ENTRIES = 10_000
# H5P's own whitelist of content and library files (h5p-php-library's default), less Flash.
ALLOWED_EXTENSIONS = frozenset(
    [
        "json",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "tif",
        "tiff",
        "svg",
        "eot",
        "ttf",
        "woff",
        "woff2",
        "otf",
        "webm",
        "mp4",
        "ogg",
        "mp3",
        "m4a",
        "wav",
        "txt",
        "pdf",
        "rtf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "xml",
        "csv",
        "diff",
        "patch",
        "md",
        "textile",
        "vtt",
        "webvtt",
        "js",
        "css",
    ]
)


@dataclass
class PackageManifest:
    title: str
    main_library: str
    libraries: list[str]


def _safe_name(name: str) -> bool:
    if not name or name.startswith("/") or "\\" in name or ":" in name or "\x00" in name:
        return False
    parts = name.rstrip("/").split("/")
    return all(part not in ("", ".", "..") for part in parts)


def _read_json(archive: zipfile.ZipFile, name: str, missing_message: str) -> dict:
    try:
        data = json.loads(archive.read(name).decode("utf-8-sig"))
    except KeyError as error:
        raise ValidationError(missing_message) from error
    except (UnicodeDecodeError, ValueError) as error:
        raise ValidationError(
            _("%(file)s in the package is not valid JSON.") % {"file": name}
        ) from error
    if not isinstance(data, dict):
        raise ValidationError(_("%(file)s in the package is not valid JSON.") % {"file": name})
    return data


def _library_folder(dependency) -> str:
    try:
        return "{}-{}.{}".format(
            dependency["machineName"],
            int(dependency["majorVersion"]),
            int(dependency["minorVersion"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError(_("h5p.json names a library without its version.")) from error


def _check_entries(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ValidationError(_("The package has too many files."))
    if sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("Unpacked, the package would take more than %(mb)d MB.")
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    files = []
    for entry in entries:
        if not _safe_name(entry.filename):
            raise ValidationError(
                _("The package holds a file outside its folder: %(name)s")
                % {"name": entry.filename[:100]}
            )
        if entry.is_dir():
            continue
        extension = posixpath.splitext(entry.filename)[1].lower().lstrip(".")
        if extension not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                _("The package holds a file of a type H5P does not allow: %(name)s")
                % {"name": entry.filename[:100]}
            )
        files.append(entry)
    return files


def package_check(upload) -> PackageManifest:
    """The package's manifest, or ValidationError with a translated message saying what is wrong."""
    if upload.size > MAX_PACKAGE_BYTES:
        raise ValidationError(
            _("The package is larger than %(mb)d MB.") % {"mb": MAX_PACKAGE_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        raise ValidationError(_("This is not an H5P package (a .h5p file is a zip archive)."))
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            files = _check_entries(archive)
            names = {entry.filename for entry in files}
            manifest = _read_json(
                archive, "h5p.json", _("The package has no h5p.json: it is not an H5P package.")
            )
            _read_json(
                archive,
                "content/content.json",
                _("The package has no content/content.json: it holds no content."),
            )
    except zipfile.BadZipFile as error:
        raise ValidationError(_("The package is damaged and cannot be unpacked.")) from error
    main = manifest.get("mainLibrary")
    if not isinstance(main, str) or not main:
        raise ValidationError(_("h5p.json does not name the content type (mainLibrary)."))
    dependencies = manifest.get("preloadedDependencies") or []
    if not isinstance(dependencies, list):
        raise ValidationError(_("h5p.json names a library without its version."))
    folders = [_library_folder(d) for d in dependencies]
    missing = [f for f in folders if f"{f}/library.json" not in names]
    if missing:
        raise ValidationError(
            _(
                "The package does not include the H5P libraries it needs (%(libraries)s). "
                "Export it again with its libraries included."
            )
            % {"libraries": ", ".join(missing[:5])}
        )
    upload.seek(0)
    return PackageManifest(
        title=str(manifest.get("title") or "")[:255], main_library=main[:255], libraries=folders
    )


def package_unpack(upload) -> str:
    """Unpack a checked package into a new folder of media storage; returns the folder."""
    folder = f"courses/h5p/{uuid.uuid4().hex}"
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        for entry in _check_entries(archive):
            default_storage.save(f"{folder}/{entry.filename}", ContentFile(archive.read(entry)))
    upload.seek(0)
    return folder


def package_file_path(folder: str, relative: str) -> str | None:
    """The storage name of a file inside an unpacked package, or None if it would leave it."""
    if not _safe_name(relative):
        return None
    return f"{folder}/{relative}"
