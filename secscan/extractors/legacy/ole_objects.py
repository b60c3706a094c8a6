"""Embedded OLE objects of .doc, .xls, .ppt and .rtf files -> members, or a skipped part saying why not.

An object a user inserts into a legacy Office file is an OLE storage: Word
keeps one per object under ``ObjectPool/_NNNN``, Excel as top-level ``MBD*``
storages, PowerPoint as a whole compound file in an ExOleObjStg record, RTF as
a compound file in ``\\objdata``. What the storage holds decides the member:

* ``\\x01Ole10Native``: a file dragged in (Packager) -> that file, named by its
  label (``ole_embedded.parse_ole10native``);
* ``Package`` / ``package_stream`` / ``CONTENTS`` / ``EmbeddedOdf``: an OOXML,
  ODF or PDF file -> that stream;
* ``WordDocument``, ``Workbook``/``Book``, ``PowerPoint Document``: the storage
  is itself a document -> a standalone compound file (``…/_NNNN.xls``) that
  the pipeline detects and reads like any other, its own objects and pictures
  included;
* a linked object (``\\x01Ole`` flag 1) or a storage with no data streams:
  nothing is embedded, nothing to read;
* anything else (Equation Native, VisioDocument, ...) -> a SkippedPart
  "embedded object … not read", so the file cannot pass for clean.

Making a storage standalone: no installed library writes compound files
(olefile only overwrites existing streams in place; msoffcrypto-tool writes
only its fixed encrypted-package layout), and writing a CFB writer (FAT,
mini FAT, red-black directory) here is the risk the brief ruled out. It is
also not needed: the storage's streams and the mini stream are already laid
out in the parent's sectors, so a copy of the parent whose root directory
entry points at the storage's children (one 4-byte field, MS-CFB 2.6.1, the
root being entry 0 of the first directory sector) *is* that storage as a
file. No sector, FAT or size is written. The copy is re-read with olefile
and used only if it lists exactly the storage's entries; otherwise a raw
Workbook stream is handed on (xlrd and ``detect`` read bare BIFF), or the
object is reported as not read. Each copy costs the parent's size, so every
member is charged to ``Meter`` before it is made.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from secscan.errors import CorruptFile
from secscan.extractors._common.bounded import Meter
from secscan.extractors.legacy.ole_embedded import parse_ole10native
from secscan.model import Member, SkippedPart

_NATIVE = "\x01ole10native"
_PAYLOADS = ("package", "package_stream", "contents", "embeddedodf")
# Top-level stream -> extension of the document a storage is (the order of detect_ole).
_DOCUMENTS = (("worddocument", "doc"), ("workbook", "xls"), ("book", "xls"), ("powerpoint document", "ppt"))
_ROOT_CHILD = 0x4C  # offset of the child DID in a 128-byte directory entry
_NOSTREAM = 0xFFFFFFFF
_STORAGE, _STREAM = 1, 2  # olefile entry types
_MAX_LABEL = 80
# Objects that look like a document but are a format of their own: MS Graph keeps its chart and
# datasheet in a "Workbook" stream of BIFF records that no workbook reader accepts.
_UNREAD_PROGIDS = ("msgraph.",)


@dataclass
class Objects:
    members: list[Member] = field(default_factory=list)
    skipped: list[SkippedPart] = field(default_factory=list)

    def extend(self, other: Objects) -> None:
        self.members += other.members
        self.skipped += other.skipped


def storage_objects(data: bytes, ole: Any, storages: list[list[str]], meter: Meter) -> Objects:
    """The objects in ``storages`` (paths of OLE storages) of compound file ``data``, opened as ``ole``."""
    found = Objects()
    meter.check_count(len(storages))
    root_child = (ole.first_dir_sector + 1) * ole.sectorsize + _ROOT_CHILD
    for path in storages:
        entry = _entry(ole, path)
        if entry is not None:
            standalone = _Standalone(len(data), partial(_reroot, data, root_child, entry))
            found.extend(_object(ole, path, entry, "/".join(path), meter, standalone))
    return found


def compound_objects(blob: bytes, name: str, meter: Meter) -> Objects:
    """The object a standalone compound file holds (a PowerPoint ExOleObjStg, an RTF ``\\objdata``)."""
    import olefile

    try:
        ole = olefile.OleFileIO(blob)
    except Exception:  # olefile raises assorted errors on damaged containers
        return Objects(skipped=[SkippedPart("embedded object", f"{name} not read (damaged compound file)")])
    with ole:
        return _object(ole, [], ole.root, name, meter, _Standalone(len(blob), lambda: blob))


@dataclass(frozen=True)
class _Standalone:
    """How to get the storage as a file of its own: its size, and a maker (None when it cannot)."""

    size: int
    make: Callable[[], bytes | None]


def _object(
    ole: Any, path: list[str], entry: Any, name: str, meter: Meter, standalone: _Standalone
) -> Objects:
    streams = {kid.name.lower(): kid for kid in entry.kids if kid.entry_type == _STREAM}
    storages = {kid.name.lower() for kid in entry.kids if kid.entry_type == _STORAGE}
    try:
        if _NATIVE in streams:
            member = parse_ole10native(_read(ole, path, streams[_NATIVE], meter, name))
            return _charged(Member(f"{name}/{member.name[:_MAX_LABEL]}", member.data), meter)
        user_type, prog_id = _compobj(ole, path, streams)
        if prog_id.lower().startswith(_UNREAD_PROGIDS):
            return _unread(name, user_type or prog_id)
        for stream, extension in _DOCUMENTS:
            if stream in streams:
                return _document(ole, path, streams[stream], name, extension, meter, standalone)
        for stream in _PAYLOADS:
            if stream in streams and streams[stream].size > 0:
                kid = streams[stream]
                return _charged(Member(f"{name}/{kid.name}", _read(ole, path, kid, meter, name)), meter)
    except CorruptFile as exc:
        return Objects(skipped=[SkippedPart("embedded object", f"{name} not read ({exc})")])
    data_streams = [s for s in streams if s[:1] not in ("\x01", "\x02", "\x03", "\x05")]
    if _linked(ole, path, streams) or not (data_streams or storages):
        return Objects()  # a link to a file outside this one, or nothing embedded
    return _unread(name, user_type or prog_id or ", ".join(sorted(data_streams or storages))[:80])


def _unread(name: str, what: str) -> Objects:
    return Objects(skipped=[SkippedPart("embedded object", f"{name} ({what}) not read")])


def _document(
    ole: Any, path: list[str], stream: Any, name: str, extension: str, meter: Meter, standalone: _Standalone
) -> Objects:
    meter.check_member(name, standalone.size, None)  # before the copy is made
    data = standalone.make()
    if data is not None:
        return _charged(Member(f"{name}.{extension}", data), meter)
    if extension == "xls":  # a bare BIFF stream is still a workbook to xlrd and to detect
        return _charged(Member(f"{name}/{stream.name}.xls", _read(ole, path, stream, meter, name)), meter)
    return Objects(skipped=[SkippedPart("embedded object", f"{name} ({extension} document) not read")])


def _charged(member: Member, meter: Meter) -> Objects:
    meter.check_member(member.name, len(member.data), None)
    meter.add(len(member.data))
    return Objects(members=[member])


def _read(ole: Any, path: list[str], stream: Any, meter: Meter, name: str) -> bytes:
    meter.check_member(name, stream.size, None)
    try:
        return bytes(ole.openstream([*path, stream.name]).read())
    except Exception as exc:  # olefile raises OSError, IndexError ... on broken sector chains
        raise CorruptFile(f"damaged stream {stream.name!r}: {' '.join(str(exc).split())[:80]}") from None


def _entry(ole: Any, path: list[str]) -> Any:
    entry = ole.root
    for part in path:
        entry = next((kid for kid in entry.kids if kid.name == part), None)
        if entry is None:
            return None
    return entry


def _reroot(data: bytes, root_child: int, entry: Any) -> bytes | None:
    """A copy of ``data`` whose root storage holds ``entry``'s children, or None if it does not read back."""
    import olefile

    if entry.sid_child == _NOSTREAM or root_child + 4 > len(data):
        return None
    copy = bytearray(data)
    struct.pack_into("<I", copy, root_child, entry.sid_child)
    try:
        ole = olefile.OleFileIO(bytes(copy))
        with ole:
            names = sorted(kid.name for kid in ole.root.kids)
    except Exception:  # olefile raises assorted errors on damaged containers
        return None
    return bytes(copy) if names == sorted(kid.name for kid in entry.kids) else None


def _linked(ole: Any, path: list[str], streams: dict[str, Any]) -> bool:
    """The ``\\x01Ole`` stream's flags say the object is a link (MS-OLEDS 2.3.3)."""
    kid = streams.get("\x01ole")
    if kid is None or not 8 <= kid.size <= 4096:
        return False
    try:
        head = ole.openstream([*path, kid.name]).read(8)
    except Exception:
        return False
    return len(head) == 8 and bool(struct.unpack_from("<I", head, 4)[0] & 1)


def _compobj(ole: Any, path: list[str], streams: dict[str, Any]) -> tuple[str, str]:
    """(AnsiUserType, ProgID) of the ``\\x01CompObj`` stream (MS-OLEDS 2.3.8), "" where absent."""
    kid = streams.get("\x01compobj")
    if kid is None or not 32 <= kid.size <= 4096:
        return "", ""
    try:
        raw = bytes(ole.openstream([*path, kid.name]).read())
    except Exception:  # olefile raises assorted errors on broken sector chains
        return "", ""
    user_type, at = _ansi(raw, 28)
    (marker,) = struct.unpack_from("<I", raw, at) if at + 4 <= len(raw) else (0,)
    # AnsiClipboardFormat: 0 (none), 0xFFFFFFFF/0xFFFFFFFE + a format id, or a string.
    at = at + 4 if marker == 0 else at + 8 if marker >= 0xFFFFFFFE else _ansi(raw, at)[1]
    return user_type, _ansi(raw, at)[0]


def _ansi(raw: bytes, at: int) -> tuple[str, int]:
    """A LengthPrefixedAnsiString at ``at`` and the offset after it; ("", len) when there is none."""
    if at + 4 > len(raw):
        return "", len(raw)
    (length,) = struct.unpack_from("<I", raw, at)
    if length > 256 or at + 4 + length > len(raw):
        return "", len(raw)
    text = raw[at + 4 : at + 4 + length].split(b"\x00")[0].decode("latin-1").strip()
    return text, at + 4 + length
