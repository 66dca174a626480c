"""Reading an uploaded course: a .zip with `course.json` and its files, or a bare .json.

Nothing is extracted to disk: the importer reads the members the JSON names straight from the
archive, so a member called "../../settings.py" can never be written anywhere (and such names are
refused anyway). Sizes are checked against the limits in `format` before anything is read — the
sizes the archive declares, then the bytes actually read — so a zip bomb stops early.
"""

import json
import posixpath
import zipfile

from django.core.files import File
from django.utils.translation import gettext as _

from courses.exchange.format import (
    JSON_NAME,
    MAX_COMPRESSION_RATIO,
    CourseFormatError,
    max_file_bytes,
    max_json_bytes,
    max_members,
    max_total_bytes,
)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def safe_member_name(name) -> bool:
    """A relative path inside the archive, with no way out of it."""
    if not isinstance(name, str) or not name or len(name) > 255:
        return False
    if name.startswith("/") or "\\" in name or ":" in name or "\x00" in name:
        return False
    normal = posixpath.normpath(name)
    return normal == name and not normal.startswith("..") and "/../" not in f"/{normal}/"


class LimitedReader:
    """A member of the archive that refuses to give more bytes than it declared."""

    def __init__(self, stream, declared: int, name: str):
        self.stream, self.left, self.name = stream, declared, name

    def read(self, size=-1):
        chunk = self.stream.read(self.left + 1 if size is None or size < 0 else size)
        self.left -= len(chunk)
        if self.left < 0:
            raise CourseFormatError(
                [_("%(name)s is larger than the archive says") % {"name": self.name}]
            )
        return chunk

    def close(self):
        self.stream.close()


class CourseUpload:
    """The course's JSON and a way to open the files it names."""

    def __init__(self, data, archive: zipfile.ZipFile | None = None):
        self.data = data
        self.archive = archive
        self.read_bytes = 0

    def file(self, name, where: str, problems: list[str]) -> File | None:
        """The named member as a File to save, or None with a problem added."""
        if not safe_member_name(name):
            problems.append(
                _("%(where)s: “%(name)s” is not a file name inside the archive")
                % {"where": where, "name": str(name)[:100]}
            )
            return None
        try:
            info = self.archive.getinfo(name) if self.archive else None
        except KeyError:
            info = None
        if info is None:
            problems.append(
                _("%(where)s: the file “%(name)s” is not in the upload (a .zip carries files)")
                % {"where": where, "name": name}
            )
            return None
        if info.file_size > max_file_bytes():
            problems.append(
                _("%(where)s: “%(name)s” is larger than %(limit)s MB")
                % {"where": where, "name": name, "limit": _megabytes(max_file_bytes())}
            )
            return None
        self.read_bytes += info.file_size
        if self.read_bytes > max_total_bytes():
            problems.append(
                _("The files of this course are larger than %(limit)s MB in all")
                % {"limit": _megabytes(max_total_bytes())}
            )
            return None
        if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1024):
            problems.append(
                _("%(where)s: “%(name)s” is packed suspiciously tightly; it was not read")
                % {"where": where, "name": name}
            )
            return None
        stream = LimitedReader(self.archive.open(info), info.file_size, name)
        upload = File(stream, name=posixpath.basename(name))
        upload.size = info.file_size
        return upload

    def close(self):
        if self.archive is not None:
            self.archive.close()


def _json(raw: bytes):
    if len(raw) > max_json_bytes():
        raise CourseFormatError(
            [
                _("The course JSON is larger than %(limit)s MB")
                % {"limit": _megabytes(max_json_bytes())}
            ]
        )
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise CourseFormatError([_("The course JSON is not UTF-8 text")]) from error
    except json.JSONDecodeError as error:
        raise CourseFormatError(
            [
                _("The course JSON is not valid: %(error)s at line %(line)d, column %(column)d")
                % {"error": error.msg, "line": error.lineno, "column": error.colno}
            ]
        ) from error


def upload_read(fileobj) -> CourseUpload:
    """Open an uploaded course (binary file object, seekable); CourseFormatError when unreadable."""
    fileobj.seek(0)
    if not zipfile.is_zipfile(fileobj):
        fileobj.seek(0)
        raw = fileobj.read(max_json_bytes() + 1)
        return CourseUpload(_json(raw))
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise CourseFormatError([_("The .zip file is damaged and cannot be read")]) from error
    if len(members) > max_members():
        archive.close()
        raise CourseFormatError(
            [_("The archive has more than %(count)d files") % {"count": max_members()}]
        )
    try:
        info = archive.getinfo(JSON_NAME)
    except KeyError:
        archive.close()
        raise CourseFormatError(
            [_("The archive has no %(name)s at its top") % {"name": JSON_NAME}]
        ) from None
    if info.file_size > max_json_bytes():
        archive.close()
        raise CourseFormatError(
            [
                _("The course JSON is larger than %(limit)s MB")
                % {"limit": _megabytes(max_json_bytes())}
            ]
        )
    try:
        with archive.open(info) as member:
            raw = member.read(max_json_bytes() + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        archive.close()
        raise CourseFormatError([_("The .zip file is damaged and cannot be read")]) from error
    try:
        return CourseUpload(_json(raw), archive)
    except CourseFormatError:
        archive.close()
        raise
