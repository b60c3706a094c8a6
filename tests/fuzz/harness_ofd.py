"""Fuzz harness: the OFD reader (OFD.xml, Document.xml, pages, templates, annotations, resources,
custom tags, attachments), on ZIP packages built from a fuzzed part list (``fuzz_containers``)."""

from __future__ import annotations

from collections.abc import Iterator

from fuzz_common import CONFIG, converted, corpus_files, fixture_files, guarded
from fuzz_containers import build_zip, decode, encode, streams_of_zip

from secscan.extractors.office import ofd

MAX_LEN = 256 * 1024


def TestOneInput(data: bytes) -> None:
    package = build_zip(decode(data))
    guarded(lambda: ofd.extract(package, CONFIG))


def seeds() -> Iterator[bytes]:
    yield from fixture_files("fuzz/ofd/*")
    files = fixture_files("ofd/*.ofd", "office/marked.ofd")
    yield from converted(files, lambda data: encode(streams_of_zip(data)))
    yield from converted(corpus_files("ofd", limit=25), lambda data: encode(streams_of_zip(data)))
