"""Fuzz harness: the Outlook .msg reader (property streams, code pages, attachments, embedded messages,
the compressed RTF body), on compound files built from a fuzzed stream list (``fuzz_containers``)."""

from __future__ import annotations

from collections.abc import Iterator

from fuzz_common import CONFIG, converted, corpus_files, fixture_files, guarded
from fuzz_containers import build_cfb, decode, encode, streams_of_ole

from secscan.extractors.mail import msg

MAX_LEN = 256 * 1024


def TestOneInput(data: bytes) -> None:
    container = build_cfb(decode(data))
    guarded(lambda: msg.extract(container, CONFIG))


def seeds() -> Iterator[bytes]:
    yield from fixture_files("fuzz/msg/*")
    yield from converted(fixture_files("containers/*.msg"), lambda data: encode(streams_of_ole(data)))
    yield from converted(corpus_files("msg", limit=20), lambda data: encode(streams_of_ole(data)))
