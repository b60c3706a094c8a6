"""CSV/TSV -> one text block per row, cells joined by tabs.

Decoding reuses the text extractor's cascade, so a GBK-encoded CSV saved by a
Chinese Excel reads right. The stdlib ``csv`` module handles quoted cells with
commas and line breaks inside; the delimiter is the one of ``, ; \\t |`` most
frequent in the first line (Excel writes ``;`` in many locales). A row that
the csv module refuses (a cell over its 128 KB field limit) falls back to
plain lines rather than being dropped.
"""

from __future__ import annotations

import csv
import io

from secscan.config import ScanConfig
from secscan.extractors.text import plain as text
from secscan.model import Extraction, FileKind, TextBlock

KINDS = frozenset({FileKind.CSV, FileKind.TSV})

_DELIMITERS = ",;\t|"


def extract(data: bytes, config: ScanConfig) -> Extraction:
    decoded = _decode(data)
    first_line = decoded.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count) if first_line else ","
    try:
        blocks = _rows(decoded, delimiter)
    except csv.Error:
        return text.extract(data, config)
    return Extraction(tuple(blocks), parts_read=("table",))


def _decode(data: bytes) -> str:
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    return data.decode(text.choose_encoding(data), "replace")


def _rows(decoded: str, delimiter: str) -> list[TextBlock]:
    blocks = []
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)
    for number, row in enumerate(reader, 1):
        cells = [" ".join(cell.split()) for cell in row if cell.strip()]
        if cells:
            hints = frozenset({"alone"}) if len(cells) == 1 else frozenset()
            blocks.append(TextBlock("\t".join(cells), part="table", line=number, origin="csv", hints=hints))
    return blocks
