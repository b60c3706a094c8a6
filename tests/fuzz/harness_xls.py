"""Fuzz harness: the Excel 97-2003 reader (xlrd cells, and the own BIFF walk: headers/footers,
text boxes, the drawing group, MBD storages).

The input is a list of streams (``fuzz_containers``) built into a valid compound
file, so mutations reach the Workbook stream, not olefile.
"""

from __future__ import annotations

from collections.abc import Iterator

from fuzz_common import CONFIG, converted, corpus_files, fixture_files, guarded
from fuzz_containers import build_cfb, decode, encode, streams_of_ole

import secscan.extractors._common.decrypt  # noqa: F401  # imported lazily by the reader: instrument it too
from secscan.extractors.legacy import xls

MAX_LEN = 512 * 1024


def TestOneInput(data: bytes) -> None:
    container = build_cfb(decode(data))
    guarded(lambda: xls.extract(container, CONFIG))


def seeds() -> Iterator[bytes]:
    yield from fixture_files("fuzz/xls/*")
    files = fixture_files("legacy/*.xls", "office/marked.xls")
    yield from converted(files, lambda data: encode(streams_of_ole(data)))
    yield from converted(corpus_files("xls", limit=25), lambda data: encode(streams_of_ole(data)))
