"""The EMF+ object table: fonts kept by id, images made members (MS-EMFPLUS 2.3.5).

An ``EmfPlusObject`` record defines one object in a slot of 0-63; one bigger
than a record comes in continued pieces that are put together first. Of the
object types only two matter for text and pictures: fonts (their em size and
style) and images (a bitmap or a metafile).
"""

from __future__ import annotations

import math

from secscan.extractors.metafile.bitmaps import picture_ext, raw_bitmap
from secscan.extractors.metafile.reader import Reader
from secscan.extractors.metafile.records import take, unpack

_CONTINUED = 0x8000  # object flag: more of this object follows in the next records
_IMAGE, _FONT = 5, 6
_BITMAP, _METAFILE = 1, 2  # image types
PlusFont = tuple[float, int, int]  # em size, unit, style flags


class PlusObjects:
    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.fonts: dict[int, PlusFont] = {}
        self.pending: dict[int, tuple[int, bytearray]] = {}  # id -> (total size, bytes so far)

    def record(self, flags: int, data: bytes) -> None:
        """An EmfPlusObject record: an object, a piece of one, or the last piece."""
        object_id, object_type = flags & 0xFF, (flags >> 8) & 0x7F
        if flags & _CONTINUED:  # the first 4 bytes say the whole object's size
            (total,) = unpack("<I", data, 0)
            expected, parts = self.pending.setdefault(object_id, (total, bytearray()))
            parts.extend(data[4:])
            if len(parts) < expected:
                return
            data = bytes(parts[:expected])
            del self.pending[object_id]
        elif object_id in self.pending:
            expected, parts = self.pending.pop(object_id)
            parts.extend(data)
            data = bytes(parts[:expected])
        if object_type == _IMAGE:
            self._image(data)
        elif object_type == _FONT:
            em, unit, style = unpack("<fII", data, 4)
            self.fonts[object_id] = (em if math.isfinite(em) and em > 0 else 12.0, unit, style)

    def finish(self) -> None:
        if self.pending:
            self.reader.not_read("EMF+ object cut short")

    def _image(self, data: bytes) -> None:
        (kind,) = unpack("<I", data, 4)
        if kind == _BITMAP:
            width, height, stride, pixel_format, compressed = unpack("<iiiII", data, 8)
            body = data[28:]
            if compressed == 1:  # a PNG, JPEG, GIF, TIFF ... file
                self.reader.picture(body, picture_ext(body))
                return
            bmp = raw_bitmap(width, height, stride, pixel_format, body)
            if bmp is None:
                self.reader.not_read("EMF+ raw bitmap")
            else:
                self.reader.picture(bmp, "bmp")
        elif kind == _METAFILE:
            meta_kind, size = unpack("<II", data, 8)
            self.reader.picture(take(data, 16, size), "wmf" if meta_kind in (1, 2) else "emf")
