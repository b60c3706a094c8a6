"""Decode a serialized MAPI property list, as TNEF's attMsgProps and attAttachment carry it.

[MS-OXTNEF] 2.1.3.5: a count, then per property its type and id, a name for
named properties (id >= 0x8000), and its value(s); variable-size values are
length-prefixed and padded to 4 bytes. Only the first value of each property
is kept; strings are decoded, binaries kept as bytes, integers as int.
"""

from __future__ import annotations

import struct

from secscan.errors import CorruptFile

PropertyValue = str | bytes | int
_FIXED = {
    0x0002: 4,
    0x0003: 4,
    0x0004: 4,
    0x0005: 8,
    0x0006: 8,
    0x0007: 8,
    0x000A: 4,
    0x000B: 4,
    0x0014: 8,
    0x0040: 8,
    0x0048: 16,
}
_VARIABLE = (0x000D, 0x001E, 0x001F, 0x0102)
_MULTI = 0x1000
_MAX_PROPERTIES = 100_000


def parse_properties(data: bytes) -> dict[int, PropertyValue]:
    """Property id -> first value; a malformed list raises CorruptFile."""
    try:
        return _parse(data)
    except (struct.error, IndexError) as exc:
        raise CorruptFile(f"malformed MAPI property list in TNEF: {exc}") from None


def _parse(data: bytes) -> dict[int, PropertyValue]:
    (count,) = struct.unpack_from("<I", data, 0)
    if count > _MAX_PROPERTIES:
        raise CorruptFile(f"TNEF claims {count:,} properties")
    offset = 4
    found: dict[int, PropertyValue] = {}
    for _ in range(count):
        prop_type, prop_id = struct.unpack_from("<HH", data, offset)
        offset += 4
        if prop_id >= 0x8000:
            offset = _skip_name(data, offset)
        values, offset = _values(data, offset, prop_type)
        if values:
            found.setdefault(prop_id, values[0])
    return found


def _skip_name(data: bytes, offset: int) -> int:
    (kind,) = struct.unpack_from("<I", data, offset + 16)  # after the property set GUID
    offset += 20
    if kind == 0:
        return offset + 4
    (length,) = struct.unpack_from("<I", data, offset)
    return offset + 4 + _padded(length)


def _values(data: bytes, offset: int, prop_type: int) -> tuple[list[PropertyValue], int]:
    base = prop_type & ~_MULTI
    count = 1
    if prop_type & _MULTI or base in _VARIABLE:
        (count,) = struct.unpack_from("<I", data, offset)
        offset += 4
    if count > len(data):
        raise CorruptFile("MAPI property value count past the data")
    values: list[PropertyValue] = []
    for _ in range(count):
        if base in _VARIABLE:
            (length,) = struct.unpack_from("<I", data, offset)
            raw = data[offset + 4 : offset + 4 + length]
            if len(raw) != length:
                raise CorruptFile("MAPI property value runs past the data")
            offset += 4 + _padded(length)
            values.append(_decode(base, raw))
        elif base in _FIXED:
            size = _FIXED[base]
            raw = data[offset : offset + size]
            offset += size
            values.append(int.from_bytes(raw[:4], "little") if size == 4 else raw)
        else:
            raise CorruptFile(f"unknown MAPI property type 0x{prop_type:04x}")
    return values, offset


def _decode(base: int, raw: bytes) -> PropertyValue:
    if base == 0x001F:
        return raw.decode("utf-16-le", "replace").rstrip("\x00")
    if base == 0x001E:
        text = raw.rstrip(b"\x00")
        for codec in ("utf-8", "gb18030"):
            try:
                return text.decode(codec)
            except UnicodeDecodeError:
                continue
        return text.decode("cp1252", "replace")
    return raw


def _padded(length: int) -> int:
    return (length + 3) & ~3
