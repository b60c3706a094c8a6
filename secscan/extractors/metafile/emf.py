"""EMF (MS-EMF) pictures: the header, the font table, blits and comments, and which module reads each record.

An EMF is a header record (frame, device size, description) and then records
of a type and a size. This walker keeps the font table (``EMR_EXTCREATEFONTINDIRECTW``
by handle) and turns the blits' DIBs into members; device-context records go to
``metafile_emf_dc``, text records to ``metafile_emf_text``, EMF+ records (in
``EMR_COMMENT``) to ``metafile_emfplus`` and public comments (group
descriptions, the copies an EMF may carry of itself) to ``metafile_emf_comments``.
"""

from __future__ import annotations

from collections.abc import Callable

from secscan.errors import CorruptFile
from secscan.extractors.metafile import emf_dc as dc_records
from secscan.extractors.metafile import emf_text as text_records
from secscan.extractors.metafile.bitmaps import dib_picture
from secscan.extractors.metafile.charsets import clean
from secscan.extractors.metafile.dc import Font, logfont
from secscan.extractors.metafile.emf_comments import public_comment
from secscan.extractors.metafile.emfplus import EmfPlus
from secscan.extractors.metafile.lines import Frame
from secscan.extractors.metafile.reader import Reader
from secscan.extractors.metafile.records import Damaged, take, unpack
from secscan.extractors.metafile.walker import Walker
from secscan.extractors.metafile.xform import Xf

EMF_SIGNATURE = b" EMF"  # at byte 40 of the header record
_EMFPLUS = 0x2B464D45  # "EMF+"
_GDIC = 0x43494447  # "GDIC": a public comment
_STOCK_FONTS = range(0x8000000A, 0x80000012)  # OEM_FIXED_FONT ... DEFAULT_GUI_FONT
_DEFAULT_PALETTE = 0x8000000F  # a stock object in that range that is not a font
# Where each blit record keeps offBmiSrc, cbBmiSrc, offBitsSrc, cbBitsSrc.
_BLIT_SOURCE = {76: 84, 77: 84, 78: 84, 79: 96, 80: 48, 81: 48, 114: 84, 116: 84}


class Emf(Walker):
    fmt = "EMF"
    head = 8
    eof = 14

    def __init__(self, reader: Reader, data: bytes, depth: int, origin: str) -> None:
        super().__init__(reader, data, depth, origin)
        self.fonts: dict[int, Font] = {}
        self.px_per_mm = (96 / 25.4, 96 / 25.4)
        self.plus = EmfPlus(reader, self.layer)

    def walk(self) -> None:
        data = self.data
        try:
            kind, size = unpack("<II", data, 0)
            if kind != 1 or size < 88 or size > len(data) or data[40:44] != EMF_SIGNATURE:
                raise Damaged
            header = data[:size]
            bounds = unpack("<4i", header, 8)
            frame = unpack("<4i", header, 24)
            (declared,) = unpack("<I", header, 48)
            device = unpack("<2i", header, 72)
            millimetres = unpack("<2i", header, 80)
        except Damaged:
            raise CorruptFile("not a readable EMF: bad header record") from None
        if min(*device, *millimetres) > 0:
            self.px_per_mm = (device[0] / millimetres[0], device[1] / millimetres[1])
        self.description(header)
        self.play(size, _HANDLERS, len(data), declared)
        self.finish(self.frame_px(frame, bounds))
        self.plus.finish()

    def record_at(self, pos: int) -> tuple[int, int]:
        kind, size = unpack("<II", self.data, pos)
        return kind, size

    def mapping(self) -> Xf:
        return dc_records.page_mapping(self.dc, self.px_per_mm)

    def frame_px(self, frame: tuple[int, ...], bounds: tuple[int, ...]) -> Frame | None:
        """The picture frame (0.01 mm in the header) in device pixels, else the bounds."""
        if frame[2] > frame[0] and frame[3] > frame[1]:
            kx, ky = self.px_per_mm[0] / 100, self.px_per_mm[1] / 100
            return frame[0] * kx, frame[1] * ky, frame[2] * kx, frame[3] * ky
        if bounds[2] > bounds[0] and bounds[3] > bounds[1]:
            return float(bounds[0]), float(bounds[1]), float(bounds[2]), float(bounds[3])
        return None

    def description(self, header: bytes) -> None:
        """The header's description: the application's name, then the picture's, NUL-separated."""
        try:
            count, offset = unpack("<II", header, 60)
            if count and offset:
                text = take(header, offset, 2 * count).decode("utf-16le", "replace")
                for piece in text.split("\x00"):
                    piece = clean(piece).strip()
                    if piece:
                        self.reader.metadata.append((f"{self.layer.origin} description", piece))
        except Damaged:
            self.reader.broken(self.fmt, 1, 1)

    # --- records -----------------------------------------------------------------------------

    def create_font(self, rec: bytes) -> None:
        (handle, height) = unpack("<Ii", rec, 8)
        escapement, _, weight = unpack("<iii", rec, 20)
        strike, charset = unpack("<BB", rec, 34)
        face = take(rec, 40, 64).decode("utf-16le", "replace").split("\x00")[0]
        self.fonts[handle] = logfont(height, escapement, weight, strike, charset, face)

    def select(self, rec: bytes) -> None:
        (handle,) = unpack("<I", rec, 8)
        if handle in self.fonts:
            self.dc.font = self.fonts[handle]
        elif handle in _STOCK_FONTS and handle != _DEFAULT_PALETTE:
            self.dc.font = Font()

    def delete(self, rec: bytes) -> None:
        self.fonts.pop(unpack("<I", rec, 8)[0], None)

    def blit(self, rec: bytes) -> None:
        kind = unpack("<I", rec, 0)[0]
        bmi_at, bmi_size, bits_at, bits_size = unpack("<4I", rec, _BLIT_SOURCE[kind])
        if bmi_size == 0 or bmi_at == 0:
            return  # no source bitmap: a fill or a raster operation on the destination
        self.reader.bitmap(dib_picture(take(rec, bmi_at, bmi_size), take(rec, bits_at, bits_size)))

    def comment(self, rec: bytes) -> None:
        size, ident = unpack("<II", rec, 8)
        end = min(12 + size, len(rec))
        if ident == _EMFPLUS:
            self.plus.records(rec, 16, end)
        elif ident == _GDIC:
            public_comment(self, rec[:end])


_HANDLERS: dict[int, Callable[[Emf, bytes], None]] = {
    **dict.fromkeys((9, 10, 11, 12, 27), dc_records.set_pair),  # window/viewport extent/origin, MOVETOEX
    **dict.fromkeys((17, 22, 24, 33, 34), dc_records.set_value),  # map mode, align, colour, save, restore
    31: dc_records.scale_ext,
    32: dc_records.scale_ext,
    35: dc_records.transform,
    36: dc_records.transform,
    37: Emf.select,
    40: Emf.delete,
    70: Emf.comment,
    82: Emf.create_font,
    83: text_records.ext_text,
    84: text_records.ext_text,
    96: text_records.poly_text,
    97: text_records.poly_text,
    108: text_records.small_text,
    **dict.fromkeys((76, 77, 78, 79, 80, 81, 114, 116), Emf.blit),
}
