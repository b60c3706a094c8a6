"""What one metafile and the copies nested in it give, within the caps, and what was not read.

Every walker (EMF, EMF+, WMF, and each nested copy) reports into one
``Reader``: layers of placed text, metadata, distinct pictures, skipped parts
and the counts behind the "not read" lines. The caps are counted here, across
all nested copies together, so a copy cannot multiply them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from secscan.errors import CorruptFile
from secscan.extractors.metafile.bitmaps import Picture
from secscan.extractors.metafile.lines import Layer, text_blocks
from secscan.model import Extraction, Member, SkippedPart

MAX_RECORDS = 1_000_000  # a Python walk of this many records takes about a second
MAX_CHARS = 500_000  # far above any picture's text; bounds the memory glyph runs take (~150 MB)
MAX_NESTING = 2  # an EMF's WMF copy, that WMF's EMF copy


class Reader:
    """What one metafile (and the copies nested in it) gives: layers of runs, members, skips."""

    def __init__(self, read: Callable[[Reader, bytes, int, str], None]) -> None:
        self.read = read  # walks one EMF or WMF (at a nesting depth, with an origin) into this reader
        self.layers: list[Layer] = []
        self.metadata: list[tuple[str, str]] = []
        self.members: dict[bytes, Member] = {}
        self.skipped: list[SkippedPart] = []
        self.records = 0
        self.chars = 0
        self.glyph_runs = 0
        self.damaged: list[tuple[str, int, int]] = []  # the first: (format, record number, record type)
        self.damaged_count = 0
        self.unread: dict[str, int] = {}
        self.capped = False

    def nested(self, data: bytes, depth: int, origin: str) -> None:
        """A copy of the picture inside it: read too, its failure a skipped part, not the file's."""
        if depth > MAX_NESTING:
            self.skipped.append(SkippedPart("body", f"{origin}: nested deeper than {MAX_NESTING}; not read"))
            return
        try:
            self.read(self, data, depth, origin)
        except CorruptFile as exc:
            self.skipped.append(SkippedPart("body", f"{origin}: {exc}"))

    def broken(self, fmt: str, number: int, kind: int) -> None:
        """Count a record whose fields point outside it; the first is named in the report."""
        if not self.damaged:
            self.damaged.append((fmt, number, kind))
        self.damaged_count += 1

    def count_record(self) -> bool:
        """Count one record; False once the cap is reached (the walk must stop)."""
        if self.records >= MAX_RECORDS:
            if not self.capped:
                self.capped = True
                reason = f"records after the first {MAX_RECORDS:,} not read (cap)"
                self.skipped.append(SkippedPart("body", reason))
            return False
        self.records += 1
        return True

    def charge(self, count: int) -> bool:
        """Reserve ``count`` characters of text; False (and a skip, once) past MAX_CHARS."""
        if self.chars + count > MAX_CHARS:
            if self.chars <= MAX_CHARS:
                self.chars = MAX_CHARS + 1
                reason = f"text after the first {MAX_CHARS:,} characters not read (cap)"
                self.skipped.append(SkippedPart("body", reason))
            return False
        self.chars += count
        return True

    def picture(self, data: bytes, ext: str) -> None:
        digest = hashlib.sha256(data).digest()
        if data and digest not in self.members:
            self.members[digest] = Member(f"picture{len(self.members) + 1}.{ext}", data)

    def bitmap(self, found: Picture | None) -> None:
        """A DIB made a picture, or counted as not read when its header is not one this reader knows."""
        if found is None:
            self.not_read("bitmap with an unknown DIB header")
        else:
            self.picture(*found)

    def not_read(self, what: str) -> None:
        self.unread[what] = self.unread.get(what, 0) + 1

    def extraction(self) -> Extraction:
        return Extraction(
            tuple(text_blocks(self.layers, self.metadata)),
            parts_read=("body", "metadata"),
            skipped=(*self.skipped, *self._counted()),
            members=tuple(self.members.values()),
        )

    def _counted(self) -> list[SkippedPart]:
        """The skipped parts that sum up the walk: glyph-index runs, damaged records, unread pictures."""
        skipped = []
        if self.glyph_runs:
            runs = _plural(self.glyph_runs, "text run")
            reason = f"{runs} drawn as font glyph indices: their characters are not in the file"
            skipped.append(SkippedPart("body", reason))
        if self.damaged:
            fmt, number, kind = self.damaged[0]
            records = _plural(self.damaged_count, "damaged record")
            reason = f"{records} not read (first: {fmt} record {number}, type {kind:#x})"
            skipped.append(SkippedPart("body", reason))
        if self.unread:
            count = sum(self.unread.values())
            kinds = ", ".join(f"{n} {what}" for what, n in sorted(self.unread.items()))
            skipped.append(SkippedPart("pictures", f"{count} not read ({kinds})"))
        return skipped


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'s' if count > 1 else ''}"
