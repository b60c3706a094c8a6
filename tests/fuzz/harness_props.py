"""Fuzz harness: OLE property sets (SummaryInformation, the user-defined section of
DocumentSummaryInformation) and the .msg ``__properties_version1.0`` and TNEF MAPI property lists."""

from __future__ import annotations

from collections.abc import Iterator

import olefile
from fuzz_common import converted, corpus_files, fixture_files, guarded
from fuzz_containers import build_cfb, decode, encode, streams_of_ole

from secscan.extractors.legacy.ole_props import property_blocks
from secscan.extractors.mail.mapiprops import parse_properties
from secscan.extractors.mail.msgprops import MsgStorage

MAX_LEN = 64 * 1024
_PROPERTY_STREAMS = ("\x05SummaryInformation", "\x05DocumentSummaryInformation", "__properties_version1.0")


def TestOneInput(data: bytes) -> None:
    streams = decode(data)
    with olefile.OleFileIO(build_cfb(streams)) as ole:
        guarded(lambda: property_blocks(ole))
        guarded(lambda: [MsgStorage(ole, []).string(prop) for prop in (0x0037, 0x1000, 0x0E1D)])
    # secscan calls property_blocks (which reads the user-defined section itself) and, for TNEF,
    # parse_properties on a raw property list; the fuzzed streams are both.
    for body in streams.values():
        guarded(lambda body=body: parse_properties(body))  # type: ignore[misc]


def seeds() -> Iterator[bytes]:
    yield from fixture_files("fuzz/props/*")
    files = fixture_files("legacy/*.doc", "legacy/*.xls", "legacy/*.ppt", "containers/*.msg")
    yield from converted(files, _property_streams)
    yield from converted(corpus_files("doc", "xls", "ppt", limit=30), _property_streams)


def _property_streams(data: bytes) -> bytes:
    streams = streams_of_ole(data)
    kept = {path: body for path, body in streams.items() if path[-1] in _PROPERTY_STREAMS}
    kept.update({path: body for path, body in streams.items() if path[-1].startswith("__substg1.0_")})
    if not kept:
        raise ValueError("no property streams")
    return encode(kept)
