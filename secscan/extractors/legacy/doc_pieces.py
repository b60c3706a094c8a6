"""Word 97-2003 binary (.doc, Kingsoft .wps) text by character position, from FIB and piece table.

MS-DOC stores a document's text in the WordDocument stream as pieces listed
by the piece table (``Pcdt`` in the CLX, in the 0Table/1Table stream); each
piece is either 8-bit (cp1252, "compressed") or UTF-16. All stories (main
text, footnotes, headers, comments, endnotes, text boxes) share one character
position (CP) space, cut by the ``ccp*`` counts in the FIB. Every offset read
here is checked against the stream it points into, so a damaged file raises
CorruptFile instead of reading past the end or looping.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from secscan.errors import CorruptFile

_STORIES = ("main", "footnote", "header", "macro", "comment", "endnote", "textbox", "header textbox")
_FC_CLX = 154 + 33 * 8  # fibRgFcLcb97.fcClx
_FC_PLCFHDD = 154 + 11 * 8  # fibRgFcLcb97.fcPlcfHdd
_FC_DGGINFO = 154 + 50 * 8  # fibRgFcLcb97.fcDggInfo: the OfficeArt drawing group
_MAX_PIECES = 1_000_000


@dataclass(frozen=True)
class Fib:
    nfib: int
    encrypted: bool
    table_stream: str
    story_lengths: tuple[int, ...]  # ccpText, ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx
    lid: int
    complex: bool  # Word 6/95 "fast saved": text pieces may be out of order

    @property
    def is_word97(self) -> bool:
        return self.nfib >= 0x00C1 or self.nfib == 0x0000  # some writers leave nFib 0 in 97+ files


def read_fib(word: bytes) -> Fib:
    # wIdent: 0xA5EC for Word 97 and later, 0xA5DC for Word 6/95.
    if len(word) < 0x58 or struct.unpack_from("<H", word)[0] not in (0xA5EC, 0xA5DC):
        raise CorruptFile("not a Word binary document (bad FIB signature)")
    (nfib,) = struct.unpack_from("<H", word, 2)
    lid, _, flags = struct.unpack_from("<HHH", word, 6)
    encrypted = bool(flags & 0x0100)
    table = "1Table" if flags & 0x0200 else "0Table"
    # Word 97+ keeps the story lengths in fibRgLw (offset 76); Word 6/95 at 0x34.
    at = 76 if nfib >= 0x00C1 or nfib == 0 else 0x34
    lengths: tuple[int, ...] = struct.unpack_from("<8i", word, at) if len(word) >= at + 32 else ()
    return Fib(nfib, encrypted, table, lengths, lid, bool(flags & 0x0004))


def piece_text(word: bytes, table: bytes) -> str:
    """The whole CP space of a Word 97+ document as one string."""
    fc_clx, lcb_clx = _fc_lcb(word, _FC_CLX, "CLX")
    clx = _slice(table, fc_clx, lcb_clx, "CLX")
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc entries (property modifiers) come first
        (size,) = struct.unpack_from("<h", clx.ljust(at + 3, b"\0"), at + 1)
        if size < 0:  # a negative cbGrpprl would step back, or stand still, for ever
            raise CorruptFile("Word piece table prefix (Prc) has a negative size")
        at += 3 + size
    if at + 5 > len(clx) or clx[at] != 0x02:
        raise CorruptFile("Word piece table (Pcdt) not found")
    plc = _slice(clx, at + 5, struct.unpack_from("<I", clx, at + 1)[0], "piece table")
    count = (len(plc) - 4) // 12
    if count <= 0 or count > _MAX_PIECES:
        raise CorruptFile("Word piece table is empty or implausibly large")
    cps = struct.unpack_from(f"<{count + 1}I", plc)
    parts: list[str] = []
    for index in range(count):
        fc = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * index + 2)[0]
        chars = max(0, cps[index + 1] - cps[index])
        parts.append(_piece(word, fc, chars))
    return "".join(parts)


def word6_text(word: bytes, codec: str) -> str:
    """Word 6/95 text: one 8-bit run from fcMin to fcMac in the document's code page."""
    fc_min, fc_mac = struct.unpack_from("<II", word, 0x18)
    return _slice(word, fc_min, max(0, fc_mac - fc_min), "text").decode(codec, "replace")


def header_stories(word: bytes, table: bytes) -> list[int]:
    """CP boundaries of the header stories (PlcfHdd), relative to the header document."""
    fc, lcb = _fc_lcb(word, _FC_PLCFHDD, "header story table")
    if lcb < 8:
        return []
    plc = _slice(table, fc, lcb, "header story table")
    return list(struct.unpack_from(f"<{lcb // 4}I", plc))


def drawing_group(word: bytes, table: bytes) -> bytes:
    """The OfficeArtDggContainer (whose BStore lists the pictures) at the start of the OfficeArtContent
    in the table stream; b"" when absent or damaged."""
    if len(word) < _FC_DGGINFO + 8:
        return b""
    fc, lcb = struct.unpack_from("<II", word, _FC_DGGINFO)
    if lcb < 8 or fc + lcb > len(table):
        return b""
    # The drawings (a dgglbl byte, then a DgContainer, each) follow the DggContainer: not needed here.
    (length,) = struct.unpack_from("<I", table, fc + 4)
    return table[fc : fc + min(lcb, 8 + length)]


def _piece(word: bytes, fc: int, chars: int) -> str:
    if fc & 0x40000000:  # fCompressed: 8-bit text at fc/2
        start = (fc & 0x3FFFFFFF) // 2
        return _slice(word, start, chars, "text piece").decode("cp1252", "replace")
    return _slice(word, fc, 2 * chars, "text piece").decode("utf-16-le", "replace")


def _fc_lcb(word: bytes, at: int, what: str) -> tuple[int, int]:
    """(offset, length) of a FIB entry; a FIB cut before it is damage (found by fuzzing)."""
    if len(word) < at + 8:
        raise CorruptFile(f"Word FIB ends before its {what} entry")
    fc, lcb = struct.unpack_from("<II", word, at)
    return fc, lcb


def _slice(data: bytes, start: int, length: int, what: str) -> bytes:
    if start < 0 or length < 0 or start + length > len(data):
        raise CorruptFile(f"Word {what} points outside its stream")
    return data[start : start + length]


def story_ranges(fib: Fib, total: int) -> list[tuple[str, int, int]]:
    """(story name, first CP, end CP) of each non-empty story, clamped to the text read."""
    ranges = []
    start = 0
    for name, length in zip(_STORIES, fib.story_lengths, strict=False):
        end = min(start + max(length, 0), total)
        if end > start:
            ranges.append((name, start, end))
        start = end
    return ranges
