"""Fuzz harness: the RTF reader (tokens, destinations, code pages, \\pict and \\objdata groups)."""

from __future__ import annotations

from collections.abc import Iterator

from fuzz_common import CONFIG, corpus_files, fixture_files, guarded

from secscan.extractors.legacy import rtf

MAX_LEN = 128 * 1024


def TestOneInput(data: bytes) -> None:
    guarded(lambda: rtf.extract(data, CONFIG))


def seeds() -> Iterator[bytes]:
    yield from fixture_files("legacy/*.rtf", "office/*.rtf", "fuzz/rtf/*")
    yield from corpus_files("rtf", limit=25)
