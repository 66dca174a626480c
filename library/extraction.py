"""Plain text out of PDF, DOCX, PPTX and OpenDocument files, for the search index, read as a
stream and never as a whole.

A file is hostile until it has been read: a 342 KB DOCX can unpack to 100 MB of paragraphs, and
python-docx, which builds the whole document tree, took 2.1 GB and 150 s over one. So here
- a ZIP's declared sizes are checked before anything is unpacked: the number of members, the total,
  and how many times its packed size a part to be read claims to unpack to (zipfile never
  unpacks a member beyond its declared size, so the declaration is an upper bound);
- XML parts are fed in chunks to a defused expat parser that keeps only the text, never a tree;
- PDF is read page by page, PPTX slide by slide;
and reading stops as soon as the text limit is reached: the text so far is kept and marked cut.
Time and memory are bounded one level up: library/extraction_process.py runs this module in a
child process with resource limits and a wall-clock timeout.

This module imports nothing of Django: it is what that child process runs.
"""

import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

XML_CHUNK_BYTES = 64 * 1024

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# Office files carry the same content twice under mc:AlternateContent (mc:Choice for new
# readers, mc:Fallback for old ones): the fallback is skipped, or its text would be doubled.
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_LINE_BREAKS = re.compile(r" ?\n\s*")


@dataclass(frozen=True)
class Limits:
    """How much of a file is read. The defaults are those of the settings (library/file_text.py
    reads the settings; this module does not know Django)."""

    max_chars: int = 1_000_000
    max_members: int = 10_000
    max_unpacked_bytes: int = 500 * 1024 * 1024
    # A part to be read may unpack to at most this many times its packed size (0: no check).
    # The XML of real documents packs a few to a few dozen times; deflate cannot exceed about
    # 1,030, and the DOCX of issue 15 packs 307 times.
    max_ratio: int = 200
    # Parts smaller than this are never refused for their ratio: they cost nothing to read.
    ratio_floor_bytes: int = 1024 * 1024
    # For the child process (library/extraction_process.py).
    seconds: float = 60
    memory_mb: int = 512


@dataclass(frozen=True)
class Extracted:
    text: str
    # True when reading stopped at the limit with more text left in the file.
    truncated: bool


class ExtractionError(Exception):
    """The file could not be read as the kind it was recognised as."""


class TooLarge(Exception):
    """The file's declared sizes are beyond what is read: nothing of it was unpacked."""


class TextSink:
    """Text as it is found, with runs of spaces and blank lines folded on the way, kept up to
    `limit` characters. `full` tells a reader to stop; `truncated` that text was left out."""

    # Short pieces are joined in groups: a million one-word strings would weigh 50 MB.
    GROUP = 1024

    def __init__(self, limit: int):
        self.limit = limit
        self.groups: list[str] = []
        self.pieces: list[str] = []
        self.length = 0
        self.truncated = False
        self._last = "\n"  # so that leading spaces and newlines are dropped
        self._space = False

    @property
    def full(self) -> bool:
        return self.length >= self.limit

    def write(self, text: str | None) -> None:
        if not text:
            return
        # PostgreSQL text cannot hold NUL characters, which some PDF producers emit.
        text = _LINE_BREAKS.sub("\n", _SPACES.sub(" ", text.replace("\x00", "")))
        text = text.lstrip(" \n" if self._last == "\n" else " " if self._space else "")
        if not text:
            return
        # A space is held back until text follows it on the same line: no line ends in one.
        if self._space and not text.startswith("\n"):
            text = " " + text
        self._space = text.endswith(" ")
        text = text.rstrip(" ")
        room = self.limit - self.length
        if len(text) > room:
            if not text[room:].isspace():
                self.truncated = True
            text = text[:room]
        if text:
            self._append(text)

    def space(self) -> None:
        # The same as write(" "), without the regular expressions: one per paragraph or tab.
        if self._last != "\n":
            self._space = True

    def newline(self) -> None:
        # The same as write("\n"), without the regular expressions: one per paragraph.
        self._space = False
        if self._last != "\n" and not self.full:
            self._append("\n")

    def result(self) -> Extracted:
        text = ("".join(self.groups) + "".join(self.pieces)).strip()
        return Extracted(text=text, truncated=self.truncated)

    def _append(self, text: str) -> None:
        self.pieces.append(text)
        self.length += len(text)
        self._last = text[-1]
        if len(self.pieces) >= self.GROUP:
            self.groups.append("".join(self.pieces))
            self.pieces = []


# --- XML, fed in chunks ------------------------------------------------------------------------


def _feed(stream, target, sink: TextSink) -> None:
    """Parse `stream` into `target` chunk by chunk, stopping as soon as the sink is full."""
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    try:
        while not sink.full:
            chunk = stream.read(XML_CHUNK_BYTES)
            if not chunk:
                parser.close()
                return
            parser.feed(chunk)
    except (ParseError, DefusedXmlException) as error:
        raise ExtractionError(f"XML: {error}") from error


class _SkipsFallback:
    """Ignores everything inside mc:Fallback."""

    def __init__(self, sink: TextSink):
        self.sink = sink
        self.skipping = 0

    def start(self, tag, attrib):
        if self.skipping or tag == MC_FALLBACK:
            self.skipping += 1
            return
        self.on_start(tag, attrib)

    def end(self, tag):
        if self.skipping:
            self.skipping -= 1
            return
        self.on_end(tag)

    def data(self, text):
        if not self.skipping:
            self.on_data(text)

    def close(self):
        return None

    def on_start(self, tag, attrib): ...

    def on_end(self, tag): ...

    def on_data(self, text): ...


class _WordText(_SkipsFallback):
    """word/document.xml: runs' text, a line per paragraph, table rows as "cell | cell"."""

    def __init__(self, sink):
        super().__init__(sink)
        self.in_text = False
        self.rows: list[int] = []  # cells begun so far in the row of each open table

    def on_start(self, tag, attrib):
        if tag == W + "t":
            self.in_text = True
        elif tag in (W + "p", W + "tab", W + "br", W + "cr"):
            # A paragraph inside another (a text box) is set apart by a space.
            self.sink.space()
        elif tag == W + "tr":
            self.rows.append(0)
        elif tag == W + "tc" and self.rows:
            if self.rows[-1]:
                self.sink.write(" | ")
            self.rows[-1] += 1

    def on_end(self, tag):
        if tag == W + "t":
            self.in_text = False
        elif tag == W + "p":
            # Paragraphs of a table cell stay on the row's line.
            if self.rows:
                self.sink.space()
            else:
                self.sink.newline()
        elif tag == W + "tr" and self.rows:
            self.rows.pop()
            self.sink.newline()

    def on_data(self, text):
        if self.in_text:
            self.sink.write(text)


class _SlideText(_SkipsFallback):
    """A slide (every a:t, a line per paragraph) or, with `body_only`, a notes page, whose
    speaker notes are in the body placeholder (the others hold the slide image and number)."""

    def __init__(self, sink, *, body_only: bool = False):
        super().__init__(sink)
        self.body_only = body_only
        self.in_text = False
        self.placeholder = None

    def on_start(self, tag, attrib):
        if tag == A + "t":
            self.in_text = True
        elif tag == A + "br":
            self.sink.newline()
        elif tag == P + "sp":
            self.placeholder = None
        elif tag == P + "ph":
            self.placeholder = attrib.get("type", "body")

    def on_end(self, tag):
        if tag == A + "t":
            self.in_text = False
        elif tag == A + "p" and self._reading():
            self.sink.newline()

    def on_data(self, text):
        if self.in_text and self._reading():
            self.sink.write(text)

    def _reading(self) -> bool:
        return not self.body_only or self.placeholder == "body"


class _OdfText:
    """content.xml of an OpenDocument: the text of paragraphs and headings, a line each."""

    BLOCKS = (ODF_TEXT + "p", ODF_TEXT + "h")

    def __init__(self, sink):
        self.sink = sink
        self.depth = 0

    def start(self, tag, attrib):
        if tag in self.BLOCKS:
            self.depth += 1
        elif self.depth and tag in (ODF_TEXT + "s", ODF_TEXT + "tab", ODF_TEXT + "line-break"):
            self.sink.space()

    def end(self, tag):
        if tag in self.BLOCKS:
            self.depth -= 1
            self.sink.newline()

    def data(self, text):
        if self.depth:
            self.sink.write(text)

    def close(self):
        return None


class _Collect:
    """Attributes of every element with one tag (relationships, slide ids), up to a count."""

    def __init__(self, tag: str, limit: int):
        self.tag = tag
        self.limit = limit
        self.found: list[dict] = []

    def start(self, tag, attrib):
        if tag == self.tag:
            if len(self.found) >= self.limit:
                raise TooLarge(f"more than {self.limit} {tag} elements")
            self.found.append(dict(attrib))

    def end(self, tag):
        return None

    def data(self, text):
        return None

    def close(self):
        return None


# --- ZIP-based formats -------------------------------------------------------------------------


class _Package:
    """A ZIP whose declared sizes were checked, and whose parts are read only after their own
    check."""

    def __init__(self, path, limits: Limits):
        self.limits = limits
        try:
            self.archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise ExtractionError(f"not a ZIP file: {error}") from error
        members = self.archive.infolist()
        if len(members) > limits.max_members:
            raise TooLarge(f"{len(members)} members in the archive")
        unpacked = sum(member.file_size for member in members)
        if unpacked > limits.max_unpacked_bytes:
            raise TooLarge(f"the archive unpacks to {unpacked} bytes")
        self.names = {member.filename for member in members}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.archive.close()

    def check(self, name: str) -> None:
        """Refuse a part that claims to unpack to far more than it packs to, before reading."""
        try:
            info = self.archive.getinfo(name)
        except KeyError as error:
            raise ExtractionError(f"{name} is missing") from error
        ratio = self.limits.max_ratio
        if (
            ratio
            and info.file_size > self.limits.ratio_floor_bytes
            and info.file_size > ratio * max(info.compress_size, 1)
        ):
            raise TooLarge(
                f"{name} unpacks to {info.file_size} bytes from {info.compress_size} "
                f"(more than {ratio} times)"
            )

    def feed(self, name: str, target, sink: TextSink) -> None:
        self.check(name)
        try:
            with self.archive.open(name) as stream:
                _feed(stream, target, sink)
        except zipfile.BadZipFile as error:
            raise ExtractionError(f"{name}: {error}") from error

    def relationships(self, part: str) -> dict[str, dict]:
        """The relationships of a part, by id, with their targets resolved to part names."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.names:
            return {}
        collect = _Collect(RELATIONSHIP, self.limits.max_members)
        self.feed(rels, collect, TextSink(1))
        found = {}
        for relation in collect.found:
            target = relation.get("Target", "")
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            found[relation.get("Id", "")] = {"type": relation.get("Type", ""), "part": name}
        return found


def extract_docx(path, limits: Limits) -> Extracted:
    sink = TextSink(limits.max_chars)
    with _Package(path, limits) as package:
        package.feed("word/document.xml", _WordText(sink), sink)
    return sink.result()


def extract_pptx(path, limits: Limits) -> Extracted:
    sink = TextSink(limits.max_chars)
    with _Package(path, limits) as package:
        slide_ids = _Collect(P + "sldId", limits.max_members)
        package.feed("ppt/presentation.xml", slide_ids, TextSink(1))
        relations = package.relationships("ppt/presentation.xml")
        slides = [
            relations[slide[R_ID]]["part"]
            for slide in slide_ids.found
            if slide.get(R_ID) in relations
        ]
        # Every part is checked before the first slide is read: a hostile slide refuses the file
        # without spending the time on the others.
        plan = []
        for slide in slides:
            notes = [
                relation["part"]
                for relation in package.relationships(slide).values()
                if relation["type"].endswith("/notesSlide")
            ]
            plan.append((slide, notes[:1]))
        for slide, notes in plan:
            for part in (slide, *notes):
                package.check(part)
        for slide, notes in plan:
            package.feed(slide, _SlideText(sink), sink)
            for part in notes:
                package.feed(part, _SlideText(sink, body_only=True), sink)
            if sink.full:
                break
    return sink.result()


def extract_odf(path, limits: Limits) -> Extracted:
    sink = TextSink(limits.max_chars)
    with _Package(path, limits) as package:
        package.feed("content.xml", _OdfText(sink), sink)
    return sink.result()


def extract_pdf(path, limits: Limits) -> Extracted:
    from pypdf import PdfReader

    # pypdf reports every oddity of a file as a warning; the reason a file fails is enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    sink = TextSink(limits.max_chars)
    reader = PdfReader(path)
    for page in reader.pages:
        sink.write(page.extract_text())
        sink.newline()
        if sink.full:
            break
    return sink.result()


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


def extract_text(path, file_type: str, limits: Limits | None = None) -> Extracted:
    """The text of the file, in this process. TooLarge when its declared sizes are beyond the
    limits, ExtractionError when it cannot be read; MemoryError passes through.

    Call it through library.extraction_process, which adds the time and memory limits."""
    extractor = EXTRACTORS.get(file_type)
    if extractor is None:
        return Extracted(text="", truncated=False)
    try:
        return extractor(path, limits or Limits())
    except (ExtractionError, TooLarge, MemoryError):
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means "cannot be read"
        raise ExtractionError(f"{type(error).__name__}: {error}") from error
