"""Excel binary workbook .xlsb -> text blocks (cells, sheet names, properties).

python-calamine (MIT, Rust) is the one maintained reader of BIFF12 for Python;
writing a BIFF12 record reader here would duplicate it. Before calamine sees the
file, the ZIP directory is checked against the expansion limits (calamine
inflates parts whole), and a Rust panic, which Python raises as a
``BaseException`` that ``except Exception`` misses, is turned into a one-line
error. Comments and page headers/footers of .xlsb are binary records calamine
does not expose: they are listed as skipped parts, never silently dropped.
"""

from __future__ import annotations

import io
from typing import Any

from secscan.config import ScanConfig
from secscan.errors import CorruptFile, LimitExceeded, MissingEngine, ScanError
from secscan.extractors.docx_props import property_blocks
from secscan.extractors.textbudget import TextBudget
from secscan.extractors.zipparts import OptionalParts, Package
from secscan.model import Extraction, SkippedPart, TextBlock

_RATIO_FLOOR = 4 << 20


def extract(data: bytes, config: ScanConfig) -> Extraction:
    package = Package(data, config.limits, "binary workbook")
    _check_sizes(package, config)
    calamine = _import()
    try:
        blocks = _read(calamine, data, TextBudget(config.limits, "binary workbook"))
    except (KeyboardInterrupt, SystemExit, ScanError):
        raise
    except BaseException as exc:
        reason = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise CorruptFile(f"unreadable .xlsb: {reason}") from None
    blocks += property_blocks(OptionalParts(package))
    skipped = (
        SkippedPart("comment", "comments of .xlsb files are not read"),
        SkippedPart("header", "page headers/footers of .xlsb files are not read"),
    )
    return Extraction(
        tuple(blocks),
        parts_read=("table", "metadata"),
        skipped=skipped,
        pages=sum(1 for b in blocks if b.origin.startswith("sheet name")),
    )


def _check_sizes(package: Package, config: ScanConfig) -> None:
    total = 0
    for info in package.zip.infolist():
        total += info.file_size
        ratio_cap = max(_RATIO_FLOOR, info.compress_size * config.limits.max_ratio)
        if info.file_size > ratio_cap or total > config.limits.max_expanded_size:
            raise LimitExceeded(f".xlsb part {info.filename} declares {info.file_size:,} bytes unpacked")


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
