"""Fuzz harness: TNEF (winmail.dat) attributes, their MAPI property lists, and compressed RTF (LZFu)."""

from __future__ import annotations

from collections.abc import Iterator

from fuzz_common import CONFIG, converted, corpus_files, fixture_files, guarded
from fuzz_containers import streams_of_ole

from secscan.extractors.mail import tnef
from secscan.extractors.mail.mapiprops import parse_properties
from secscan.extractors.mail.rtf_compressed import decompress_rtf

MAX_LEN = 128 * 1024


def TestOneInput(data: bytes) -> None:
    guarded(lambda: tnef.extract(data, CONFIG))
    # The same bytes as a bare property list and as a PR_RTF_COMPRESSED value reach the inner parsers
    # even when the TNEF framing is broken.
    guarded(lambda: parse_properties(data))
    guarded(lambda: decompress_rtf(data, 64 * 1024))


def seeds() -> Iterator[bytes]:
    yield from fixture_files("containers/winmail.dat", "fuzz/tnef/*")
    yield from corpus_files("tnef")
    yield from converted(fixture_files("containers/*.msg"), _compressed_rtf)


def _compressed_rtf(data: bytes) -> bytes:
    """An Outlook message's PR_RTF_COMPRESSED body: real LZFu input."""
    return streams_of_ole(data)[("__substg1.0_10090102",)]
