"""The record walk EMF and WMF share: bounds, caps, damage, saved states and placing text.

Both formats are a header and then records that each start with a type and a
size, up to an EOF record. The walk checks each record against the file before
its handler sees it, stops at a record of size 0 or one that runs past the end
(a damaged file has no trustworthy next record), counts every record against
the cap, and turns a handler's ``Damaged`` into a counted damaged record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Self

from secscan.extractors.metafile.charsets import clean, decode8
from secscan.extractors.metafile.dc import DC
from secscan.extractors.metafile.lines import Frame, Layer
from secscan.extractors.metafile.reader import Reader
from secscan.extractors.metafile.records import Damaged
from secscan.extractors.metafile.xform import Xf
from secscan.model import SkippedPart

_ETO_GLYPH_INDEX = 0x10  # ExtTextOut option: the string is glyph indices, not characters
_MAX_SAVED = 10_000  # saved states kept: a file that only saves must not grow memory without end


class Walker:
    """One EMF or WMF picture being played: its device context, layer and record walk."""

    fmt = ""
    head = 8  # bytes of a record's type and size: also the smallest record
    eof = 14  # the EOF record's type

    def __init__(self, reader: Reader, data: bytes, depth: int, origin: str) -> None:
        self.reader = reader
        self.data = data
        self.depth = depth
        self.dc = DC()
        self.saved: list[DC] = []
        self.layer = Layer(origin, None)
        reader.layers.append(self.layer)  # before any copy nested in it: its lines win the dedupe

    def record_at(self, pos: int) -> tuple[int, int]:
        """(type, size in bytes) of the record at ``pos``, whose first ``head`` bytes are in the file."""
        raise NotImplementedError

    def mapping(self) -> Xf:
        """Logical coordinates -> the picture's, as the device context stands."""
        raise NotImplementedError

    def play(
        self, pos: int, handlers: Mapping[int, Callable[[Self, bytes], None]], have: int, declared: int
    ) -> None:
        """Walk the records from ``pos`` to EOF. A file that ends before its EOF record is truncated
        when the ``have`` bytes it holds are fewer than the header's ``declared`` size."""
        data, number = self.data, 1
        while pos < len(data):
            if pos + self.head > len(data):
                self.stop(number, pos, "is cut short")
                return
            kind, size = self.record_at(pos)
            if size < self.head or pos + size > len(data):
                self.stop(number, pos, "has size 0" if size == 0 else f"of {size:,} bytes runs past the end")
                return
            if not self.reader.count_record():
                return
            number += 1
            if kind == self.eof:
                return
            handler = handlers.get(kind)
            if handler is not None:
                try:
                    handler(self, data[pos : pos + size])
                except Damaged:
                    self.reader.broken(self.fmt, number, kind)
            pos += size
        if declared > have:
            reason = f"truncated: {have:,} of {declared:,} bytes; the rest not read"
        else:
            reason = "ends without an EOF record (truncated?)"
        self.reader.skipped.append(SkippedPart("body", reason))

    def stop(self, number: int, pos: int, why: str) -> None:
        left = len(self.data) - pos
        self.reader.skipped.append(
            SkippedPart(
                "body",
                f"damaged after record {number}: the next {self.fmt} record (byte {pos:,}) {why}; "
                f"{left:,} bytes not read",
            )
        )

    def save(self) -> None:
        if len(self.saved) < _MAX_SAVED:
            self.saved.append(replace(self.dc))

    def restore(self, which: int) -> None:
        """Back to a saved state: ``which`` < 0 counts back from the last, > 0 is its number."""
        steps = -which if which < 0 else len(self.saved) - which + 1 if which > 0 else 0
        for _ in range(min(steps, len(self.saved))):
            self.dc = self.saved.pop()

    def glyph_indices(self, options: int) -> bool:
        """Whether the string is glyph indices (ETO_GLYPH_INDEX); counted: its characters are not here."""
        if options & _ETO_GLYPH_INDEX:
            self.reader.glyph_runs += 1
            return True
        return False

    def decode8(self, raw: bytes) -> str:
        return decode8(raw, self.dc.font.charset, self.dc.font.face)

    def place(self, x: float, y: float, text: str, advance: float | None) -> None:
        """Put a string drawn at logical (x, y) on the picture."""
        text = clean(text)
        if text:
            self.layer.add(self.dc.run(self.mapping(), x, y, text, advance))

    def finish(self, frame: Frame | None) -> None:
        self.layer.frame = frame
