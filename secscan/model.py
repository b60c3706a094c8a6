"""The typed values that flow between secscan's stages.

walk -> detect -> extract -> normalize -> match -> findings -> report

Every arrow is one of the frozen dataclasses below. This module imports nothing
of secscan, so every stage can import it and nothing here can drag in a heavy
library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
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
class PageBox:
    """Where text stands on a rendered page or picture: fractions of its width and height, 0 at the top
    left, once the picture is turned ``turn`` degrees counter-clockwise (0, 90, 180, 270) to stand
    upright (a PDF page as shown, /Rotate applied). Only what a person can look at (PDF pages,
    pictures) has one: it is what an evidence crop is cut from."""

    x0: float
    y0: float
    x1: float
    y1: float
    turn: int = 0


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
    box: PageBox | None = None  # where the block stands on its page, when it has a picture to crop


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
class OcrModels:
    """The OCR engine that read a file's pictures: name, package version, ``sha256:`` of its models."""

    engine: str
    version: str
    models: str


@dataclass(frozen=True)
class Coverage:
    """What a scan of one file read, so no silent skip can pass for clean."""

    parts: tuple[str, ...] = ()
    pages: int | None = None
    skipped: tuple[SkippedPart, ...] = ()
    ocr: OcrModels | None = None  # set when a part was OCR'd: which models read it


@dataclass(frozen=True)
class Location:
    part: str
    page: int | None = None
    line: int | None = None
    origin: str = ""
    box: PageBox | None = None  # the block's (then the match's) box on its page, when known


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
    evidence: bytes | None = None  # a small PNG/JPEG crop of the page around the marking (HTML report only)


@dataclass(frozen=True)
class MatchOutcome:
    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...] = ()
    labels: tuple[Label, ...] = ()  # what the file's properties say its level is (MSIP, 密级, Sensitivity)


@dataclass(frozen=True)
class Label:
    """A level a document's metadata states: its label, which may disagree with what the pages show."""

    level: Level
    text: str  # as written: "MSIP_Label_…_Name: Public", "密级: 机密"


@dataclass(frozen=True)
class LabelMismatch:
    """The metadata label and the visible marking name different levels (an auditor's first question)."""

    label: Level
    label_text: str
    visible: Level
    visible_where: str


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
    traceback: str | None = None  # with --debug / SECSCAN_DEBUG=1: where an error came from
    label_mismatch: LabelMismatch | None = None


@dataclass(frozen=True)
class Summary:
    """The counts a report's headline gives.

    ``files`` and the statuses beside it count the files the scan was given (walked
    files, standard input): a zip counts once, as flagged when any member is, because
    a container's status already rolls its members up. The members read inside them
    (archive entries, attachments, embedded objects: report paths ``FILE!MEMBER``) are
    counted apart, so each group adds up on its own: ``files == flagged + clean +
    errors + skipped`` and ``members == member_flagged + member_clean + member_errors
    + member_skipped``. ``highest`` covers both.
    """

    files: int
    flagged: int
    errors: int
    skipped: int
    clean: int
    highest: Level
    members: int = 0
    member_flagged: int = 0
    member_errors: int = 0
    member_skipped: int = 0
    member_clean: int = 0


@dataclass(frozen=True)
class ScanResult:
    files: tuple[FileResult, ...]
    # Clean files (with their clean members) that a streaming report has written and let go, so
    # an audit of 100,000 files does not hold them all: counted in the summary, not listed.
    clean_let_go: int = 0
    clean_members_let_go: int = 0

    @property
    def summary(self) -> Summary:
        counted = summarize(self.files)
        if not (self.clean_let_go or self.clean_members_let_go):
            return counted
        return replace(
            counted,
            files=counted.files + self.clean_let_go,
            clean=counted.clean + self.clean_let_go,
            members=counted.members + self.clean_members_let_go,
            member_clean=counted.member_clean + self.clean_members_let_go,
        )


def summarize(files: tuple[FileResult, ...] | list[FileResult]) -> Summary:
    top, members = split_members(files)
    return Summary(
        files=len(top),
        flagged=_count(top, Status.FLAGGED),
        errors=_count(top, Status.ERROR),
        skipped=_count(top, Status.SKIPPED),
        clean=_count(top, Status.CLEAN),
        highest=max((f.level for f in files), default=Level.NONE),
        members=len(members),
        member_flagged=_count(members, Status.FLAGGED),
        member_errors=_count(members, Status.ERROR),
        member_skipped=_count(members, Status.SKIPPED),
        member_clean=_count(members, Status.CLEAN),
    )


def split_members(
    files: tuple[FileResult, ...] | list[FileResult],
) -> tuple[list[FileResult], list[FileResult]]:
    """(the files the scan was given, the members read inside them), each in report order.

    An entry is a member when its path is another entry's path, a ``!`` and more (the
    pipeline reports a container before its members). A ``!`` in an ordinary file name
    therefore makes no member; ``gates.memberpath`` splits paths by the same rule.
    """
    known = {f.path for f in files}
    top: list[FileResult] = []
    members: list[FileResult] = []
    for entry in files:
        (members if _inside_another(entry.path, known) else top).append(entry)
    return top, members


def _inside_another(path: str, known: set[str]) -> bool:
    start = 0
    while (bang := path.find("!", start)) != -1:
        if path[:bang] in known:
            return True
        start = bang + 1
    return False


def _count(files: list[FileResult], status: Status) -> int:
    return sum(1 for f in files if f.status == status)


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
