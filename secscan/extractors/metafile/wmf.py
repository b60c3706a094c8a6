"""WMF (MS-WMF) pictures, placeable or with a standard header: text, bitmaps and the EMF copy.

A WMF is a header and records of a size in 16-bit words and a function. Its
text (``META_TEXTOUT``, ``META_EXTTEXTOUT``) is 8-bit, in the charset of the
font selected from the object table. The picture is the placeable header's
bounding box, else the window in effect when drawing starts; viewport records
are the player's, so logical coordinates map through the window alone. A WMF
converted from an EMF keeps that EMF in ``META_ESCAPE`` comments, which is
put together and walked too.
"""

from __future__ import annotations

from collections.abc import Callable

from secscan.errors import CorruptFile
from secscan.extractors.metafile.bitmaps import packed_dib_picture
from secscan.extractors.metafile.reader import Reader
from secscan.extractors.metafile.records import Damaged, take, unpack
from secscan.extractors.metafile.walker import Walker
from secscan.extractors.metafile.wmf_objects import ObjectTable
from secscan.extractors.metafile.xform import IDENTITY, Xf
from secscan.model import SkippedPart

_PLACEABLE = b"\xd7\xcd\xc6\x9a"  # META_PLACEABLE's key
_WMFC = 0x43464D57  # "WMFC": a WMF's chunk of the EMF it was made from
_MFCOMMENT = 0x000F
_ETO_OPAQUE_OR_CLIPPED = 0x6  # either: a rectangle before the string
# Where the DIB starts in each bitmap record (the forms with one).
_DIB_AT = {0x0940: 22, 0x0B41: 26, 0x0F43: 28, 0x0D33: 24}
_CREATES = frozenset({0x00F7, 0x01F9, 0x02FA, 0x02FC, 0x06FF, 0x0142})  # palettes, pens, brushes, regions


class Wmf(Walker):
    fmt = "WMF"
    head = 6
    eof = 0

    def __init__(self, reader: Reader, data: bytes, depth: int, origin: str) -> None:
        super().__init__(reader, data, depth, origin)
        self.objects = ObjectTable(0)
        self.reference: tuple[float, float, float, float] | None = None  # x, y, width, height
        self.escaped: bytearray | None = None  # the EMF copy, as META_ESCAPE chunks bring it
        self.escaped_size = 0

    def walk(self) -> None:
        data, start = self.data, 0
        try:
            if data[:4] == _PLACEABLE:
                left, top, right, bottom = unpack("<4h", data, 6)
                if right != left and bottom != top:
                    self.reference = (float(left), float(top), float(right - left), float(bottom - top))
                start = 22
            kind, header_words, version, size_words, objects = unpack("<HHHIH", data, start)
        except Damaged:
            raise CorruptFile("not a readable WMF: header cut short") from None
        if kind not in (1, 2) or header_words != 9 or version not in (0x100, 0x300):
            raise CorruptFile("not a readable WMF: bad header")
        self.objects = ObjectTable(objects)
        self.play(start + 18, _HANDLERS, len(data) - start, 2 * size_words)
        if self.escaped is not None:
            self.reader.skipped.append(SkippedPart("body", "the EMF copy in the WMF's comments is cut short"))
        frame = None
        if self.reference is not None:
            x, y, w, h = self.reference
            frame = (min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h))
        self.finish(frame)

    def record_at(self, pos: int) -> tuple[int, int]:
        words, function = unpack("<IH", self.data, pos)
        return function, 2 * words

    def mapping(self) -> Xf:
        dc = self.dc
        if not dc.window_set or self.reference is None:
            return IDENTITY
        rx, ry, rw, rh = self.reference
        sx = rw / dc.w_ext[0] if dc.w_ext[0] else 1.0
        sy = rh / dc.w_ext[1] if dc.w_ext[1] else 1.0
        return Xf(sx, 0.0, 0.0, sy, rx - dc.w_org[0] * sx, ry - dc.w_org[1] * sy)

    def fix_reference(self) -> None:
        """Without a placeable header, the picture is the window in effect when drawing starts."""
        if self.reference is None and self.dc.window_set:
            (x, y), (w, h) = self.dc.w_org, self.dc.w_ext
            if w and h:
                self.reference = (x, y, w, h)

    # --- records -----------------------------------------------------------------------------

    def window(self, rec: bytes) -> None:
        """META_SETWINDOWORG, _SETWINDOWEXT, _OFFSETWINDOWORG, _MOVETO: y first, then x."""
        (function,) = unpack("<H", rec, 4)
        y, x = unpack("<hh", rec, 6)
        dc = self.dc
        if function == 0x020B:
            dc.w_org = (float(x), float(y))
        elif function == 0x020C:
            dc.w_ext, dc.window_set = (float(x), float(y)), True
        elif function == 0x020F:
            dc.w_org = (dc.w_org[0] + x, dc.w_org[1] + y)
        elif function == 0x0214:
            dc.cp = (float(x), float(y))

    def scale_window(self, rec: bytes) -> None:
        y_denom, y_num, x_denom, x_num = unpack("<4h", rec, 6)
        if x_denom and y_denom:
            ext = self.dc.w_ext
            self.dc.w_ext = (ext[0] * x_num / x_denom, ext[1] * y_num / y_denom)

    def set_value(self, rec: bytes) -> None:
        """META_SAVEDC, _RESTOREDC, _SETTEXTALIGN, _SETTEXTCOLOR."""
        (function,) = unpack("<H", rec, 4)
        if function == 0x001E:
            self.save()
        elif function == 0x0127:
            self.restore(unpack("<h", rec, 6)[0])
        elif function == 0x012E:
            self.dc.align = unpack("<H", rec, 6)[0]
        elif function == 0x0209:
            self.dc.color = unpack("<I", rec, 6)[0] & 0xFFFFFF

    def create_font(self, rec: bytes) -> None:
        self.objects.create_font(rec)

    def create_other(self, rec: bytes) -> None:
        self.objects.create_other(rec)

    def select(self, rec: bytes) -> None:
        font = self.objects.font(rec)
        if font is not None:
            self.dc.font = font

    def delete(self, rec: bytes) -> None:
        self.objects.delete(rec)

    def text_out(self, rec: bytes) -> None:
        (length,) = unpack("<h", rec, 6)
        raw = take(rec, 8, length)
        y, x = unpack("<hh", rec, 8 + length + (length & 1))
        self.draw(x, y, raw, 0, None)

    def ext_text_out(self, rec: bytes) -> None:
        y, x, length, options = unpack("<hhhH", rec, 6)
        at = 14 + (8 if options & _ETO_OPAQUE_OR_CLIPPED else 0)
        raw = take(rec, at, length)
        dx_at = at + length + (length & 1)
        advance = None
        if length > 0 and dx_at + 2 * length <= len(rec):
            advance = float(sum(unpack(f"<{length}h", rec, dx_at)))
        self.draw(x, y, raw, options, advance)

    def draw(self, x: int, y: int, raw: bytes, options: int, advance: float | None) -> None:
        if not raw or self.glyph_indices(options):
            return
        self.fix_reference()
        if self.reader.charge(len(raw)):
            self.place(float(x), float(y), self.decode8(raw), advance)

    def bitmap(self, rec: bytes) -> None:
        (function,) = unpack("<H", rec, 4)
        if len(rec) // 2 == (function >> 8) + 3:
            return  # the form without a bitmap (a pattern fill)
        at = _DIB_AT.get(function)
        if at is None:  # META_BITBLT, META_STRETCHBLT: a device-dependent Bitmap16
            self.reader.not_read("device-dependent WMF bitmap")
            return
        self.fix_reference()
        self.reader.bitmap(packed_dib_picture(take(rec, at, len(rec) - at)))

    def escape(self, rec: bytes) -> None:
        """META_ESCAPE: of the escapes, only the chunks of an EMF copy (MFCOMMENT, "WMFC") are read."""
        escape_function, _, ident, comment_type = unpack("<HHII", rec, 6)
        if escape_function != _MFCOMMENT or ident != _WMFC or comment_type != 1:
            return
        chunk_size, _, total = unpack("<III", rec, 32)
        chunk = take(rec, 44, chunk_size)
        if self.escaped is None:
            self.escaped, self.escaped_size = bytearray(), total
        self.escaped.extend(chunk)
        if len(self.escaped) >= self.escaped_size:
            copy = bytes(self.escaped[: self.escaped_size])
            self.escaped = None
            self.reader.nested(copy, self.depth + 1, f"{self.layer.origin} copy emf")


_HANDLERS: dict[int, Callable[[Wmf, bytes], None]] = {
    **dict.fromkeys((0x020B, 0x020C, 0x020F, 0x0214), Wmf.window),
    0x0410: Wmf.scale_window,
    **dict.fromkeys((0x001E, 0x0127, 0x012E, 0x0209), Wmf.set_value),
    0x02FB: Wmf.create_font,
    0x012D: Wmf.select,
    0x01F0: Wmf.delete,
    0x0521: Wmf.text_out,
    0x0A32: Wmf.ext_text_out,
    0x0626: Wmf.escape,
    **dict.fromkeys(_CREATES, Wmf.create_other),
    **dict.fromkeys((0x0940, 0x0B41, 0x0F43, 0x0D33, 0x0922, 0x0B23), Wmf.bitmap),
}
