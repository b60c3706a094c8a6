"""The WMF object table (MS-WMF 3.1.4): fonts by index, with the charset their 8-bit text is in.

WMF objects have no handles: each new object (font, pen, brush, palette,
region) takes the lowest free slot of a table whose size the header gives,
and records select or delete a slot by index. So every kind of object is
counted to keep the indices right, though only fonts are kept.
"""

from __future__ import annotations

from secscan.extractors.metafile.charsets import face_name
from secscan.extractors.metafile.dc import Font, logfont
from secscan.extractors.metafile.records import unpack

_MAX_OBJECTS = 65536  # a 16-bit index cannot name more
_OTHER = "object"  # a pen, brush, palette or region: holds a slot, nothing to read


class ObjectTable:
    def __init__(self, size: int) -> None:
        self.held: list[Font | str | None] = [None] * size

    def create_font(self, rec: bytes) -> None:
        """META_CREATEFONTINDIRECT: a Font object, its face name 8-bit."""
        height, _, escapement, _, weight = unpack("<5h", rec, 6)
        strike, charset = unpack("<BB", rec, 18)
        face = face_name(rec[24:56].split(b"\x00")[0])
        self._add(logfont(height, escapement, weight, strike, charset, face))

    def create_other(self, rec: bytes) -> None:
        self._add(_OTHER)

    def font(self, rec: bytes) -> Font | None:
        """The font META_SELECTOBJECT selects; None when it selects another kind of object."""
        (index,) = unpack("<H", rec, 6)
        held = self.held[index] if index < len(self.held) else None
        return held if isinstance(held, Font) else None

    def delete(self, rec: bytes) -> None:
        (index,) = unpack("<H", rec, 6)
        if index < len(self.held):
            self.held[index] = None

    def _add(self, value: Font | str) -> None:
        """A new object takes the lowest free index of the object table."""
        for index, held in enumerate(self.held):
            if held is None:
                self.held[index] = value
                return
        if len(self.held) < _MAX_OBJECTS:
            self.held.append(value)
