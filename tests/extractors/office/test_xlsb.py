"""Binary workbooks (.xlsb): headers/footers and comments are read; only what was not read is skipped.

The fixtures (tests/fixtures/xlsb/, made by tests/fixtures/make_xlsb.py: BIFF12
records written with struct, and one marked copy of apache/poi's comments.xlsb)
go end to end through ``scan_bytes`` with the real catalog; damaged variants
are made here by cutting or overwriting one part of a fixture.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable

import pytest
from locations import FIXTURES
from realworld import REALWORLD

from secscan.config import ScanConfig
from secscan.engine.pipeline import scan_bytes
from secscan.extractors.office import xlsb
from secscan.extractors.office.xlsb_records import (
    COMMENT_TEXT,
    END_SHEET,
    HEADER_FOOTER,
    BrokenRecord,
    bundle_sheet,
    cell_name,
    comment_text,
    header_footer,
    walk,
)
from secscan.match.catalog import Catalog
from secscan.model import FileResult, Level, Status

XLSB = FIXTURES / "xlsb"
SHEET = "xl/worksheets/sheet1.bin"
COMMENTS = "xl/comments1.bin"


def scan(data: bytes, scan_config: ScanConfig, name: str = "book.xlsb") -> FileResult:
    return scan_bytes(name, name, data, scan_config)[0]


def fixture(name: str) -> bytes:
    return (XLSB / name).read_bytes()


def with_part(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """``data`` with member ``part`` replaced by ``change(its bytes)``, every other member kept."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            raw = source.read(info)
            out.writestr(info, change(raw) if info.filename == part else raw)
    return buffer.getvalue()


def part_of(data: bytes, part: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(part)


def record(kind: int, payload: bytes = b"") -> bytes:
    head = bytes([kind & 0x7F | 0x80, kind >> 7]) if kind > 0x7F else bytes([kind])
    size, sized = len(payload), bytearray()
    while True:
        sized.append(size & 0x7F | (0x80 if size > 0x7F else 0))
        size >>= 7
        if not size:
            return head + bytes(sized) + payload


# --- end to end ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, level, part, origin",
    [
        ("header.xlsb", Level.SECRET, "header", "xl/worksheets/sheet1.bin (汇总) oddHeader left"),
        ("footer.xlsb", Level.INTERNAL, "footer", "xl/worksheets/sheet1.bin (汇总) oddFooter left"),
        ("footer_poi.xlsb", Level.INTERNAL, "footer", "xl/worksheets/sheet1.bin (Sheet1) oddFooter center"),
        ("comment.xlsb", Level.SECRET, "comment", "xl/comments1.bin B2"),
    ],
)
def test_marking_in_header_footer_or_comment_is_flagged(
    name: str, level: Level, part: str, origin: str, scan_config: ScanConfig
) -> None:
    result = scan(fixture(name), scan_config, name)
    assert result.status == Status.FLAGGED, result
    assert result.level == level
    found = [f for f in result.findings if f.level == level]
    assert {f.location.part for f in found} == {part}
    assert all(f.location.page == 1 for f in found)
    assert not result.coverage.skipped


def test_header_codes_are_split_into_sections() -> None:
    blocks = xlsb.extract(fixture("header.xlsb"), ScanConfig(catalog=Catalog())).blocks
    header = [(b.text, b.origin.rsplit(" ", 1)[-1], b.page) for b in blocks if b.part == "header"]
    assert header == [("机密★5年", "left", 1), ("第页", "right", 1)]  # &"黑体,常规", &16, &P are codes


def test_workbook_without_markings_is_clean_not_skipped(scan_config: ScanConfig) -> None:
    result = scan(fixture("clean.xlsb"), scan_config)
    assert result.status == Status.CLEAN, result
    assert not result.coverage.skipped
    assert {"table", "header", "footer", "comment"} <= set(result.coverage.parts)


def test_cells_still_come_from_calamine() -> None:
    blocks = xlsb.extract(fixture("clean.xlsb"), ScanConfig(catalog=Catalog())).blocks
    assert [b.text for b in blocks if b.part == "table"] == ["2026年度预算汇总\t设备购置\t120000"]


# --- damage: what could not be read is a skipped part, never a crash or "clean" -----------------


def _cut_inside_header_footer(sheet: bytes) -> bytes:
    at = sheet.index(record(HEADER_FOOTER)[:2])  # 0xDF 0x03: the record's type
    return sheet[: at + 20]


def _header_string_overruns(sheet: bytes) -> bytes:
    at = sheet.index(record(HEADER_FOOTER)[:2]) + 3 + 2  # type (2), size (1), flags (2)
    return sheet[:at] + struct.pack("<I", 0x7FFF) + sheet[at + 4 :]


def _cut_before_end_sheet(sheet: bytes) -> bytes:
    assert sheet.endswith(record(END_SHEET))
    return sheet[: -len(record(END_SHEET))]


@pytest.mark.parametrize(
    "change, reason",
    [
        (_cut_inside_header_footer, "declares"),
        (_header_string_overruns, "header/footer record at byte"),
        (_cut_before_end_sheet, "before its closing record"),
        (lambda sheet: sheet + b"\xff\xff\xff", "record type longer than 2 bytes"),
    ],
)
def test_broken_sheet_part_is_a_skipped_header(
    change: Callable[[bytes], bytes], reason: str, scan_config: ScanConfig
) -> None:
    result = scan(with_part(fixture("clean.xlsb"), SHEET, change), scan_config)
    assert result.status == Status.SKIPPED, result
    [skipped] = result.coverage.skipped
    assert skipped.part == "header"
    assert SHEET in skipped.reason and reason in skipped.reason


def test_marking_before_the_break_is_still_flagged(scan_config: ScanConfig) -> None:
    data = with_part(fixture("header.xlsb"), SHEET, _cut_before_end_sheet)
    result = scan(data, scan_config)
    assert result.status == Status.FLAGGED
    assert [s.part for s in result.coverage.skipped] == ["header"]


def _comment_string_overruns(part: bytes) -> bytes:
    at = part.index(record(COMMENT_TEXT)[:2]) + 2 + 1 + 1  # type (2), size (1), RichStr flags (1)
    return part[:at] + struct.pack("<I", 0x7FFF) + part[at + 4 :]


@pytest.mark.parametrize(
    "change",
    [
        lambda part: part[: part.index(record(COMMENT_TEXT)[:2]) + 10],  # cut inside BrtCommentText
        _comment_string_overruns,
        lambda part: b"\x7f" * 40,  # not BIFF12 at all
    ],
)
def test_broken_comments_part_is_a_skipped_comment(
    change: Callable[[bytes], bytes], scan_config: ScanConfig
) -> None:
    result = scan(with_part(fixture("comment.xlsb"), COMMENTS, change), scan_config)
    assert result.status == Status.SKIPPED, result
    assert [s.part for s in result.coverage.skipped] == ["comment"]
    assert COMMENTS in result.coverage.skipped[0].reason


def test_every_cut_of_the_sheet_part_ends_without_clean(scan_config: ScanConfig) -> None:
    data = fixture("header.xlsb")
    sheet = part_of(data, SHEET)
    for length in range(len(sheet)):
        result = scan(with_part(data, SHEET, lambda raw, n=length: raw[:n]), scan_config)
        assert result.status != Status.CLEAN, (length, result)


def test_comments_part_no_sheet_points_to_is_read(scan_config: ScanConfig) -> None:
    comments = part_of(fixture("comment.xlsb"), COMMENTS)
    buffer = io.BytesIO(fixture("clean.xlsb"))
    with zipfile.ZipFile(buffer, "a") as out:
        out.writestr("xl/comments7.bin", comments)
    result = scan(buffer.getvalue(), scan_config)
    assert result.status == Status.FLAGGED
    [finding] = [f for f in result.findings if f.location.part == "comment"]
    assert finding.location.page is None


# --- the record walker ---------------------------------------------------------------------------


def test_walk_reads_two_byte_types_and_long_sizes() -> None:
    payload = b"\x00\x00" + struct.pack("<I", 0xFFFFFFFF) * 6
    big = b"x" * 300  # its size takes two bytes
    data = record(0x81) + record(0x06, big) + record(HEADER_FOOTER, payload) + record(END_SHEET)
    result = walk(data, {HEADER_FOOTER, 0x06}, closing=END_SHEET)
    assert result.problem is None
    assert [(r.kind, len(r.payload)) for r in result.records] == [(0x06, 300), (HEADER_FOOTER, 26)]
    assert result.count == 4 and result.last == END_SHEET


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"\x81", "ends inside the record type"),
        (b"\x81\x81\x00", "record type longer than 2 bytes"),
        (b"\x01\x80", "ends inside the record size"),
        (b"\x01\x80\x80\x80\x80\x00", "record size longer than 4 bytes"),
        (b"\x01\x05abc", "declares 5 bytes, 3 are left"),
    ],
)
def test_walk_stops_at_the_first_broken_record(data: bytes, problem: str) -> None:
    result = walk(record(0x06, b"ok") + data, {0x06})
    assert [r.payload for r in result.records] == [b"ok"]
    assert result.problem is not None and problem in result.problem


def test_walk_gives_up_after_its_limit() -> None:
    result = walk(record(0x01) * 10, {0x01}, limit=4)
    assert len(result.records) == 4
    assert result.problem is not None and "gave up after 4 records" in result.problem


def wide(text: str | None) -> bytes:
    """An XLNullableWideString."""
    if text is None:
        return struct.pack("<I", 0xFFFFFFFF)
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def test_record_payloads() -> None:
    fields = struct.pack("<H", 4) + wide(None) + wide("页脚")
    assert header_footer(fields + wide(None) * 4) == ([("oddFooter", "页脚")], None)
    read, problem = header_footer(fields + struct.pack("<I", 9))
    assert read == [("oddFooter", "页脚")] and problem is not None
    assert comment_text(b"\x01" + wide("批注") + b"\x01\x00\x00\x00") == "批注"  # a rich run follows
    with pytest.raises(BrokenRecord):
        comment_text(b"\x00" + struct.pack("<I", 3) + b"ab")
    sheet = bundle_sheet(struct.pack("<II", 2, 1) + wide("rId1") + wide("底稿"))
    assert (sheet.name, sheet.state, sheet.rel_id) == ("底稿", "veryhidden", "rId1")
    cells = [cell_name(0, 0), cell_name(9, 25), cell_name(0, 26), cell_name(1, 16383)]
    assert cells == ["A1", "Z10", "AA1", "XFD2"]


# --- the shared corpus -----------------------------------------------------------------------------

needs_corpus = pytest.mark.skipif(not REALWORLD.is_dir(), reason="shared real-world corpus not present")


@needs_corpus
def test_excel_comments_are_read_from_the_corpus_file() -> None:
    data = (REALWORLD / "poi" / "comments.xlsb").read_bytes()
    extraction = xlsb.extract(data, ScanConfig(catalog=Catalog()))
    comments = [(b.origin, b.text) for b in extraction.blocks if b.part == "comment"]
    assert comments[:2] == [
        ("xl/comments1.bin A1", "comment top row1 (index0)"),
        ("xl/comments1.bin A2", "Allison, Timothy B.: comment row2 (index1)"),
    ]
    assert len(comments) == 4 and not extraction.skipped


@needs_corpus
def test_corpus_workbooks_without_markings_are_not_skipped(scan_config: ScanConfig) -> None:
    for name in ("poi/comments.xlsb", "poi/sample.xlsb", "poi/WithTextBox.xlsb", "calamine/any_sheets.xlsb"):
        result = scan((REALWORLD / name).read_bytes(), scan_config, name)
        assert result.status == Status.CLEAN, result
