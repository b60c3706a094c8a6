"""Decompress the LZFu-compressed RTF body that Outlook stores in PR_RTF_COMPRESSED ([MS-OXRTFCP]).

Some .msg files keep their body only as compressed RTF. The algorithm is ~30
lines, so it is written here rather than pulling in a dependency; output is
capped at the declared raw size (and at ``limit``) so a crafted stream cannot
expand without bound.
"""

from __future__ import annotations

import struct

from secscan.errors import CorruptFile

_PREBUF = (
    b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
    b"\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0"
    b"\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"
)
_LZFU = 0x75465A4C
_MELA = 0x414C454D


def decompress_rtf(data: bytes, limit: int) -> bytes:
    """The RTF text of a PR_RTF_COMPRESSED value."""
    if len(data) < 16:
        raise CorruptFile("compressed RTF body too short")
    _size, raw_size, kind, _crc = struct.unpack_from("<IIII", data)
    if kind == _MELA:
        return data[16 : 16 + min(raw_size, limit)]
    if kind != _LZFU:
        raise CorruptFile("compressed RTF body of unknown type")
    return _lzfu(data[16:], min(raw_size, limit))


def _lzfu(body: bytes, cap: int) -> bytes:
    window = bytearray(4096)
    window[: len(_PREBUF)] = _PREBUF
    write = len(_PREBUF)
    out = bytearray()
    pos = 0
    while pos < len(body) and len(out) < cap:
        control = body[pos]
        pos += 1
        for bit in range(8):
            if pos >= len(body) or len(out) >= cap:
                break
            if not control & (1 << bit):
                window[write] = body[pos]
                out.append(body[pos])
                write, pos = (write + 1) % 4096, pos + 1
                continue
            if pos + 1 >= len(body):
                break
            token = (body[pos] << 8) | body[pos + 1]
            pos += 2
            offset, length = token >> 4, (token & 0xF) + 2
            if offset == write:
                return bytes(out)
            for step in range(length):
                byte = window[(offset + step) % 4096]
                window[write] = byte
                out.append(byte)
                write = (write + 1) % 4096
    return bytes(out[:cap])
