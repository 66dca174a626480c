"""Serving a stored file with HTTP range requests (RFC 9110 §14), so a lesson video seeks at
once on a school network: 206 Partial Content with Content-Range for one range, 416 with
`Content-Range: bytes */<size>` for a range that is malformed or starts past the end, the
whole file (200) for no Range, several ranges or an If-Range that no longer matches."""

import mimetypes
import re

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, parse_http_date_safe

CHUNK = 64 * 1024
_RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")


class Unsatisfiable(ValueError):
    pass


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) inclusive for a one-range header; None to send the whole file."""
    unit, _sep, spec = header.partition("=")
    if unit.strip().lower() != "bytes":
        return None  # an unknown unit is ignored, as the RFC asks
    if "," in spec:
        return None  # several ranges: the whole file is a valid answer
    match = _RANGE.match(spec)
    if not match or match.groups() == ("", ""):
        raise Unsatisfiable(header)
    first, last = match.groups()
    if first == "":  # suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise Unsatisfiable(header)
        return max(0, size - length), size - 1
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if start >= size or (last != "" and int(last) < start):
        raise Unsatisfiable(header)
    return start, end


def _stream(handle, start: int, length: int):
    try:
        handle.seek(start)
        left = length
        while left > 0:
            block = handle.read(min(CHUNK, left))
            if not block:
                break
            left -= len(block)
            yield block
    finally:
        handle.close()


def _validators(field_file) -> tuple[str, str | None]:
    size = field_file.size
    try:
        modified = field_file.storage.get_modified_time(field_file.name).timestamp()
    except (NotImplementedError, OSError):
        return f'"{size}"', None
    return f'"{size:x}-{int(modified):x}"', http_date(modified)


def _if_range_holds(value: str, etag: str, last_modified: str | None) -> bool:
    value = value.strip()
    if value.startswith(('"', "W/")):
        return value == etag  # strong comparison: a weak tag never matches
    when = parse_http_date_safe(value)
    return (
        last_modified is not None
        and when is not None
        and when == parse_http_date_safe(last_modified)
    )


def ranged_file_response(request, field_file, content_type: str | None = None):
    size = field_file.size
    content_type = content_type or mimetypes.guess_type(field_file.name)[0]
    content_type = content_type or "application/octet-stream"
    etag, last_modified = _validators(field_file)
    header = request.headers.get("Range", "")
    wanted = None
    if header and _if_range_holds(request.headers.get("If-Range", etag), etag, last_modified):
        try:
            wanted = byte_range(header, size)
        except Unsatisfiable:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            response["Accept-Ranges"] = "bytes"
            return response
    start, end = wanted if wanted is not None else (0, size - 1)
    length = max(0, end - start + 1)
    response = StreamingHttpResponse(
        _stream(field_file.storage.open(field_file.name, "rb"), start, length),
        content_type=content_type,
    )
    if wanted is not None:
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = last_modified
    return response
