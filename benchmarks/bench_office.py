"""Office readers against the libraries they were chosen over, on the real-world corpus.

    python benchmarks/bench_office.py [CORPUS_DIR]

For each format, both readers run over the same corpus files in the same run;
the table gives files read, seconds, and the alternative's time as a ratio of
secscan's (above 1 = secscan faster). Alternatives that are not installed are
skipped (openpyxl, striprtf).
"""

from __future__ import annotations

import csv
import io
import sys
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing
from secscan.config import ScanConfig
from secscan.extractors.legacy import rtf, xls
from secscan.extractors.office import xlsx
from secscan.extractors.text import html
from secscan.match.catalog import Catalog

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "realworld"
CONFIG = ScanConfig(catalog=Catalog())


def _openpyxl(data: bytes) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass


def _calamine(data: bytes) -> None:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def _striprtf(data: bytes) -> None:
    from striprtf.striprtf import rtf_to_text

    rtf_to_text(data.decode("latin-1"), errors="ignore")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _stdlib_html(data: bytes) -> None:
    parser = _Text()
    parser.feed(html.decode_html(data))
    parser.close()


def _time(reader: Callable[[bytes], Any], files: list[bytes]) -> tuple[int, float]:
    read = 0
    started = time.perf_counter()
    for data in files:
        try:
            reader(data)
            read += 1
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            pass
    return read, time.perf_counter() - started


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    rows = list(csv.DictReader((corpus / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    by_format: dict[str, list[bytes]] = {}
    for row in rows:
        by_format.setdefault(row["format"], []).append((corpus / row["path"]).read_bytes())
    cases = [
        ("xlsx", lambda d: xlsx.extract(d, CONFIG), "openpyxl", _openpyxl),
        ("xls", lambda d: xls.extract(d, CONFIG), "python-calamine", _calamine),
        ("rtf", lambda d: rtf.extract(d, CONFIG), "striprtf", _striprtf),
        ("html", lambda d: html.extract(d, CONFIG), "html.parser", _stdlib_html),
    ]
    print(
        f"{'format':<6} {'files':>5}  {'secscan read':>12} {'s':>7}  "
        f"{'alternative':<16} {'read':>5} {'s':>7} {'ratio':>6}"
    )
    for fmt, ours, name, theirs in cases:
        files = by_format.get(fmt, [])
        our_read, our_time = _time(ours, files)
        their_read, their_time = _time(theirs, files)
        ratio = their_time / our_time if our_time else float("nan")
        print(
            f"{fmt:<6} {len(files):>5}  {our_read:>12} {our_time:>7.3f}  {name:<16} {their_read:>5} "
            f"{their_time:>7.3f} {ratio:>6.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
