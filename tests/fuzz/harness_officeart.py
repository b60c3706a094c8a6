"""Fuzz harness: the OfficeArt record walks (BLIP scan of Word's Data stream, PowerPoint's Pictures
stream, the drawing group's BStore) that find pictures in legacy Office files."""

from __future__ import annotations

from collections.abc import Iterator

from fuzz_common import CONFIG, converted, fixture_files, guarded
from fuzz_containers import streams_of_ole

from secscan.extractors._common.bounded import Meter
from secscan.extractors.legacy.officeart import Inflater, bstore, picture_members, scan, sequence

MAX_LEN = 256 * 1024
_STREAMS = ("Data", "Pictures", "1Table", "0Table")


def TestOneInput(data: bytes) -> None:
    inflater = Inflater(Meter(CONFIG.limits))
    guarded(lambda: picture_members(list(scan(data, inflater))))
    guarded(lambda: picture_members(list(sequence(data, inflater))))
    guarded(lambda: picture_members(list(bstore(data, delay=data, inflater=inflater))))


def seeds() -> Iterator[bytes]:
    yield from fixture_files("fuzz/officeart/*")
    yield from converted(fixture_files("legacy/*.doc", "legacy/*.ppt", "office/marked.doc"), _pictures)


def _pictures(data: bytes) -> bytes:
    streams = streams_of_ole(data)
    found = [body for path, body in streams.items() if path[-1] in _STREAMS and body]
    if not found:
        raise ValueError("no picture stream")
    return max(found, key=len)
