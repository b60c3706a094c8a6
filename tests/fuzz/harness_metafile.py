"""Fuzz harness: EMF, EMF+ and WMF records, through the metafile extractor secscan registers for both."""

from __future__ import annotations

from collections.abc import Iterator

from fuzz_common import CONFIG, corpus_files, fixture_files, guarded

from secscan.extractors.metafile import metafile

MAX_LEN = 64 * 1024


def TestOneInput(data: bytes) -> None:
    guarded(lambda: metafile.extract(data, CONFIG))


def seeds() -> Iterator[bytes]:
    yield from fixture_files("metafile/*.emf", "metafile/*.wmf", "fuzz/metafile/*")
    yield from corpus_files("emf", "wmf")
