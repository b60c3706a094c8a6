"""Fuzz harness: the format sniffers (magic numbers, OLE and ZIP directories, text kinds, WeChat .dat)."""

from __future__ import annotations

from collections.abc import Iterator

from fuzz_common import corpus_files, fixture_files, guarded

from secscan.detect.sniff import detect

MAX_LEN = 64 * 1024
# Names change which tie-breaks run (CSV by extension, WeChat .dat, password-wrapped OOXML).
_NAMES = ("file", "notes.csv", "photo.dat", "report.docx", "mail.eml", "sheet.tsv")


def TestOneInput(data: bytes) -> None:
    name = _NAMES[data[0] % len(_NAMES)] if data else "file"
    guarded(lambda: detect(data, name))


def seeds() -> Iterator[bytes]:
    yield from fixture_files("documents/*.txt", "containers/*.eml", "images/*.dat", "fuzz/detect/*")
    yield from fixture_files("office/marked.*", "containers/*.msg", "containers/*.mbox")
    for kind in ("text", "html", "eml", "mbox", "wps-works", "ole-other", "ole-malformed", "iwork", "xps"):
        yield from corpus_files(kind, limit=3)
