"""Unwrap files embedded as OLE objects (word/embeddings/oleObject1.bin and the like).

When a user drags a file into Word, Excel or PowerPoint, Office wraps it in an
OLE compound file: an ``\\x01Ole10Native`` stream (label, source path, then
the file's bytes), a ``Package`` stream (an embedded OOXML file), or a
``CONTENTS`` stream (an embedded PDF). The inner file becomes a member
(``report.docx!word/embeddings/oleObject1.bin!secret.txt``) and goes through
detection again. Parsing follows oletools' oleobj (BSD), reimplemented on
olefile because only the unwrapping is needed.

An OLE file with none of these streams and no other known type is an
``error``: a compound file of unknown type has not been read.
"""

from __future__ import annotations

import struct
from typing import Any

from secscan.config import ScanConfig
from secscan.errors import CorruptFile, MissingEngine, ScanError
from secscan.extractors._common.bounded import Meter
from secscan.model import Extraction, FileKind, Member

KINDS = frozenset({FileKind.OLE_OTHER})

_PAYLOAD_STREAMS = ("Package", "CONTENTS", "EmbeddedOdf")


def extract(data: bytes, config: ScanConfig) -> Extraction:
    try:
        import olefile
    except ImportError:
        raise MissingEngine("OLE objects need olefile: pip install 'secscan'") from None
    try:
        ole = olefile.OleFileIO(data)
    except (OSError, ValueError, IndexError, struct.error) as exc:
        raise CorruptFile(f"not a readable OLE compound file: {exc}") from None
    with ole:
        members = _members(ole)
    if not members:
        raise ScanError("OLE compound file of unknown type (no embedded file found); not inspected")
    meter = Meter(config.limits)
    for member in members:
        meter.check_member(member.name, len(member.data), None)
        meter.add(len(member.data))
    return Extraction(blocks=(), parts_read=("members",), members=tuple(members))


def _members(ole: Any) -> list[Member]:
    members: list[Member] = []
    for path in ole.listdir(streams=True, storages=False):
        name = path[-1]
        if name == "\x01Ole10Native":
            members.append(parse_ole10native(ole.openstream(path).read()))
        elif name in _PAYLOAD_STREAMS and ole.get_size(path) > 0:
            members.append(Member("/".join(path), ole.openstream(path).read()))
    return members


def parse_ole10native(stream: bytes) -> Member:
    """The file inside an ``\\x01Ole10Native`` stream, named by its label when it has one."""
    if len(stream) < 6:
        raise CorruptFile("Ole10Native stream too short")
    declared = struct.unpack_from("<I", stream)[0]
    try:
        label, offset = _cstring(stream, 6)
        _source, offset = _cstring(stream, offset)
        offset += 8  # two unknown 32-bit fields
        _temp, offset = _cstring(stream, offset)
        size = struct.unpack_from("<I", stream, offset)[0]
        payload = stream[offset + 4 : offset + 4 + size]
        if len(payload) != size:
            raise ValueError("payload runs past the stream")
    except (ValueError, struct.error):
        # Objects that are not "Packager Shell Objects" hold raw data after the size field.
        return Member("Ole10Native", stream[4 : 4 + declared])
    return Member(label.replace("/", "_").replace("\\", "_") or "Ole10Native", payload)


def _cstring(data: bytes, offset: int) -> tuple[str, int]:
    end = data.find(b"\x00", offset, offset + 1024)
    if end < 0:
        raise ValueError("unterminated string")
    raw = data[offset:end]
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec), end + 1
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), end + 1
