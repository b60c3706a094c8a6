"""The typed values that flow between secscan's stages.

walk -> detect -> extract -> normalize -> match -> findings -> report

Every arrow is one of the frozen dataclasses below. This module imports nothing
of secscan, so every stage can import it and nothing here can drag in a heavy
library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Protocol


class Level(IntEnum):
    """Ordinal marking levels from the report contract, lowest first."""

    NONE = 0
    INTERNAL = 1
    CONFIDENTIAL = 2
    SECRET = 3
    TOP_SECRET = 4

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")

    @classmethod
    def parse(cls, text: str) -> Level:
        try:
            return cls[text.strip().upper().replace("-", "_")]
        except KeyError:
            names = ", ".join(level.label for level in cls)
            raise ValueError(f"unknown level {text!r} (expected one of: {names})") from None


class Status(StrEnum):
    """File statuses from the report contract (string values, so JSON is trivial)."""

    CLEAN = "clean"
    FLAGGED = "flagged"
    ERROR = "error"
    SKIPPED = "skipped"


class FileKind(StrEnum):
    """Every kind ``detect`` can return: the extractor registry's keys, plus kinds no extractor reads.

    Defined here, beside ``FileType``, because this module imports nothing of secscan: ``detect``
    produces these, the extractor registry consumes them, and a misspelt kind is a mypy error.
    """

    TEXT = "text"
    DOCX = "docx"
    PDF = "pdf"
    ZIP = "zip"
    EPUB = "epub"
    OOXML = "ooxml"
    SEVEN_Z = "7z"
    TAR = "tar"
    GZ = "gz"
    BZ2 = "bz2"
    XZ = "xz"
    RAR = "rar"
    EML = "eml"
    MBOX = "mbox"
    MSG = "msg"
    TNEF = "tnef"
    OOXML_ENCRYPTED = "ooxml-encrypted"
    OLE_OTHER = "ole-other"
    DOCX_ENCRYPTED = "docx-encrypted"
    XLSX_ENCRYPTED = "xlsx-encrypted"
    XLSB_ENCRYPTED = "xlsb-encrypted"
    PPTX_ENCRYPTED = "pptx-encrypted"
    XLSX = "xlsx"
    PPTX = "pptx"
    ODT = "odt"
    ODS = "ods"
    ODP = "odp"
    ODF = "odf"
    OFD = "ofd"
    XLS = "xls"
    XLSB = "xlsb"
    DOC = "doc"
    PPT = "ppt"
    OLE_MALFORMED = "ole-malformed"
    RTF = "rtf"
    HTML = "html"
    CSV = "csv"
    TSV = "tsv"
    XML = "xml"
    WORDML_XML = "wordml-xml"
    PNG = "png"
    JPEG = "jpeg"
    GIF = "gif"
    TIFF = "tiff"
    BMP = "bmp"
    WEBP = "webp"
    HEIC = "heic"
    WECHAT_DAT = "wechat-dat"
    EMF = "emf"
    WMF = "wmf"
    POSTSCRIPT = "postscript"
    COMPRESS_Z = "compress-Z"
    LZO = "lzo"
    GRZIP = "grzip"
    JBIG2 = "jbig2"
    WORDPERFECT = "wordperfect"
    MS_WRITE = "ms-write"
    XPS = "xps"
    IWORK = "iwork"
    WPS_WORKS = "wps-works"
    UNKNOWN_BINARY = "unknown-binary"


@dataclass(frozen=True)
class FileType:
    """What a file is, judged from its bytes (the extension only breaks ties)."""

    kind: FileKind
    mime: str = "application/octet-stream"
    note: str = ""  # why detect decided so, e.g. "OLE stream WordDocument"


@dataclass(frozen=True)
class TextBlock:
    """One paragraph or line of extracted text and where it came from.

    ``line`` numbers lines within (part, page) from 1. ``vpos`` is the block's
    vertical position on its page, 0.0 at the top and 1.0 at the bottom, when the
    format knows it (PDF, OCR). ``origin`` names the exact source inside the
    file (``word/header2.xml``, ``property:MSIP_Label_..._Name``) for people
    reading a finding. ``hints`` carry layout facts that help tell a marking from
    a mention: ``strike``, ``bold``, ``red``, ``large``, ``alone`` ...
    """

    text: str
    part: str = "body"
    page: int | None = None
    line: int | None = None
    origin: str = ""
    vpos: float | None = None
    hints: frozenset[str] = frozenset()
    confidence: float | None = None  # OCR confidence of this text, None when exact


@dataclass(frozen=True)
class SkippedPart:
    """A part of a file that was deliberately not read, and why."""

    part: str
    reason: str


@dataclass(frozen=True)
class Member:
    """A file inside another: an archive member, an attachment, an embedded object."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Extraction:
    """Everything an extractor read from one file."""

    blocks: tuple[TextBlock, ...]
    parts_read: tuple[str, ...] = ()
    skipped: tuple[SkippedPart, ...] = ()
    members: tuple[Member, ...] = ()
    pages: int | None = None


@dataclass(frozen=True)
class Coverage:
    """What a scan of one file read, so no silent skip can pass for clean."""

    parts: tuple[str, ...] = ()
    pages: int | None = None
    skipped: tuple[SkippedPart, ...] = ()


@dataclass(frozen=True)
class Location:
    part: str
    page: int | None = None
    line: int | None = None
    origin: str = ""


@dataclass(frozen=True)
class Finding:
    """A marking found in a file (or a suppressed candidate, with a low confidence)."""

    rule: str
    level: Level
    match: str  # the original text, as it stands in the document
    location: Location
    confidence: float
    reasons: tuple[str, ...] = ()
    context: str = ""  # the whole line or paragraph the match sits in (original text)
    span: tuple[int, int] = (0, 0)  # where ``match`` sits in ``context``
    description: str = ""
    original_level: Level | None = None  # set when a declassification cancelled it


@dataclass(frozen=True)
class MatchOutcome:
    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class FileResult:
    path: str
    type: str
    status: Status
    level: Level = Level.NONE
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    coverage: Coverage = field(default_factory=Coverage)
    suppressed: tuple[Finding, ...] = ()
    waived: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Summary:
    files: int
    flagged: int
    errors: int
    skipped: int
    clean: int
    highest: Level


@dataclass(frozen=True)
class ScanResult:
    files: tuple[FileResult, ...]

    @property
    def summary(self) -> Summary:
        return summarize(self.files)


def summarize(files: tuple[FileResult, ...] | list[FileResult]) -> Summary:
    return Summary(
        files=len(files),
        flagged=sum(1 for f in files if f.status == Status.FLAGGED),
        errors=sum(1 for f in files if f.status == Status.ERROR),
        skipped=sum(1 for f in files if f.status == Status.SKIPPED),
        clean=sum(1 for f in files if f.status == Status.CLEAN),
        highest=max((f.level for f in files), default=Level.NONE),
    )


class PatternHelp(Protocol):
    """What a report shows of a rule: its description and its own examples."""

    @property
    def description(self) -> str: ...
    @property
    def should_match(self) -> Sequence[str]: ...
    @property
    def should_not_match(self) -> Sequence[str]: ...


class RuleBook(Protocol):
    """Looks a rule id up (the catalog is one); reporters take this, never the matcher."""

    def get(self, rule_id: str) -> PatternHelp | None: ...
