"""Single-stream compressors (.gz, .bz2, .xz): the one decompressed file is a member.

The member goes back through ``detect``, so a ``.tar.gz`` is read as a tar
and a gzip of a gzip as a gzip again (each layer one level of
``--max-depth``, which is what ends quine.gz, a gzip that contains itself).

Stdlib decompressors only, fed in chunks with ``max_length`` so output never
runs ahead of the limit checks: the ratio is measured against the compressed
bytes actually consumed, so a bomb stops after a few MB whatever its headers
claim. gzip's trailer size is mod 2**32 and cannot be trusted for this.

The pipeline reports the stream under the compressed file's own path (the layer
is no container level); :func:`inner_name` gives the name detect and the matcher
see: gzip's stored name, else the outer name without its compression suffix.
"""

from __future__ import annotations

import bz2
import lzma
import os
import zlib
from typing import Protocol

from secscan.config import ScanConfig
from secscan.errors import CorruptFile
from secscan.extractors._common.bounded import CHUNK, Meter
from secscan.extractors.archives.member_names import decode_name
from secscan.model import Extraction, FileKind, Member

KINDS = frozenset({FileKind.GZ, FileKind.BZ2, FileKind.XZ})

_DEFAULT_NAME = "(decompressed)"
_INPUT = 64 * 1024
# compression suffix -> what the decompressed file's name ends with instead
_SUFFIXES = {
    ".gz": "",
    ".gzip": "",
    ".bz2": "",
    ".xz": "",
    ".tgz": ".tar",
    ".taz": ".tar",
    ".tbz": ".tar",
    ".tbz2": ".tar",
    ".txz": ".tar",
}


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...

    def decompress(self, data: bytes, max_length: int = ...) -> bytes: ...

    @property
    def needs_input(self) -> bool: ...


def extract(data: bytes, config: ScanConfig) -> Extraction:
    kind = _kind_of(data)
    name = _gzip_name(data) if kind == "gz" else None
    name = name or _DEFAULT_NAME
    meter = Meter(config.limits)
    try:
        out = _decompress_all(data, kind, name, meter)
    except (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError) as exc:
        raise CorruptFile(f"damaged {kind} stream: {exc}") from None
    return Extraction(blocks=(), parts_read=("members",), members=(Member(name, out),))


def inner_name(outer: str, stored: str) -> str:
    """The decompressed file's name: ``stored`` (gzip's FNAME) when there was one, else ``outer``
    without its compression suffix (``a.tar.gz`` -> ``a.tar``, ``b.tgz`` -> ``b.tar``)."""
    if stored != _DEFAULT_NAME:
        return stored
    stem, suffix = os.path.splitext(outer)
    replacement = _SUFFIXES.get(suffix.lower())
    return stem + replacement if replacement is not None and stem else outer


def _kind_of(data: bytes) -> str:
    if data.startswith(b"\x1f\x8b"):
        return "gz"
    if data.startswith(b"BZh"):
        return "bz2"
    return "xz"


def _new(kind: str) -> _Decompressor:
    if kind == "gz":
        # zlib has no needs_input; _ZlibAdapter gives it the same shape as bz2/lzma.
        return _ZlibAdapter()
    if kind == "bz2":
        return bz2.BZ2Decompressor()
    return lzma.LZMADecompressor(memlimit=512 * 1024 * 1024)


def _decompress_all(data: bytes, kind: str, name: str, meter: Meter) -> bytes:
    """Decompress every concatenated stream (``cat a.gz b.gz`` is one valid .gz)."""
    chunks: list[bytes] = []
    produced = 0
    offset = 0
    while offset < len(data):
        decompressor = _new(kind)
        pending = b""
        while not decompressor.eof:
            if decompressor.needs_input:
                if offset >= len(data):
                    raise EOFError("compressed stream ends early (truncated)")
                pending = data[offset : offset + _INPUT]
                offset += len(pending)
            out = decompressor.decompress(pending, CHUNK)
            pending = b""
            produced += len(out)
            meter.check_member(name, produced, offset)
            chunks.append(out)
        offset -= len(decompressor.unused_data)
        if not _starts_stream(data[offset:], kind):
            break  # trailing garbage after the last stream is ignored, as gzip(1) does
    meter.add(produced)
    return b"".join(chunks)


def _starts_stream(rest: bytes, kind: str) -> bool:
    return rest.startswith({"gz": b"\x1f\x8b", "bz2": b"BZh"}.get(kind, b"\xfd7zXZ\x00"))


class _ZlibAdapter:
    def __init__(self) -> None:
        self._inner = zlib.decompressobj(wbits=31)
        self.unused_data = b""

    @property
    def eof(self) -> bool:
        return self._inner.eof

    @property
    def needs_input(self) -> bool:
        return not self._inner.unconsumed_tail

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._inner.decompress(self._inner.unconsumed_tail + data, max_length)
        self.unused_data = self._inner.unused_data
        return out


def _gzip_name(data: bytes) -> str | None:
    """The original file name stored in a gzip header (FNAME), if any."""
    if len(data) < 10 or not data[3] & 0x08:
        return None
    offset = 10
    if data[3] & 0x04:  # FEXTRA comes before FNAME
        if len(data) < 12:
            return None
        offset += 2 + int.from_bytes(data[10:12], "little")
    end = data.find(b"\x00", offset, offset + 4096)
    if end <= offset:
        return None
    return decode_name(data[offset:end], legacy="latin-1").replace("/", "_") or None
