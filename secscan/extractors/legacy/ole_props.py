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

from secscan.model import TextBlock

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


def property_blocks(ole: Any) -> list[TextBlock]:
    """Summary and user-defined properties of an open ``olefile.OleFileIO``."""
    pairs: list[tuple[str, str]] = []
    try:
        meta = ole.get_metadata()
        codepage = (meta.codepage or 1252) & 0xFFFF  # stored as a signed 16-bit int: 65001 reads -535
        for field in _SUMMARY_FIELDS:
            value = getattr(meta, field, None)
            text = _decode(value, codepage)
            if text:
                pairs.append((f"property:{field}", text))
    except Exception:  # olefile raises assorted errors on damaged property streams
        pass
    if ole.exists("\x05DocumentSummaryInformation"):
        try:
            stream = ole.openstream("\x05DocumentSummaryInformation").read(1 << 20)
            pairs += [(f"property:{n}", f"{n}: {v}") for n, v in user_defined(stream)]
        except Exception:
            pass
    return [
        TextBlock(text, part="metadata", line=n, origin=origin) for n, (origin, text) in enumerate(pairs, 1)
    ]


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
