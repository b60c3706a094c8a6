"""Know a file's type by its bytes, not its name.

Containers are opened just far enough to tell their members apart: a ZIP is a
docx, xlsx or pptx by its ``[Content_Types].xml``, an ODF file by its
``mimetype`` member, an OFD by ``OFD.xml``; an OLE compound file is a .doc,
.xls, .ppt or .msg by its stream names. The extension only breaks ties
(``.csv`` vs ``.txt``), so a .docx renamed .jpg is still a docx.
"""

from __future__ import annotations

import io
import zipfile

from secscan.detect_ole import detect_ole
from secscan.detect_text import detect_text
from secscan.model import FileType

# (magic bytes, offset, kind, mime). Longest and most specific first.
_MAGIC: tuple[tuple[bytes, int, str, str], ...] = (
    (b"%PDF-", 0, "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", 0, "png", "image/png"),
    (b"\xff\xd8\xff", 0, "jpeg", "image/jpeg"),
    (b"GIF87a", 0, "gif", "image/gif"),
    (b"GIF89a", 0, "gif", "image/gif"),
    (b"II*\x00", 0, "tiff", "image/tiff"),
    (b"MM\x00*", 0, "tiff", "image/tiff"),
    (b"BM", 0, "bmp", "image/bmp"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7z", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", 0, "rar", "application/vnd.rar"),
    (b"\x1f\x8b", 0, "gz", "application/gzip"),
    (b"BZh", 0, "bz2", "application/x-bzip2"),
    (b"\xfd7zXZ\x00", 0, "xz", "application/x-xz"),
    (b"{\\rtf", 0, "rtf", "application/rtf"),
    (b"ustar", 257, "tar", "application/x-tar"),
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_OOXML_MAIN = (
    ("wordprocessingml.document", "docx"),
    ("wordprocessingml.template", "docx"),
    ("spreadsheetml.sheet", "xlsx"),
    ("spreadsheetml.template", "xlsx"),
    ("ms-excel.sheet.macroEnabled", "xlsx"),
    ("ms-excel.sheet.binary", "xlsb"),
    ("presentationml.presentation", "pptx"),
    ("presentationml.slideshow", "pptx"),
    ("presentationml.template", "pptx"),
    ("ms-powerpoint.presentation.macroEnabled", "pptx"),
    ("ms-word.document.macroEnabled", "docx"),
)

# ODF mimetype suffix -> kind; templates read like their documents.
_ODF_KINDS = {
    "text": "odt", "text-template": "odt", "text-master": "odt",
    "spreadsheet": "ods", "spreadsheet-template": "ods",
    "presentation": "odp", "presentation-template": "odp",
}

_TEXT_CONTROL = set(range(0, 9)) | {11} | set(range(14, 27)) | set(range(28, 32))


def detect(data: bytes, name: str = "") -> FileType:
    """Classify ``data``; ``name`` is used only where the bytes cannot decide."""
    for magic, offset, kind, mime in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return FileType(kind, mime, f"signature {magic!r} at {offset}")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return FileType("webp", "image/webp")
    if data.startswith(ZIP_MAGICS):
        return _detect_zip(data)
    if data.startswith(OLE_MAGIC):
        return detect_ole(data, name)
    if _looks_like_text(data[:8192]):
        return detect_text(data, name)
    return FileType("unknown-binary", "application/octet-stream", "no known signature")


def _detect_zip(data: bytes) -> FileType:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return FileType("zip", "application/zip", "unreadable ZIP directory")
    if "[Content_Types].xml" in names:
        try:
            content_types = archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
            content_types = ""
        for marker, kind in _OOXML_MAIN:
            if marker in content_types:
                return FileType(kind, "application/vnd.openxmlformats", f"[Content_Types].xml: {marker}")
        return FileType("ooxml", "application/vnd.openxmlformats", "no known main part")
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:200].decode("ascii", "replace").strip()
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
            mimetype = ""
        if mimetype.startswith("application/vnd.oasis.opendocument."):
            return FileType(_ODF_KINDS.get(mimetype.rsplit(".", 1)[-1], "odf"), mimetype, "ODF mimetype member")
        if mimetype == "application/epub+zip":
            return FileType("epub", mimetype)
    if "OFD.xml" in names:
        return FileType("ofd", "application/ofd", "OFD.xml member")
    if "META-INF/manifest.xml" in names and "content.xml" in names:
        return FileType("odf", "application/vnd.oasis.opendocument", "ODF manifest without mimetype")
    if "FixedDocumentSequence.fdseq" in names or "FixedDocSeq.fdseq" in names:
        return FileType("xps", "application/vnd.ms-xpsdocument", "XPS fixed document sequence")
    if any(n.startswith(("Index/Document.iwa", "index.apxl", "index.xml.gz")) for n in names) or (
        "index.xml" in names and "buildVersionHistory.plist" in names
    ):
        return FileType("iwork", "application/x-iwork", "Apple iWork package")
    return FileType("zip", "application/zip")


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if b"\x00" in head:
        return False
    control = sum(1 for byte in head if byte in _TEXT_CONTROL)
    return control <= len(head) // 100
