"""Excel 97-2003 .xls (BIFF2-8; also Kingsoft .et saved in BIFF) -> text blocks.

Cells come from xlrd (BSD, pure Python; reads BIFF2 to BIFF8 with their code
pages). Measured on the 92 corpus .xls files, xlrd alone read 82 in 0.17 s and
python-calamine 81 in 0.11 s (this whole reader, with the record walk, the
properties and the decryption attempts: 0.79 s, ``benchmarks/bench_office.py``),
but calamine panicked on one (a Rust panic is not an ``Exception``) and its
allocation on calamine/OOM_alloc.xls is unbounded, so xlrd it is. Page headers/footers,
comments and text boxes, which xlrd drops,
come from a small BIFF record walk (``xls_biff``); properties from the OLE
summary streams. An encrypted workbook (FILEPASS) is decrypted with the
supplied passwords (and Excel's default ``VelvetSweatshop``) or reported.

Embedded objects (the ``MBD*`` storages) come back as members through
``ole_objects`` (``book.xls!MBD0009CF7B/report.txt``), and the pictures of
the drawing group's BStore as ``picture1.png`` ... through ``officeart``.
"""

from __future__ import annotations

import io
from typing import Any

from secscan.config import ScanConfig
from secscan.errors import CorruptFile
from secscan.extractors._common.bounded import Meter
from secscan.extractors._common.excel_hf import header_footer_sections
from secscan.extractors._common.textbudget import TextBudget
from secscan.extractors.legacy.officeart import Inflater, bstore
from secscan.extractors.legacy.ole_objects import Objects, storage_objects
from secscan.extractors.legacy.ole_props import property_blocks
from secscan.extractors.legacy.parts import Pictures, embedded_parts
from secscan.extractors.legacy.xls_biff import Sheet, walk
from secscan.model import Extraction, FileKind, SkippedPart, TextBlock

KINDS = frozenset({FileKind.XLS})

_VISIBILITY = {1: "hidden", 2: "very hidden"}


def extract(data: bytes, config: ScanConfig) -> Extraction:
    ole, stream = _workbook_stream(data)
    biff = walk(stream)
    if biff.encrypted:
        from secscan.extractors._common.decrypt import decrypt_office

        data = decrypt_office(data, config.passwords, "Excel workbook")
        ole, stream = _workbook_stream(data)
        biff = walk(stream)
    book = _open_book(data)
    blocks: list[TextBlock] = []
    by_name = {sheet.name: sheet for sheet in biff.sheets}
    budget = TextBudget(config.limits, "workbook")
    for number, sheet in enumerate(book.sheets(), 1):
        state = _VISIBILITY.get(sheet.visibility, "")
        origin = f"sheet {sheet.name}" + (f" ({state})" if state else "")
        blocks.append(
            TextBlock(sheet.name, part="metadata", page=number, line=1, origin=f"sheet name{origin[5:]}")
        )
        blocks += _cell_blocks(sheet, number, origin, budget)
        blocks += _biff_blocks(by_name.get(sheet.name), number, origin)
    meter = Meter(config.limits)
    objects = Objects()
    unread_props: list[SkippedPart] = []
    if ole is not None:
        props, unread_props = property_blocks(ole)
        blocks += props
        storages = [e for e in ole.listdir(streams=False, storages=True) if len(e) == 1 and _is_mbd(e[0])]
        objects = storage_objects(data, ole, storages, meter)
        ole.close()
    pictures = Pictures(len(data), found=list(bstore(bytes(biff.drawing_group), inflater=Inflater(meter))))
    members, skipped = embedded_parts(objects, pictures, meter)
    return Extraction(
        tuple(blocks),
        parts_read=("table", "header", "footer", "comment", "textbox", "metadata"),
        pages=book.nsheets,
        members=members,
        skipped=(*skipped, *unread_props),
    )


def _is_mbd(name: str) -> bool:
    return name.upper().startswith("MBD")


def _workbook_stream(data: bytes) -> tuple[Any, bytes]:
    """(open OleFileIO or None, the BIFF stream); BIFF2-4 files are the stream itself."""
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        return None, data
    import olefile

    try:
        ole = olefile.OleFileIO(data)
        name = next(e for e in ole.listdir() if len(e) == 1 and e[0].lower() in ("workbook", "book"))
        return ole, ole.openstream(name).read()
    except StopIteration:
        raise CorruptFile("no Workbook stream in this .xls") from None
    except Exception as exc:  # olefile raises assorted errors on damaged containers
        raise CorruptFile(f"damaged OLE container: {exc}") from None


def _open_book(data: bytes) -> Any:
    import xlrd

    try:
        # xlrd logs to stdout by default, which would corrupt JSON reports.
        return xlrd.open_workbook(file_contents=data, logfile=io.StringIO(), verbosity=0, on_demand=False)
    except xlrd.XLRDError as exc:
        raise CorruptFile(f"unreadable Excel workbook: {exc}") from None
    except Exception as exc:  # xlrd's CompDocError, AssertionError, struct.error ... on damaged files
        raise CorruptFile(f"damaged Excel workbook: {type(exc).__name__}: {exc}") from None


def _cell_blocks(sheet: Any, number: int, origin: str, budget: TextBudget) -> list[TextBlock]:
    blocks = []
    for row in range(sheet.nrows):
        cells = [text for cell in sheet.row(row) if (text := _cell_text(cell))]
        if cells:
            budget.charge(sum(map(len, cells)))
            hints = frozenset({"alone"}) if len(cells) == 1 else frozenset()
            blocks.append(
                TextBlock(
                    "\t".join(cells), part="table", page=number, line=row + 1, origin=origin, hints=hints
                )
            )
    return blocks


def _cell_text(cell: Any) -> str:
    if cell.ctype == 1:  # text
        return str(cell.value).strip()
    if cell.ctype in (2, 3):  # number, date serial: a 份号 such as 000001 is stored as a number
        value = float(cell.value)
        return str(int(value)) if value.is_integer() else repr(value)
    return ""


def _biff_blocks(sheet: Sheet | None, number: int, origin: str) -> list[TextBlock]:
    if sheet is None:
        return []
    blocks = []
    for part, codes in (("header", sheet.headers), ("footer", sheet.footers)):
        for code in codes:
            for line, (section, text, struck) in enumerate(header_footer_sections(code), 1):
                hints = frozenset({"strike"}) if struck else frozenset()
                blocks.append(
                    TextBlock(
                        text,
                        part=part,
                        page=number,
                        line=line,
                        origin=f"{origin} {part} {section}",
                        hints=hints,
                    )
                )
    for line, text in enumerate(sheet.texts, 1):
        blocks.append(
            TextBlock(text, part="comment", page=number, line=line, origin=f"{origin} note or text box")
        )
    return blocks
