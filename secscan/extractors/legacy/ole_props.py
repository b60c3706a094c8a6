"""Document properties of legacy Office files (.doc/.xls/.ppt) -> ``metadata`` blocks.

The OLE ``SummaryInformation`` streams carry title, subject, keywords,
comments, category, company and manager, and the second section of
``DocumentSummaryInformation`` holds user-defined properties, where 密级 or a
classification label is often kept (``密级: 机密``). olefile (BSD) decodes the
standard properties; the user-defined section is read here with a small,
bounded property-set parser (MS-OLEPS), because olefile skips it.
"""

from __future__ import annotations

import struct
from typing import Any

from secscan.errors import brief
from secscan.model import SkippedPart, TextBlock

_SUMMARY_FIELDS = (
    "title",
    "subject",
    "author",
    "keywords",
    "comments",
    "category",
    "company",
    "manager",
    "last_saved_by",
)
# FMTID_UserDefinedProperties {D5CDD505-2E9C-101B-9397-08002B2CF9AE} as stored (little-endian fields).
_USER_DEFINED_FMTID = bytes.fromhex("05D5CDD59C2E1B10939708002B2CF9AE")
_VT_LPSTR, _VT_LPWSTR, _VT_I2 = 0x1E, 0x1F, 0x02
_MAX_PROPS = 1000
_SUMMARY_STREAMS = ("\x05SummaryInformation", "\x05DocumentSummaryInformation")
_VT_VECTOR = 0x1000


_EMPTY_PROPERTY_SET = 48  # header, one section entry, and an empty section: nothing to parse


def property_blocks(ole: Any) -> tuple[list[TextBlock], list[SkippedPart]]:
    """Summary and user-defined properties of an open ``olefile.OleFileIO``, and what was not read.

    A damaged property stream is a skipped part, never nothing: the 密级 of a legacy file often
    sits exactly there, in a custom property.
    """
    pairs: list[tuple[str, str]] = []
    skipped: list[SkippedPart] = []
    try:
        if not all(_olefile_can_parse(ole, name) for name in _SUMMARY_STREAMS):
            raise ValueError("a property vector claims more elements than its stream holds")
        damaged = [name for name in _SUMMARY_STREAMS if _silently_unparsed(ole, name)]
        if damaged:
            raise ValueError(f"{damaged[0].strip(chr(5))} holds data but no property could be parsed")
        meta = ole.get_metadata()
        codepage = (meta.codepage or 1252) & 0xFFFF  # stored as a signed 16-bit int: 65001 reads -535
        for field in _SUMMARY_FIELDS:
            value = getattr(meta, field, None)
            text = _decode(value, codepage)
            if text:
                pairs.append((f"property:{field}", text))
    except Exception as exc:  # olefile raises assorted errors on damaged property streams
        skipped.append(SkippedPart("metadata", f"document properties could not be read: {brief(exc)}"))
    if ole.exists("\x05DocumentSummaryInformation"):
        try:
            stream = ole.openstream("\x05DocumentSummaryInformation").read(1 << 20)
            pairs += [(f"property:{n}", f"{n}: {v}") for n, v in user_defined(stream)]
        except Exception as exc:
            skipped.append(SkippedPart("metadata", f"custom properties could not be read: {brief(exc)}"))
    blocks = [
        TextBlock(text, part="metadata", line=n, origin=origin) for n, (origin, text) in enumerate(pairs, 1)
    ]
    return blocks, skipped


def _silently_unparsed(ole: Any, name: str) -> bool:
    """olefile returns no property at all, without an error, for a stream whose section is damaged."""
    if not ole.exists(name) or ole.get_size(name) <= _EMPTY_PROPERTY_SET:
        return False
    try:
        return not ole.getproperties(name)
    except Exception:  # any failure here is a damaged stream too
        return True


def _olefile_can_parse(ole: Any, name: str) -> bool:
    """False when olefile's property parser would spin on the first section of stream ``name``.

    olefile trusts the element count of a VT_VECTOR property and loops that many
    times even when the elements take no bytes (VT_EMPTY): one 4-byte count of
    0xFFFFFFFF held a scan for hours (found by fuzzing). Every real element takes
    at least a byte, so the counts of all vectors together cannot pass the
    stream's length; when they do, the stream is treated as damaged.
    """
    if not ole.exists(name):
        return True
    stream = ole.openstream(name).read()
    try:
        (start,) = struct.unpack_from("<I", stream, 44)
        count = struct.unpack_from("<I", stream, start + 4)[0]
    except struct.error:
        return True  # olefile stops at the same missing header
    claimed = 0
    for index in range(min(count, len(stream) // 8)):
        try:
            (offset,) = struct.unpack_from("<I", stream, start + 12 + 8 * index)
            vtype, elements = struct.unpack_from("<II", stream, start + offset)
        except struct.error:
            continue  # olefile skips such a property too
        if vtype & _VT_VECTOR:
            claimed += elements
    return claimed <= len(stream)


def user_defined(stream: bytes) -> list[tuple[str, str]]:
    """(name, value) of the string-valued user-defined properties in a property-set stream."""
    count = struct.unpack_from("<I", stream, 24)[0] if len(stream) >= 28 else 0
    for index in range(min(count, 4)):
        fmtid = stream[28 + 20 * index : 44 + 20 * index]
        if fmtid == _USER_DEFINED_FMTID:
            offset = struct.unpack_from("<I", stream, 44 + 20 * index)[0]
            return _section(stream, offset)
    return []


def _section(stream: bytes, start: int) -> list[tuple[str, str]]:
    _, count = struct.unpack_from("<II", stream, start)
    entries = [struct.unpack_from("<II", stream, start + 8 + 8 * i) for i in range(min(count, _MAX_PROPS))]
    codepage = 1252
    values: dict[int, str] = {}
    names: dict[int, str] = {}
    for prop_id, offset in entries:
        at = start + offset
        if prop_id == 1:
            codepage = struct.unpack_from("<H", stream, at + 4)[0]  # unsigned: 65001, not -535
    for prop_id, offset in entries:
        at = start + offset
        if prop_id == 0:
            names = _dictionary(stream, at, codepage)
        elif prop_id > 1:
            text = _string_value(stream, at, codepage)
            if text:
                values[prop_id] = text
    return [(names.get(pid, f"property {pid}"), value) for pid, value in values.items()]


def _dictionary(stream: bytes, at: int, codepage: int) -> dict[int, str]:
    count = struct.unpack_from("<I", stream, at)[0]
    names: dict[int, str] = {}
    at += 4
    for _ in range(min(count, _MAX_PROPS)):
        prop_id, length = struct.unpack_from("<II", stream, at)
        at += 8
        if codepage == 1200:
            raw, at = stream[at : at + 2 * length], at + 2 * length
            at += (4 - (2 * length) % 4) % 4  # Unicode names are padded to 4 bytes
            names[prop_id] = raw.decode("utf-16-le", "replace").rstrip("\x00")
        else:
            raw, at = stream[at : at + length], at + length
            names[prop_id] = _codepage_decode(raw, codepage).rstrip("\x00")
    return names


def _string_value(stream: bytes, at: int, codepage: int) -> str:
    vtype, size = struct.unpack_from("<HxxI", stream, at)
    if vtype == _VT_LPSTR:
        raw = stream[at + 8 : at + 8 + min(size, 1 << 16)]
        text = raw.decode("utf-16-le", "replace") if codepage == 1200 else _codepage_decode(raw, codepage)
        return text.rstrip("\x00")
    if vtype == _VT_LPWSTR:
        return stream[at + 8 : at + 8 + 2 * min(size, 1 << 15)].decode("utf-16-le", "replace").rstrip("\x00")
    return ""


def _codepage_decode(raw: bytes, codepage: int) -> str:
    codec = {65001: "utf-8", 936: "gbk", 950: "big5", 932: "cp932", 949: "cp949"}.get(
        codepage, f"cp{codepage}"
    )
    try:
        return raw.decode(codec, "replace")
    except LookupError:
        return raw.decode("latin-1")


def _decode(value: object, codepage: int) -> str:
    if isinstance(value, bytes):
        return _codepage_decode(value, codepage).rstrip("\x00").strip()
    return value.strip() if isinstance(value, str) else ""
