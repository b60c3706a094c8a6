"""EMF+ records (MS-EMFPLUS), carried in an EMF's ``EMR_COMMENT`` records: their strings and images.

A GDI+ picture keeps its drawing as EMF+ records and, beside them, an EMF
fallback for players without GDI+. The text is in ``EmfPlusDrawString`` and
``EmfPlusDrawDriverString``, placed through the EMF+ transforms, and goes to
a layer of its own, after the EMF's, so text both draw is reported once.
"""

from __future__ import annotations

from collections.abc import Callable

from secscan.extractors._common.colour import is_red
from secscan.extractors.metafile.charsets import clean
from secscan.extractors.metafile.emfplus_objects import PlusObjects
from secscan.extractors.metafile.emfplus_space import PlusSpace
from secscan.extractors.metafile.lines import Layer, Run, hints
from secscan.extractors.metafile.reader import Reader
from secscan.extractors.metafile.records import Damaged, take, unpack

_SOLID_COLOR = 0x8000  # draw flag: the brush field is an ARGB colour, not a brush object
_CMAP_LOOKUP, _VERTICAL = 0x1, 0x2  # DriverStringOptions
_BOLD, _STRIKEOUT = 1, 8  # FontStyle


class EmfPlus:
    """EMF+ records (in EMR_COMMENT): strings, fonts, images, and the transforms that place them."""

    def __init__(self, reader: Reader, emf_layer: Layer) -> None:
        self.reader = reader
        self.emf_layer = emf_layer
        self.layer = Layer(f"{emf_layer.origin}+", None)
        self.reader.layers.append(self.layer)
        self.count = 0
        self.space = PlusSpace()
        self.objects = PlusObjects(reader)
        space = self.space
        self.handlers: dict[int, Callable[[int, bytes], None]] = {
            0x4001: space.header,
            0x4008: self.objects.record,
            0x401C: self.draw_string,
            0x4036: self.draw_driver_string,
            0x4025: space.save,
            0x4026: space.restore,
            0x4027: space.save,  # BeginContainer: its own transform is not applied
            0x4028: space.save,
            0x4029: space.restore,
            0x402A: space.world_transform,
            0x402B: space.reset_transform,
            0x402C: space.modify_transform,
            0x402D: space.translate,
            0x402E: space.scale_transform,
            0x402F: space.rotate,
            0x4030: space.page_transform,
        }

    def records(self, rec: bytes, pos: int, end: int) -> None:
        """The EMF+ records in ``rec[pos:end]``; Damaged (the whole comment) when one runs past the end."""
        while pos + 12 <= end:
            kind, flags, size, data_size = unpack("<HHII", rec, pos)
            if size < 12 or pos + size > end or data_size > size - 12:
                raise Damaged
            self.count += 1
            handler = self.handlers.get(kind)
            if handler is not None:
                try:
                    handler(flags, rec[pos + 12 : pos + 12 + data_size])
                except Damaged:
                    self.reader.broken("EMF+", self.count, kind)
            pos += size

    def finish(self) -> None:
        self.objects.finish()
        self.layer.frame = self.emf_layer.frame

    def font_px(self, font_id: int) -> float:
        em, unit, _ = self.objects.fonts.get(font_id, (12.0, 3, 0))
        return self.space.length(em, unit)

    def draw_string(self, flags: int, data: bytes) -> None:
        brush, _, count = unpack("<III", data, 0)
        x, y, _, _ = unpack("<4f", data, 12)  # the layout rectangle: its top left
        raw = take(data, 28, 2 * count)
        if count and self.reader.charge(count):
            size = self.font_px(flags & 0xFF)
            dx, dy = self.space.device(x, y)
            self.add(dx, dy + size / 2, size, raw.decode("utf-16le", "replace"), flags, brush, False)

    def draw_driver_string(self, flags: int, data: bytes) -> None:
        brush, options, _, count = unpack("<IIII", data, 0)
        raw = take(data, 16, 2 * count)
        if not count:
            return
        if not options & _CMAP_LOOKUP:  # unset: the string is glyph indices
            self.reader.glyph_runs += 1
            return
        if self.reader.charge(count):
            x, y = unpack("<ff", data, 16 + 2 * count)  # the first glyph's position, on its baseline
            size = self.font_px(flags & 0xFF)
            dx, dy = self.space.device(x, y)
            text = raw.decode("utf-16le", "replace")
            self.add(dx, dy - 0.3 * size, size, text, flags, brush, bool(options & _VERTICAL))

    def add(self, x: float, y: float, size: float, text: str, flags: int, brush: int, vertical: bool) -> None:
        text = clean(text)
        if not text:
            return
        style = self.objects.fonts.get(flags & 0xFF, (0.0, 0, 0))[2]
        red = bool(flags & _SOLID_COLOR) and is_red((brush >> 16) & 0xFF, (brush >> 8) & 0xFF, brush & 0xFF)
        marks = hints(bool(style & _BOLD), bool(style & _STRIKEOUT), red)
        self.layer.add(Run(x, y, size, None, text, marks, vertical))
