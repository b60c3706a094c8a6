"""Tell OLE compound files apart by their stream names (.doc, .xls, .ppt, .msg ...).

Every legacy Office format is the same OLE2 container; only the names of the
streams inside say which program wrote it. ``olefile`` (BSD, pure Python,
already the basis of oletools) reads the directory without touching stream
data, so sniffing costs one directory walk. A container olefile cannot open is
``ole-malformed`` (read as an error, never as clean).
"""

from __future__ import annotations

from pathlib import PurePath

from secscan.model import FileKind, FileType

_OLE_MIME = "application/x-ole-storage"

# First matching top-level stream wins; order matters (an .xls with an
# embedded Word object still has Workbook at the top).
_STREAM_KINDS: tuple[tuple[str, FileKind, str], ...] = (
    ("EncryptedPackage", FileKind.OOXML_ENCRYPTED, "application/x-ooxml-encrypted"),
    ("WordDocument", FileKind.DOC, "application/msword"),
    ("Workbook", FileKind.XLS, "application/vnd.ms-excel"),
    ("Book", FileKind.XLS, "application/vnd.ms-excel"),
    ("PowerPoint Document", FileKind.PPT, "application/vnd.ms-powerpoint"),
    ("PP40", FileKind.PPT, "application/vnd.ms-powerpoint"),  # PowerPoint 4
    ("MatOST", FileKind.WPS_WORKS, "application/vnd.ms-works"),
)

# An encrypted OOXML package hides its own type: the extension is the only hint.
_ENCRYPTED_BY_EXTENSION = {
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".dotm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xltx": "xlsx",
    ".xltm": "xlsx",
    ".xlsb": "xlsb",
    ".pptx": "pptx",
    ".pptm": "pptx",
    ".ppsx": "pptx",
    ".potx": "pptx",
}


def detect_ole(data: bytes, name: str) -> FileType:
    """Classify an OLE compound file by its top-level stream names."""
    streams = _top_level_streams(data)
    if streams is None:
        return FileType(FileKind.OLE_MALFORMED, _OLE_MIME, "OLE header but the directory cannot be read")
    folded = {s.casefold() for s in streams}  # writers vary the case: WORKBOOK, BOOK
    for stream, kind, mime in _STREAM_KINDS:
        if stream.casefold() in folded:
            if kind == FileKind.OOXML_ENCRYPTED:
                kind = _encrypted_kind(name)
            return FileType(kind, mime, f"OLE stream {stream}")
    if any(s.startswith("__substg1.0_") for s in streams):
        return FileType(FileKind.MSG, "application/vnd.ms-outlook", "OLE streams __substg1.0_*")
    if {"contents", "spelling"} <= folded or _works_by_name(folded, name):
        return FileType(FileKind.WPS_WORKS, "application/vnd.ms-works", "Microsoft Works streams")
    listed = ",".join(sorted(streams)[:6])
    return FileType(FileKind.OLE_OTHER, _OLE_MIME, f"OLE container with no known main stream ({listed})")


def _top_level_streams(data: bytes) -> set[str] | None:
    import olefile  # lazy: only OLE files pay for it

    try:
        ole = olefile.OleFileIO(data)
    except Exception:  # olefile raises many kinds on damaged input
        return None
    try:
        entries = ole.listdir(streams=True, storages=True)
    except Exception:
        return None
    finally:
        ole.close()
    return {entry[0] for entry in entries if entry}


def _encrypted_kind(name: str) -> FileKind:
    base = _ENCRYPTED_BY_EXTENSION.get(PurePath(name).suffix.lower(), "ooxml")
    return FileKind(f"{base}-encrypted")


def _works_by_name(streams: set[str], name: str) -> bool:
    # Works 4.x word-processor files hold only CONTENTS/CompObj; Kingsoft WPS
    # .wps files are Word binaries and were caught by WordDocument above.
    return "contents" in streams and PurePath(name).suffix.lower() == ".wps"
