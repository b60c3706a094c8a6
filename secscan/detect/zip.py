"""Tell ZIP-based formats apart: OOXML, ODF, EPUB, OFD, XPS, iWork or a plain archive.

Only the central directory and two tiny members are read. An OOXML package is
named by the content type of its *main* part (``….main+xml``), not by any type
listed in ``[Content_Types].xml``: a .pptx with an embedded chart lists the
spreadsheet type too, and WPS writes ``Default`` entries for every Office type.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from secscan.model import FileKind, FileType

_OOXML_MIME = "application/vnd.openxmlformats"
# zlib.error: a member whose deflate stream is damaged (found by fuzzing; it escaped detect()).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    EOFError,
    zlib.error,
)

# Main-part content types, most specific first; matched with ".main" appended.
_OOXML_MAIN = (
    ("wordprocessingml.document", FileKind.DOCX),
    ("wordprocessingml.template", FileKind.DOCX),
    ("ms-word.document.macroEnabled", FileKind.DOCX),
    ("ms-word.template.macroEnabledTemplate", FileKind.DOCX),
    ("spreadsheetml.sheet", FileKind.XLSX),
    ("spreadsheetml.template", FileKind.XLSX),
    ("ms-excel.sheet.macroEnabled", FileKind.XLSX),
    ("ms-excel.template.macroEnabled", FileKind.XLSX),
    ("ms-excel.sheet.binary.macroEnabled", FileKind.XLSB),
    ("presentationml.presentation", FileKind.PPTX),
    ("presentationml.slideshow", FileKind.PPTX),
    ("presentationml.template", FileKind.PPTX),
    ("ms-powerpoint.presentation.macroEnabled", FileKind.PPTX),
    ("ms-powerpoint.slideshow.macroEnabled", FileKind.PPTX),
    ("ms-powerpoint.template.macroEnabled", FileKind.PPTX),
)

# ODF mimetype suffix -> kind; templates read like their documents.
_ODF_KINDS = {
    "text": FileKind.ODT,
    "text-template": FileKind.ODT,
    "text-master": FileKind.ODT,
    "spreadsheet": FileKind.ODS,
    "spreadsheet-template": FileKind.ODS,
    "presentation": FileKind.ODP,
    "presentation-template": FileKind.ODP,
}


def detect_zip(data: bytes) -> FileType:
    """Classify a ZIP by its member names and, for OOXML/ODF, one small member."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except _ZIP_ERRORS:
        return FileType(FileKind.ZIP, "application/zip", "unreadable ZIP directory")
    if "FixedDocumentSequence.fdseq" in names or "FixedDocSeq.fdseq" in names:
        return FileType(FileKind.XPS, "application/vnd.ms-xpsdocument", "XPS fixed document sequence")
    if "[Content_Types].xml" in names:
        return _ooxml(_read_small(archive, "[Content_Types].xml", 500_000))
    if "mimetype" in names:
        found = _by_mimetype(_read_small(archive, "mimetype", 200).strip())
        if found is not None:
            return found
    if "OFD.xml" in names:
        return FileType(FileKind.OFD, "application/ofd", "OFD.xml member")
    if "META-INF/manifest.xml" in names and "content.xml" in names:
        return FileType(FileKind.ODF, "application/vnd.oasis.opendocument", "ODF manifest without mimetype")
    if _is_iwork(names):
        return FileType(FileKind.IWORK, "application/x-iwork", "Apple iWork package")
    return FileType(FileKind.ZIP, "application/zip")


def _ooxml(content_types: str) -> FileType:
    for marker, kind in _OOXML_MAIN:
        if f"{marker}.main" in content_types:
            return FileType(kind, _OOXML_MIME, f"[Content_Types].xml main part: {marker}")
    return FileType(FileKind.OOXML, _OOXML_MIME, "OOXML package with no known main part")


def _by_mimetype(mimetype: str) -> FileType | None:
    if mimetype.startswith("application/vnd.oasis.opendocument."):
        kind = _ODF_KINDS.get(mimetype.rsplit(".", 1)[-1], FileKind.ODF)
        return FileType(kind, mimetype, "ODF mimetype member")
    if mimetype == "application/epub+zip":
        return FileType(FileKind.EPUB, mimetype, "EPUB mimetype member")
    return None


def _is_iwork(names: set[str]) -> bool:
    # A bare index.xml is too common in ordinary zips to be taken as iWork '09:
    # misnaming a zip would stop secscan from recursing into it.
    if "index.xml" in names and "buildVersionHistory.plist" in names:
        return True
    return "Index/Document.iwa" in names or "index.apxl" in names


def _read_small(archive: zipfile.ZipFile, name: str, limit: int) -> str:
    """Up to ``limit`` bytes of a member as text; damage yields ""."""
    try:
        with archive.open(name) as member:
            return member.read(limit).decode("utf-8", "replace")
    except _ZIP_ERRORS:
        return ""
