"""Fuzz harness: BIFF12 records of .xlsb parts (workbook sheet list, sheet headers/footers, comments).

The input is a list of package parts (``fuzz_containers``) stored into a ZIP,
so mutations reach the record streams rather than the ZIP directory. The whole
extractor runs first; since calamine refuses many mutated workbooks before the
record walk runs, the record walk (``xlsb._Records``) is also run on its own,
as ``extract`` runs it.
"""

from __future__ import annotations

from collections.abc import Iterator

from fuzz_common import CONFIG, converted, corpus_files, fixture_files, guarded
from fuzz_containers import build_zip, decode, encode, streams_of_zip

from secscan.extractors.office import xlsb
from secscan.extractors.office.zipparts import Package

MAX_LEN = 256 * 1024


def TestOneInput(data: bytes) -> None:
    package = build_zip(decode(data))
    guarded(lambda: xlsb.extract(package, CONFIG))
    guarded(lambda: xlsb._Records(Package(package, CONFIG.limits, "binary workbook")))


def seeds() -> Iterator[bytes]:
    yield from fixture_files("fuzz/xlsb/*")
    files = fixture_files("xlsb/*.xlsb")
    yield from converted(files, lambda data: encode(streams_of_zip(data)))
    yield from converted(corpus_files("xlsb"), lambda data: encode(streams_of_zip(data)))
