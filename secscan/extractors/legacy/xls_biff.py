"""A bounded walk over BIFF records for what xlrd does not give: headers, footers, text boxes.

xlrd reads cells well but drops page headers/footers (HEADER 0x14, FOOTER
0x15) and the text of comments and text boxes (TXO 0x1B6 + CONTINUE), which
are exactly where a spreadsheet's 密级 banner sits. This walker reads only
those records, plus BOUNDSHEET (sheet names, visibility, stream offsets),
CODEPAGE, FILEPASS (encryption) and MSODRAWINGGROUP (0xEB, with its CONTINUE
records: the OfficeArt drawing group whose BStore holds the pictures). Every
record has a 4-byte header, so the walk ends after at most len(stream)/4
steps whatever the input.
"""

from __future__ import annotations

import codecs
import struct
from dataclasses import dataclass, field

_HEADER, _FOOTER, _TXO, _CONTINUE = 0x0014, 0x0015, 0x01B6, 0x003C
_BOUNDSHEET, _CODEPAGE, _FILEPASS = 0x0085, 0x0042, 0x002F
_DRAWING_GROUP = 0x00EB


@dataclass
class Sheet:
    name: str
    visibility: int  # 0 visible, 1 hidden, 2 very hidden
    headers: list[str] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # comments and text boxes


@dataclass
class Biff:
    sheets: list[Sheet] = field(default_factory=list)
    encrypted: bool = False
    codec: str = "cp1252"
    drawing_group: bytearray = field(default_factory=bytearray)  # MSODRAWINGGROUP + its CONTINUEs


def walk(stream: bytes) -> Biff:
    biff = Biff()
    offsets: dict[int, Sheet] = {}
    current: Sheet | None = None
    pending_txo = False
    in_drawing_group = False
    at = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        data = stream[at + 4 : at + 4 + length]
        if len(data) < length:
            break  # a record cut off by the end of the stream: nothing follows it to read
        if at in offsets:
            current = offsets[at]
        if kind == _FILEPASS:
            biff.encrypted = True
            return biff
        if kind == _DRAWING_GROUP or (kind == _CONTINUE and in_drawing_group):
            biff.drawing_group += data
            in_drawing_group = True
            at += 4 + length
            continue
        in_drawing_group = False
        if kind == _CODEPAGE and length >= 2:
            biff.codec = _codec(struct.unpack_from("<H", data)[0])
        elif kind == _BOUNDSHEET and length >= 8:
            sheet = _boundsheet(data, biff.codec)
            biff.sheets.append(sheet)
            offsets[struct.unpack_from("<I", data)[0]] = sheet
        elif current is not None:
            pending_txo = _sheet_record(current, kind, data, pending_txo, biff.codec)
        at += 4 + length
    return biff


def _sheet_record(sheet: Sheet, kind: int, data: bytes, pending_txo: bool, codec: str) -> bool:
    """Add what record ``kind`` says to ``sheet``; return whether a TXO awaits its text."""
    if kind in (_HEADER, _FOOTER) and data:
        text = _biff8_string(data, codec)
        if text:
            (sheet.headers if kind == _HEADER else sheet.footers).append(text)
    elif kind == _TXO:
        return True
    elif kind == _CONTINUE and pending_txo and data:
        text = _continue_text(data)
        if text.strip():
            sheet.texts.append(text.strip())
    return False


def _boundsheet(data: bytes, codec: str) -> Sheet:
    visibility = data[4] & 0x03
    name = _short_string(data[6:], codec)
    return Sheet(name, visibility)


def _short_string(data: bytes, codec: str) -> str:
    """ShortXLUnicodeString (BIFF8: length byte + flags) or a BIFF5 byte string."""
    if len(data) < 2:
        return ""
    count, flags = data[0], data[1]
    if len(data) >= 2 + count and flags in (0, 1):
        raw = data[2 : 2 + count * (2 if flags & 1 else 1)]
        return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
    return data[1 : 1 + count].decode(codec, "replace")


def _biff8_string(data: bytes, codec: str) -> str:
    """XLUnicodeString (cch u16, flags u8, chars); BIFF5 headers are a length byte + bytes."""
    if len(data) >= 3 and data[2] in (0, 1):
        count = struct.unpack_from("<H", data)[0]
        if data[2] & 1:
            return data[3 : 3 + 2 * count].decode("utf-16-le", "replace")
        return data[3 : 3 + count].decode("latin-1", "replace")
    return data[1 : 1 + data[0]].decode(codec, "replace")


def _continue_text(data: bytes) -> str:
    if data[0] & 1:
        return data[1:].decode("utf-16-le", "replace")
    return data[1:].decode("latin-1", "replace")


def _codec(codepage: int) -> str:
    if codepage == 1200:
        return "utf-16-le"
    known = {936: "gbk", 950: "big5", 932: "cp932", 949: "cp949", 10000: "mac_roman", 367: "ascii"}
    name = known.get(codepage, f"cp{codepage}")
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name
