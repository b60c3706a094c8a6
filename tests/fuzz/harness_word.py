"""Fuzz harness: the Word 97-2003 / 6-95 reader (FIB, piece table, stories, PlcfHdd, fields, ObjectPool).

The input is a list of streams (``fuzz_containers``) built into a valid compound
file, so mutations reach the WordDocument and table streams, not olefile.
"""

from __future__ import annotations

from collections.abc import Iterator

from fuzz_common import CONFIG, converted, corpus_files, fixture_files, guarded
from fuzz_containers import build_cfb, decode, encode, streams_of_ole

import secscan.extractors._common.decrypt  # noqa: F401  # imported lazily by the reader: instrument it too
from secscan.extractors.legacy import word

MAX_LEN = 512 * 1024


def TestOneInput(data: bytes) -> None:
    container = build_cfb(decode(data))
    guarded(lambda: word.extract(container, CONFIG))


def seeds() -> Iterator[bytes]:
    yield from fixture_files("fuzz/word/*")
    files = fixture_files("legacy/*.doc", "office/marked.doc")
    yield from converted(files, lambda data: encode(streams_of_ole(data)))
    yield from converted(corpus_files("doc", limit=25), lambda data: encode(streams_of_ole(data)))
