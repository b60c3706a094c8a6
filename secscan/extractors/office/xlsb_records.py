"""A bounded walk over the BIFF12 records of an .xlsb part, and the few records secscan reads itself.

Every part of a binary workbook (``xl/workbook.bin``, ``xl/worksheets/sheet1.bin``,
``xl/comments1.bin`` ...) is a flat run of records ([MS-XLSB] 2.1.4): a record
type of 1-2 bytes and a size of 1-4 bytes, both little-endian base-128 (low 7
bits first, the high bit set on every byte but the last), then ``size`` bytes
of payload. python-calamine reads the cells; what it leaves out are the page
headers/footers (BrtBeginHeaderFooter, 479 = 0x1DF, in every kind of sheet
part) and cell comments (BrtBeginComment 635 = 0x27B with the cell,
BrtCommentText 637 = 0x27D with the text, in ``xl/comments*.bin``), whose
numbers were checked against [MS-XLSB] 2.4, Apache POI's XSSFBRecordType and
the Excel-written files of the shared corpus (poi/comments.xlsb,
tika/testEXCEL.xlsb).

The walk checks every size against the bytes left, stops at the first record
that does not fit (saying where and why, so the caller can list the part as
not read instead of calling it clean) and gives up after a number of records
the caller gives (``MAX_RECORDS`` for a whole workbook), so it ends on any
input, in time linear in the part. A part cut exactly between two records is
caught by its missing closing record (BrtEndSheet 0x82, BrtEndComments 0x275,
the last record of every such part in the corpus).
"""

from __future__ import annotations

import struct
from collections.abc import Collection
from dataclasses import dataclass

BUNDLE_SHEET = 0x9C  # BrtBundleSh (workbook.bin): one sheet's state, relationship id and name
HEADER_FOOTER = 0x1DF  # BrtBeginHeaderFooter (sheet parts)
BEGIN_COMMENT = 0x27B  # BrtBeginComment (comments parts): the cell a comment belongs to
COMMENT_TEXT = 0x27D  # BrtCommentText: the comment's RichStr
END_SHEET = 0x82  # BrtEndSheet: the last record of every sheet part (worksheet, chart, dialog, macro)
END_COMMENTS = 0x275  # BrtEndComments: the last record of a comments part
# A sheet is one record per cell, so a big one holds millions; past this many records (in all
# the parts of one workbook, about 3 s) the walk gives up.
MAX_RECORDS = 10_000_000
ROW_HEADER = 0x00  # BrtRowHdr: the row of the cell records after it
END_SHEET_DATA = 0x92  # BrtEndSheetData: calamine's cell loop ends here
_CELLS = frozenset({*range(0x01, 0x0C), 0x3E})  # BrtCell*, BrtFmla*, BrtCellRString: column first
_SHORT_CELLS = frozenset(range(0x0C, 0x13))  # BrtShort*: the column after the previous cell's
# BrtBeginHeaderFooter's six strings, in record order, named as SpreadsheetML names them.
HEADER_FOOTER_FIELDS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
_NULL = 0xFFFFFFFF  # the character count of a null XLNullableWideString
_SHEET_STATES = {0: "visible", 1: "hidden", 2: "veryhidden"}


class BrokenRecord(ValueError):
    """A payload that ends before the structure it should hold."""


class CutRecord(BrokenRecord):
    """A record header that the end of the part cuts short (every reader stops there)."""


@dataclass(frozen=True)
class Record:
    kind: int
    payload: bytes
    offset: int  # where the record starts in its part


@dataclass(frozen=True)
class Walk:
    records: tuple[Record, ...]  # the wanted records, in part order, up to where the walk stopped
    problem: str | None = None  # why the walk stopped before the end of the part, None when it did not
    count: int = 0  # records walked
    last: int | None = None  # type of the last whole record walked


def walk(data: bytes, wanted: Collection[int], limit: int = MAX_RECORDS, closing: int | None = None) -> Walk:
    """The records of ``data`` whose type is in ``wanted``, up to the first broken one or ``limit``.

    With ``closing`` (BrtEndSheet, BrtEndComments: Excel always writes them), a part that ends on
    another record counts as broken too: it was cut at a record boundary.
    """
    found: list[Record] = []
    end = len(data)
    at = count = 0
    last: int | None = None
    while at < end:
        if count >= limit:
            return Walk(
                tuple(found),
                f"gave up after {count:,} records of this part (the workbook's record limit)",
                count,
                last,
            )
        count += 1
        start = at
        kind = data[at]
        if kind < 0x80 and at + 1 < end and data[at + 1] < 0x80:  # the common case: 1-byte type and size
            size = data[at + 1]
            at += 2
        else:
            try:
                kind, size, at = _header(data, at, end)
            except BrokenRecord as exc:
                return Walk(tuple(found), f"record header at byte {start:,} is broken: {exc}", count, last)
        if size > end - at:
            problem = f"record {kind} at byte {start:,} declares {size:,} bytes, {end - at:,} are left"
            return Walk(tuple(found), problem, count, last)
        if kind in wanted:
            found.append(Record(kind, data[at : at + size], start))
        at += size
        last = kind
    if closing is not None and count and last != closing:
        problem = f"the part ends after record {last}, before its closing record {closing}"
        return Walk(tuple(found), problem, count, last)
    return Walk(tuple(found), None, count, last)


def cell_grid(data: bytes, limit: int = MAX_RECORDS) -> int:
    """How many cells the rectangle from a sheet part's first cell to its last one holds.

    python-calamine allocates that rectangle whole, however few cells it holds:
    a sheet with cells in A1 and XFD1048576 made it ask for 512 GiB and abort
    the process (found by fuzzing). Records are walked as ``walk`` walks them,
    except that a malformed header (a type or size longer than the format
    allows) before BrtEndSheetData raises BrokenRecord: calamine reads on past
    it, into cells no walk here can predict; so does a row or cell record too
    short for its row or column, which calamine fills from stale bytes.
    """
    rows: list[int] = []
    columns: list[int] = []
    at, end, count, row, column = 0, len(data), 0, 0, -1
    while at < end and count < limit:
        count += 1
        try:
            kind, size, at = _header(data, at, end)
        except CutRecord:
            break
        if size > end - at or kind == END_SHEET_DATA:
            break
        if (kind == ROW_HEADER and size < 4) or (kind in _CELLS and size < 8):
            raise BrokenRecord(f"record {kind} at byte {at - 2:,} is too short for its row or cell")
        if kind == ROW_HEADER:
            (row,) = struct.unpack_from("<I", data, at)
        elif kind in _CELLS or kind in _SHORT_CELLS:
            column = struct.unpack_from("<I", data, at)[0] if kind in _CELLS else column + 1
            # Only the corners matter: keep the extremes, not every cell.
            rows[:] = [min(rows[0], row), max(rows[1], row)] if rows else [row, row]
            columns[:] = [min(columns[0], column), max(columns[1], column)] if columns else [column, column]
        at += size
    return (rows[1] - rows[0] + 1) * (columns[1] - columns[0] + 1) if rows else 0


def _header(data: bytes, at: int, end: int) -> tuple[int, int, int]:
    """(record type, record size, offset of the payload) of the record header at ``at``."""
    kind = data[at]
    at += 1
    if kind & 0x80:
        if at >= end:
            raise CutRecord("the part ends inside the record type")
        high = data[at]
        at += 1
        if high & 0x80:
            raise BrokenRecord("record type longer than 2 bytes")
        kind = (kind & 0x7F) | (high << 7)
    size = 0
    for shift in (0, 7, 14, 21):
        if at >= end:
            raise CutRecord("the part ends inside the record size")
        byte = data[at]
        at += 1
        size |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return kind, size, at
    raise BrokenRecord("record size longer than 4 bytes")


def wide_string(payload: bytes, at: int, nullable: bool = False) -> tuple[str | None, int]:
    """An XLWideString (or XLNullableWideString) at ``at``: (text or None, offset after it)."""
    if at + 4 > len(payload):
        raise BrokenRecord(f"string length at byte {at} runs past the record")
    count = struct.unpack_from("<I", payload, at)[0]
    at += 4
    if nullable and count == _NULL:
        return None, at
    if count * 2 > len(payload) - at:
        raise BrokenRecord(f"string of {count:,} characters runs past the record")
    return payload[at : at + count * 2].decode("utf-16-le", "replace"), at + count * 2


def header_footer(payload: bytes) -> tuple[list[tuple[str, str]], str | None]:
    """(field name, code string) of the non-empty strings of a BrtBeginHeaderFooter, and why the
    rest could not be read (None when all six were)."""
    fields: list[tuple[str, str]] = []
    at = 2  # fHFDiffOddEven, fHFDiffFirst, fHFScaleWithDoc, fHFAlignMargins, reserved
    try:
        if len(payload) < at:
            raise BrokenRecord("record shorter than its flags")
        for name in HEADER_FOOTER_FIELDS:
            text, at = wide_string(payload, at, nullable=True)
            if text:
                fields.append((name, text))
    except BrokenRecord as exc:
        return fields, str(exc)
    return fields, None


def comment_text(payload: bytes) -> str:
    """The text of a BrtCommentText: a RichStr (a flags byte, then an XLWideString; the rich-text
    and phonetic runs that may follow carry no text)."""
    return wide_string(payload, 1)[0] or ""


def comment_cell(payload: bytes) -> str:
    """The cell ("B3") of a BrtBeginComment (iAuthor, then rwFirst, rwLast, colFirst, colLast), or ""."""
    if len(payload) < 20:
        return ""
    row, _, column, _ = struct.unpack_from("<4I", payload, 4)
    return cell_name(row, column)


def cell_name(row: int, column: int) -> str:
    """Zero-based (row, column) -> "A1" notation."""
    letters = ""
    column += 1
    while column and len(letters) < 8:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


@dataclass(frozen=True)
class BundleSheet:
    name: str
    state: str  # "visible", "hidden" or "veryhidden", as the cell reader labels sheets
    rel_id: str


def bundle_sheet(payload: bytes) -> BundleSheet:
    """A BrtBundleSh: hsState (4 bytes), iTabID (4), strRelID (nullable wide string), strName."""
    if len(payload) < 8:
        raise BrokenRecord("record shorter than its sheet state")
    state = struct.unpack_from("<I", payload, 0)[0]
    rel_id, at = wide_string(payload, 8, nullable=True)
    name, at = wide_string(payload, at)
    return BundleSheet(name or "", _SHEET_STATES.get(state, "hidden"), rel_id or "")
