"""Excel binary workbook .xlsb -> text blocks (cells, sheet names, headers/footers, comments, drawings).

python-calamine (MIT, Rust) is the one maintained reader of BIFF12 cells for
Python, so the cells and sheet names come from it. Before calamine sees the
file, the ZIP directory is checked against the expansion limits (calamine
inflates parts whole), and a Rust panic, which Python raises as a
``BaseException`` that ``except Exception`` misses, is turned into a one-line
error.

What calamine does not expose is read here: page headers/footers (the
BrtBeginHeaderFooter record of each sheet part; their codes, as in
``&L&"黑体,常规"&16秘密★1年``, split as the .xlsx reader splits them) and cell
comments (``xl/comments*.bin``), both walked by :mod:`xlsb_records`; text
boxes, charts and threaded comments, which an .xlsb keeps as the same XML parts
an .xlsx does; and pictures and embedded objects, handed back as members.
Every part goes through :class:`Package`, so the expansion limits apply. A part
whose records break off, or a header/footer or comment record that does not
hold what it should, is listed as a skipped part, never silently dropped.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from secscan.config import ScanConfig
from secscan.errors import CorruptFile, LimitExceeded, MissingEngine, ScanError, brief
from secscan.extractors._common.excel_hf import header_footer_sections
from secscan.extractors._common.textbudget import TextBudget
from secscan.extractors._common.xmlsafe import parse_xml
from secscan.extractors.office.drawingml import GraphicText, paragraph_text, run_hints
from secscan.extractors.office.ooxml_props import property_blocks
from secscan.extractors.office.xlsb_records import (
    BEGIN_COMMENT,
    BUNDLE_SHEET,
    COMMENT_TEXT,
    END_COMMENTS,
    END_SHEET,
    HEADER_FOOTER,
    MAX_RECORDS,
    BrokenRecord,
    Walk,
    bundle_sheet,
    cell_grid,
    comment_cell,
    comment_text,
    header_footer,
    walk,
)
from secscan.extractors.office.zipparts import OptionalParts, Package, folder_of, media_members, relationships
from secscan.model import Extraction, FileKind, SkippedPart, TextBlock

KINDS = frozenset({FileKind.XLSB})

_RATIO_FLOOR = 4 << 20
_CELL_BYTES = 32  # what calamine allocates for each cell of a sheet's rectangle, filled or not
_SHEET_KINDS = frozenset({"worksheet", "chartsheet", "dialogsheet", "xlMacrosheet", "xlIntlMacrosheet"})
# Sheet and comments parts no relationship of the workbook leads to are read all the same.
_SHEET_PART = re.compile(r"(?:worksheets|chartsheets|dialogsheets|macrosheets)/[^/]+\.bin")
_COMMENTS_PART = re.compile(r"[^/]*comments[^/]*\.bin", re.IGNORECASE)
_BINARY_INDEX = re.compile(r".*/binaryIndex[^/]*\.bin", re.IGNORECASE)


def extract(data: bytes, config: ScanConfig) -> Extraction:
    package = Package(data, config.limits, "binary workbook")
    _check_sizes(package, config)
    _check_grids(data, config)
    calamine = _import()
    try:
        blocks = _read(calamine, data, TextBudget(config.limits, "binary workbook"))
    except (KeyboardInterrupt, SystemExit, ScanError):
        raise
    except BaseException as exc:
        reason = brief(exc)
        raise CorruptFile(f"unreadable .xlsb: {reason}") from None
    pages = sum(1 for b in blocks if b.origin.startswith("sheet name"))
    records = _Records(package)
    blocks += records.blocks
    blocks += property_blocks(OptionalParts(package))
    return Extraction(
        tuple(blocks),
        parts_read=("table", "header", "footer", "comment", "textbox", "metadata"),
        skipped=tuple(records.skipped),
        members=tuple(media_members(package, folder_of(records.workbook))),
        pages=pages,
    )


def _check_sizes(package: Package, config: ScanConfig) -> None:
    total = 0
    for info in package.zip.infolist():
        total += info.file_size
        ratio_cap = max(_RATIO_FLOOR, info.compress_size * config.limits.max_ratio)
        if info.file_size > ratio_cap or total > config.limits.max_expanded_size:
            raise LimitExceeded(f".xlsb part {info.filename} declares {info.file_size:,} bytes unpacked")


def _check_grids(data: bytes, config: ScanConfig) -> None:
    """Refuse a sheet whose cell rectangle calamine cannot allocate: it aborts the process, uncatchably.

    A package of its own, so these reads do not count twice against the expansion limit.
    """
    package = Package(data, config.limits, "binary workbook")
    workbook = _main_part(package)
    targets = [t for _, kind, t in relationships(package, workbook) if kind in _SHEET_KINDS]
    for name in dict.fromkeys([*targets, *_parts(package, folder_of(workbook), _SHEET_PART)]):
        if name not in package:
            continue
        try:
            cells = cell_grid(package.read(name))
        except BrokenRecord as exc:
            raise CorruptFile(f".xlsb sheet {name} is damaged ({exc}); not read") from None
        if cells * _CELL_BYTES > config.limits.max_expanded_size:
            raise LimitExceeded(
                f".xlsb sheet {name} spans {cells:,} cells from its first to its last, "
                f"{cells * _CELL_BYTES:,} bytes to read, above the expansion limit "
                f"({config.limits.max_expanded_size:,} bytes)"
            )


def _read(calamine: Any, data: bytes, budget: TextBudget) -> list[TextBlock]:
    book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    blocks: list[TextBlock] = []
    for number, meta in enumerate(book.sheets_metadata, 1):
        state = str(meta.visible).rsplit(".", 1)[-1].lower()
        label = meta.name if state == "visible" else f"{meta.name}, {state}"
        blocks.append(
            TextBlock(meta.name, part="metadata", page=number, line=1, origin=f"sheet name ({label})")
        )
        if not str(meta.typ).endswith("WorkSheet"):
            continue  # chart and dialog sheets hold no cells
        sheet = book.get_sheet_by_index(number - 1)
        for line, row in enumerate(sheet.iter_rows(), 1):
            cells = [text for value in row if (text := _text(value))]
            if cells:
                budget.charge(sum(map(len, cells)))
                hints = frozenset({"alone"}) if len(cells) == 1 else frozenset()
                blocks.append(
                    TextBlock(
                        "\t".join(cells),
                        part="table",
                        page=number,
                        line=line,
                        origin=f"sheet {label}",
                        hints=hints,
                    )
                )
    return blocks


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool) or value is None:
        return ""
    return str(value).strip()


def _import() -> Any:
    try:
        import python_calamine
    except ImportError:
        raise MissingEngine(".xlsb files need python-calamine: pip install 'secscan'") from None
    return python_calamine


@dataclass(frozen=True)
class _Sheet:
    number: int | None  # position in the workbook, as calamine numbers sheets; None for an orphan part
    label: str
    path: str


class _Records:
    """The headers/footers, comments and drawings of every sheet of ``package``, and what was not read."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.workbook = _main_part(package)
        self.blocks: list[TextBlock] = []
        self.skipped: list[SkippedPart] = []
        self.read: set[str] = set()
        self.left = MAX_RECORDS  # records the walks of this workbook may still take
        self.graphics = GraphicText(package, folder_of(self.workbook))
        for sheet in self._sheets():
            self._sheet(sheet)
        for name in _parts(package, folder_of(self.workbook), _COMMENTS_PART):
            if name not in self.read:
                self._comments(name, None)
        self.blocks.extend(self.graphics.rest())  # charts no sheet's drawing shows

    def _walk(self, data: bytes, wanted: set[int], closing: int | None = None) -> Walk:
        result = walk(data, wanted, self.left, closing)
        self.left -= result.count
        return result

    def _sheets(self) -> list[_Sheet]:
        """The sheets of the workbook in its order, then sheet parts it does not list."""
        links = relationships(self.package, self.workbook)
        targets = {rid: target for rid, kind, target in links if kind in _SHEET_KINDS}
        sheets: list[_Sheet] = []
        workbook = self.package.read_optional(self.workbook)
        if workbook is not None:
            for number, record in enumerate(self._walk(workbook, {BUNDLE_SHEET}).records, 1):
                try:
                    bundle = bundle_sheet(record.payload)
                except BrokenRecord:
                    continue  # its part is read below, without a sheet number
                label = bundle.name if bundle.state == "visible" else f"{bundle.name}, {bundle.state}"
                if bundle.rel_id in targets:
                    sheets.append(_Sheet(number, label, targets[bundle.rel_id]))
        listed = {sheet.path for sheet in sheets}
        folder = folder_of(self.workbook)
        others = [*targets.values(), *_parts(self.package, folder, _SHEET_PART)]
        for path in dict.fromkeys(others):
            if path not in listed and not _BINARY_INDEX.fullmatch(path):
                sheets.append(_Sheet(None, "not in the workbook's sheet list", path))
        return sheets

    def _sheet(self, sheet: _Sheet) -> None:
        if sheet.path not in self.package or sheet.path in self.read:
            return
        self.read.add(sheet.path)
        result = self._walk(self.package.read(sheet.path), {HEADER_FOOTER}, END_SHEET)
        for record in result.records:
            fields, problem = header_footer(record.payload)
            for field, code in fields:
                part = "header" if field.endswith("Header") else "footer"
                for line, (section, text, struck) in enumerate(header_footer_sections(code), 1):
                    self.blocks.append(
                        TextBlock(
                            text,
                            part=part,
                            page=sheet.number,
                            line=line,
                            origin=f"{sheet.path} ({sheet.label}) {field} {section}",
                            hints=frozenset({"strike"}) if struck else frozenset(),
                        )
                    )
            if problem:
                where = f"{sheet.path}: header/footer record at byte {record.offset:,}"
                self.skipped.append(SkippedPart("header", f"{where} is damaged ({problem})"))
        if result.problem:
            reason = f"{sheet.path}: {result.problem}; a page header/footer past that point is not read"
            self.skipped.append(SkippedPart("header", reason))
        for _, kind, target in relationships(self.package, sheet.path):
            if target not in self.package:
                continue
            if kind == "comments" and target not in self.read:
                self._comments(target, sheet.number)
            elif kind == "threadedComment" and target not in self.read:
                self._threaded_comments(target, sheet.number)
            elif kind == "drawing" and target not in self.read:
                self._drawing(target, sheet.number)
                self.blocks.extend(self.graphics.linked(target, sheet.number))

    def _comments(self, path: str, number: int | None) -> None:
        self.read.add(path)
        result = self._walk(self.package.read(path), {BEGIN_COMMENT, COMMENT_TEXT}, END_COMMENTS)
        cell = ""
        line = 0
        for record in result.records:
            if record.kind == BEGIN_COMMENT:
                cell = comment_cell(record.payload)
                continue
            try:
                raw = comment_text(record.payload)
            except BrokenRecord as exc:
                where = f"{path}: comment record at byte {record.offset:,}"
                self.skipped.append(SkippedPart("comment", f"{where} is damaged ({exc})"))
                continue
            text = " ".join(piece.strip() for piece in raw.splitlines() if piece.strip())
            if text:
                line += 1
                origin = f"{path} {cell}".strip()
                self.blocks.append(TextBlock(text, part="comment", page=number, line=line, origin=origin))
        if result.problem:
            reason = f"{path}: {result.problem}; the comments past that point are not read"
            self.skipped.append(SkippedPart("comment", reason))

    def _threaded_comments(self, path: str, number: int | None) -> None:
        self.read.add(path)
        root = parse_xml(self.package.read(path), path)
        for line, comment in enumerate(root.iter("{*}threadedComment"), 1):
            text = " ".join(t.strip() for t in comment.itertext() if t.strip())
            if text:
                origin = f"{path} {comment.get('ref', '')}".strip()
                self.blocks.append(TextBlock(text, part="comment", page=number, line=line, origin=origin))

    def _drawing(self, path: str, number: int | None) -> None:
        self.read.add(path)
        root = parse_xml(self.package.read(path), path)
        for line, paragraph in enumerate(root.iter("{*}p"), 1):
            text = paragraph_text(paragraph)
            if text:
                self.blocks.append(
                    TextBlock(
                        text, part="textbox", page=number, line=line, origin=path, hints=run_hints(paragraph)
                    )
                )


def _parts(package: Package, folder: str, pattern: re.Pattern[str]) -> list[str]:
    """The parts under ``folder`` whose path below it matches ``pattern``, in package order."""
    return [n for n in package.names if n.startswith(folder) and pattern.fullmatch(n[len(folder) :])]


def _main_part(package: Package) -> str:
    for _, kind, target in relationships(package, ""):
        if kind == "officeDocument":
            return target
    return "xl/workbook.bin"
