"""EMF and WMF pictures (object previews, pasted drawings, thumbnails) -> text lines and bitmap members.

Office keeps a preview picture of every embedded object as a metafile, and Word
and PowerPoint keep drawings and pasted pictures as metafiles too. A metafile is
a list of drawing records, and its text is in them, so it is read exactly, not
by OCR:

* EMF (MS-EMF): ``EMR_EXTTEXTOUTW``/``A``, ``EMR_POLYTEXTOUTW``/``A`` and
  ``EMR_SMALLTEXTOUT``; EMF+ records in ``EMR_COMMENT`` (MS-EMFPLUS:
  ``EmfPlusDrawString``, ``EmfPlusDrawDriverString``); the header's
  description and ``BEGINGROUP`` descriptions (part ``metadata``). The copies
  an EMF may carry of itself (the WMF it was converted from, the EMF of an
  ``EMR_COMMENT_MULTIFORMATS``) are walked too; a PDF or EPS copy is a member.
* WMF (MS-WMF, placeable or standard header): ``META_TEXTOUT`` and
  ``META_EXTTEXTOUT``, whose 8-bit text is decoded in the charset of the font
  selected from the object table (lfCharSet 134 -> GB18030, 136 -> Big5, 128 ->
  Shift-JIS ...; for DEFAULT_CHARSET the face name decides, else text whose
  every non-ASCII byte pairs up as GB2312 is GB2312, else cp1252), and the EMF
  that a WMF converted from one keeps in ``META_ESCAPE`` comments.

Metafiles draw text a glyph or a word at a time, so the glyph strings are placed
on the picture (EMF: window/viewport mapping, map mode and world transform;
WMF: the window over the picture, viewport records being the player's; EMF+:
world and page transforms; text alignment and the current position) and grouped
into lines by their vertical centre (within half the font height: same line),
left to right, so a title drawn glyph by glyph reads as one line ``机密★5年``.
``vpos`` is the line's centre over the picture's frame (EMF: header frame,
WMF: placeable bounding box or the window). Text drawn twice (EMF+ with its
EMF fallback, a WMF with its EMF copy) is reported once. Bitmaps
(``EMR_STRETCHDIBITS``, ``EMR_BITBLT`` and the other blits, ``META_DIBSTRETCHBLT``,
``META_STRETCHDIB`` ..., EMF+ image objects) are returned as members (a DIB gets
the BMP file header it lacks), each distinct one once, for the pipeline to OCR.

What is not read is said, so a metafile is never clean for it: text drawn as
glyph indices (``ETO_GLYPH_INDEX``: the characters are not in the file),
device-dependent and raw EMF+ bitmaps this reader cannot convert, damaged
records, a walk stopped by damage (a record of size 0 or past the end) or by
the caps below, a file shorter than its header says or without its EOF record.
Not seen at all, like in any vector format: text converted to outlines
(paths), and pattern-brush tiles.

A metafile is untrusted input: every offset and size is checked against its
record; the walk stops at a record of size 0 or one that runs past the end; at
most ``MAX_RECORDS`` records (all nested copies together) and ``MAX_CHARS``
characters of text are read, nested copies at most ``MAX_NESTING`` deep.

A hand-rolled record walker, because no package on PyPI extracts metafile text:
Pillow opens WMF/EMF only to render them, and only on Windows; metafile-render
(MIT, 0.x) and pillow-wmf render metafiles to raster or SVG pictures, and text
read back out of a rendering would be slower and would lose what the records
say exactly (the font's charset, text drawn as glyph indices, the bitmaps);
libwmf and libemf2svg are C libraries without a maintained Python binding.
"""

from __future__ import annotations

import hashlib
import math
import struct
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from secscan.config import ScanConfig
from secscan.errors import CorruptFile
from secscan.extractors.officeart import bmp_from_dib
from secscan.model import Extraction, Member, SkippedPart, TextBlock

MAX_RECORDS = 1_000_000  # a Python walk of this many records takes about a second
MAX_CHARS = 500_000  # far above any picture's text; bounds the memory glyph runs take (~150 MB)
MAX_NESTING = 2  # an EMF's WMF copy, that WMF's EMF copy

_EMF_SIGNATURE = b" EMF"
_PLACEABLE = b"\xd7\xcd\xc6\x9a"
_EMFPLUS = 0x2B464D45  # "EMF+"
_GDIC = 0x43494447  # "GDIC": a public comment
_WMFC = 0x43464D57  # "WMFC": a WMF's chunk of the EMF it was made from

# Text options and alignment (shared by EMF and WMF).
_ETO_GLYPH_INDEX, _ETO_NO_RECT, _ETO_SMALL_CHARS, _ETO_PDY = 0x10, 0x100, 0x200, 0x2000
_TA_UPDATECP, _TA_RIGHT, _TA_CENTER, _TA_BOTTOM, _TA_BASELINE = 1, 2, 6, 8, 24
_DEFAULT_EM = 12.0  # logical units, when a font says height 0 (the device default)

# lfCharSet -> codec. DEFAULT_CHARSET (1), OEM (255) and unknown ones are guessed (_decode8).
_CHARSETS = {
    0: "cp1252",
    2: "cp1252",  # SYMBOL: glyph codes, not letters
    77: "mac_roman",
    128: "cp932",
    129: "cp949",
    130: "johab",
    134: "gb18030",
    136: "cp950",
    161: "cp1253",
    162: "cp1254",
    163: "cp1258",
    177: "cp1255",
    178: "cp1256",
    186: "cp1257",
    204: "cp1251",
    222: "cp874",
    238: "cp1250",
}
_FACE_CODECS = (
    ("gb18030", ("simsun", "simhei", "kaiti", "fangsong", "yahei", "dengxian", "gb2312", "宋体", "黑体")),
    ("gb18030", ("楷体", "仿宋", "雅黑", "等线", "stsong", "stkaiti", "stfangsong", "stheiti")),
    ("cp950", ("mingliu", "jhenghei", "細明體", "正黑體", "dfkai")),
    (
        "cp932",
        ("ms mincho", "ms pmincho", "ms gothic", "ms pgothic", "ms ui gothic", "yu gothic", "yu mincho"),
    ),
    ("cp932", ("meiryo", "ｍｓ", "明朝", "ゴシック")),
    ("cp949", ("gulim", "batang", "dotum", "malgun", "굴림", "바탕", "돋움")),
)
_PICTURE_MAGIC = (
    (b"\x89PNG", "png"),
    (b"\xff\xd8", "jpg"),
    (b"GIF8", "gif"),
    (b"II*", "tif"),
    (b"MM\x00*", "tif"),
)
# Map modes with a fixed unit, in millimetres; y grows upwards.
_MAP_MM = {2: 0.1, 3: 0.01, 4: 0.254, 5: 0.0254, 6: 25.4 / 1440}


class _Damaged(Exception):
    """A field of one record points outside it."""


def _unpack(fmt: str, buf: bytes, offset: int) -> tuple[Any, ...]:
    if offset < 0:
        raise _Damaged
    try:
        return struct.unpack_from(fmt, buf, offset)
    except struct.error:
        raise _Damaged from None


def _slice(buf: bytes, offset: int, length: int) -> bytes:
    if offset < 0 or length < 0 or offset + length > len(buf):
        raise _Damaged
    return buf[offset : offset + length]


@dataclass(frozen=True, slots=True)
class _Xf:
    """An affine transform, row-vector convention (GDI XFORM, GDI+ matrix)."""

    m11: float = 1.0
    m12: float = 0.0
    m21: float = 0.0
    m22: float = 1.0
    dx: float = 0.0
    dy: float = 0.0

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return x * self.m11 + y * self.m21 + self.dx, x * self.m12 + y * self.m22 + self.dy

    def then(self, o: _Xf) -> _Xf:
        """This transform, then ``o``."""
        return _Xf(
            self.m11 * o.m11 + self.m12 * o.m21,
            self.m11 * o.m12 + self.m12 * o.m22,
            self.m21 * o.m11 + self.m22 * o.m21,
            self.m21 * o.m12 + self.m22 * o.m22,
            self.dx * o.m11 + self.dy * o.m21 + o.dx,
            self.dx * o.m12 + self.dy * o.m22 + o.dy,
        )


_IDENTITY = _Xf()


@dataclass(frozen=True, slots=True)
class _Font:
    height: float = 0.0  # logical units, absolute
    charset: int = 1
    face: str = ""
    bold: bool = False
    strike: bool = False
    vertical: bool = False  # an @-face or 270° escapement: glyphs run down the page


@dataclass(slots=True)
class _Run:
    """One glyph string placed on the picture (device units, y down)."""

    x: float  # left edge
    y: float  # vertical centre
    size: float  # font height
    width: float | None  # advance, when the record gives it
    text: str
    hints: frozenset[str]
    vertical: bool = False


@dataclass
class _Layer:
    origin: str
    frame: tuple[float, float, float, float] | None  # left, top, right, bottom
    runs: list[_Run] = field(default_factory=list)


class _Reader:
    """What one metafile (and the copies nested in it) gives: layers of runs, members, skips."""

    def __init__(self) -> None:
        self.layers: list[_Layer] = []
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

    def read(self, data: bytes, depth: int, origin: str) -> None:
        if data[40:44] == _EMF_SIGNATURE:
            _Emf(self, data, depth, origin).walk()
        else:
            _Wmf(self, data, depth, origin).walk()

    def nested(self, data: bytes, depth: int, origin: str) -> None:
        if depth > MAX_NESTING:
            self.skipped.append(SkippedPart("body", f"{origin}: nested deeper than {MAX_NESTING}; not read"))
            return
        try:
            self.read(data, depth, origin)
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

    def not_read(self, what: str) -> None:
        self.unread[what] = self.unread.get(what, 0) + 1

    def dib(self, bmi: bytes, bits: bytes) -> None:
        """A bitmap given as BITMAPINFO + bits -> a BMP member (or its JPEG/PNG, as is)."""
        (size,) = _unpack("<I", bmi, 0)
        if size >= 40:
            (compression,) = _unpack("<I", bmi, 16)
            if compression in (4, 5):  # BI_JPEG, BI_PNG: the bits are the file
                self.picture(bits, "jpg" if compression == 4 else "png")
                return
        if size not in (12, 40, 52, 56, 64, 108, 124):
            self.not_read("bitmap with an unknown DIB header")
            return
        header = b"BM" + struct.pack("<IHHI", 14 + len(bmi) + len(bits), 0, 0, 14 + len(bmi))
        self.picture(header + bmi + bits, "bmp")

    def packed_dib(self, dib: bytes) -> None:
        """A DIB whose bits follow its header and colour table (WMF)."""
        if len(dib) >= 40 and _unpack("<I", dib, 0)[0] >= 40 and _unpack("<I", dib, 16)[0] in (4, 5):
            (size,) = _unpack("<I", dib, 0)
            self.dib(dib[:size], dib[size:])
            return
        bmp = bmp_from_dib(dib)
        if bmp is None:
            self.not_read("bitmap with an unknown DIB header")
        else:
            self.picture(bmp, "bmp")

    def extraction(self) -> Extraction:
        blocks: list[TextBlock] = []
        seen: set[str] = set()
        for layer in self.layers:
            own: set[str] = set()
            for text, centre, hints in _lines(layer.runs):
                if text in seen:
                    continue  # the same text drawn by an earlier layer (EMF+ and its EMF fallback ...)
                own.add(text)
                vpos = None
                if layer.frame is not None:
                    top, bottom = layer.frame[1], layer.frame[3]
                    vpos = round(min(max((centre - top) / max(bottom - top, 1e-9), 0.0), 1.0), 4)
                blocks.append(
                    TextBlock(text, "body", line=len(blocks) + 1, origin=layer.origin, vpos=vpos, hints=hints)
                )
            seen |= own
        for number, (origin, text) in enumerate(dict.fromkeys(self.metadata), 1):
            blocks.append(TextBlock(text, "metadata", line=number, origin=origin))
        skipped = list(self.skipped)
        if self.glyph_runs:
            skipped.append(
                SkippedPart(
                    "body",
                    f"{self.glyph_runs:,} text run{'s' if self.glyph_runs > 1 else ''} drawn as font glyph "
                    "indices: their characters are not in the file",
                )
            )
        if self.damaged:
            fmt, number, kind = self.damaged[0]
            count = self.damaged_count
            skipped.append(
                SkippedPart(
                    "body",
                    f"{count:,} damaged record{'s' if count > 1 else ''} not read "
                    f"(first: {fmt} record {number}, type {kind:#x})",
                )
            )
        if self.unread:
            count = sum(self.unread.values())
            kinds = ", ".join(f"{n} {what}" for what, n in sorted(self.unread.items()))
            skipped.append(SkippedPart("pictures", f"{count} not read ({kinds})"))
        return Extraction(
            tuple(blocks),
            parts_read=("body", "metadata"),
            skipped=tuple(skipped),
            members=tuple(self.members.values()),
        )


@dataclass(slots=True)
class _DC:
    """The playback state that decides where text lands and how it is decoded."""

    world: _Xf = _IDENTITY
    map_mode: int = 1
    w_org: tuple[float, float] = (0.0, 0.0)
    w_ext: tuple[float, float] = (1.0, 1.0)
    v_org: tuple[float, float] = (0.0, 0.0)
    v_ext: tuple[float, float] = (1.0, 1.0)
    window_set: bool = False
    font: _Font = _Font()
    align: int = 0
    color: int = 0  # COLORREF 0x00BBGGRR
    cp: tuple[float, float] = (0.0, 0.0)


class _Walker:
    """What EMF and WMF share: the device context and placing text on the picture."""

    fmt = ""

    def __init__(self, reader: _Reader, data: bytes, depth: int, origin: str) -> None:
        self.reader = reader
        self.data = data
        self.depth = depth
        self.dc = _DC()
        self.saved: list[_DC] = []
        self.layer = _Layer(origin, None)
        reader.layers.append(self.layer)  # before any copy nested in it: its lines win the dedupe

    def mapping(self) -> _Xf:
        """Logical coordinates -> the picture's, as the device context stands."""
        raise NotImplementedError

    def save(self) -> None:
        if len(self.saved) < 10_000:
            self.saved.append(replace(self.dc))

    def restore(self, which: int) -> None:
        steps = -which if which < 0 else len(self.saved) - which + 1 if which > 0 else 0
        for _ in range(min(steps, len(self.saved))):
            self.dc = self.saved.pop()

    def decode8(self, raw: bytes) -> str:
        return _decode8(raw, self.dc.font)

    def place(self, x: float, y: float, text: str, advance: float | None) -> None:
        """Put a string drawn at logical (x, y) on the picture."""
        text = _clean(text)
        if not text:
            return
        dc = self.dc
        em = dc.font.height or _DEFAULT_EM
        if dc.align & _TA_UPDATECP:
            x, y = dc.cp
        length = advance if advance is not None else _estimate(text) * em
        if dc.align & _TA_UPDATECP:
            dc.cp = (x + length, y)
        left = x
        if dc.align & _TA_CENTER == _TA_CENTER:
            left = x - length / 2
        elif dc.align & _TA_RIGHT:
            left = x - length
        xf = self.mapping()
        rx, ry = xf.apply(x, y)
        size = math.dist((rx, ry), xf.apply(x, y + em))
        lx, ly = xf.apply(left, y)
        ex, ey = xf.apply(left + length, y)
        width = math.dist((lx, ly), (ex, ey)) if advance is not None else None
        anchor = dc.align & _TA_BASELINE
        centre = ry + size * (-0.3 if anchor == _TA_BASELINE else -0.5 if anchor == _TA_BOTTOM else 0.5)
        red = _is_red(dc.color & 0xFF, (dc.color >> 8) & 0xFF, (dc.color >> 16) & 0xFF)
        hints = _hints(dc.font.bold, dc.font.strike, red)
        self.add_run(min(lx, ex), centre, size, width, text, hints, dc.font.vertical)

    def add_run(
        self,
        x: float,
        y: float,
        size: float,
        width: float | None,
        text: str,
        hints: frozenset[str],
        vertical: bool,
    ) -> None:
        if not all(math.isfinite(v) for v in (x, y, size)):
            x, y, size = 0.0, 0.0, 1.0
        if width is not None and not math.isfinite(width):
            width = None
        self.layer.runs.append(_Run(x, y, max(size, 1e-6), width, text, hints, vertical))

    def finish(self, frame: tuple[float, float, float, float] | None) -> None:
        self.layer.frame = frame

    def stop(self, number: int, pos: int, why: str) -> None:
        left = len(self.data) - pos
        self.reader.skipped.append(
            SkippedPart(
                "body",
                f"damaged after record {number}: the next {self.fmt} record (byte {pos:,}) {why}; "
                f"{left:,} bytes not read",
            )
        )

    def damaged(self, number: int, kind: int) -> None:
        self.reader.broken(self.fmt, number, kind)


class _Emf(_Walker):
    fmt = "EMF"

    def __init__(self, reader: _Reader, data: bytes, depth: int, origin: str) -> None:
        super().__init__(reader, data, depth, origin)
        self.fonts: dict[int, _Font] = {}
        self.px_per_mm = (96 / 25.4, 96 / 25.4)
        self.plus = _EmfPlus(self)

    def walk(self) -> None:
        data = self.data
        try:
            kind, size = _unpack("<II", data, 0)
            if kind != 1 or size < 88 or size > len(data) or data[40:44] != _EMF_SIGNATURE:
                raise _Damaged
            header = data[:size]
            bounds = _unpack("<4i", header, 8)
            frame = _unpack("<4i", header, 24)
            (declared,) = _unpack("<I", header, 48)
            device = _unpack("<2i", header, 72)
            millimetres = _unpack("<2i", header, 80)
        except _Damaged:
            raise CorruptFile("not a readable EMF: bad header record") from None
        if min(*device, *millimetres) > 0:
            self.px_per_mm = (device[0] / millimetres[0], device[1] / millimetres[1])
        self.description(header)
        pos, number = size, 1
        while pos < len(data):
            if pos + 8 > len(data):
                self.stop(number, pos, "is cut short")
                break
            kind, size = _unpack("<II", data, pos)
            if size < 8 or pos + size > len(data):
                self.stop(number, pos, "has size 0" if size == 0 else f"of {size:,} bytes runs past the end")
                break
            if not self.reader.count_record():
                break
            number += 1
            if kind == 14:  # EMR_EOF
                break
            handler = _EMF_HANDLERS.get(kind)
            if handler is not None:
                try:
                    handler(self, data[pos : pos + size])
                except _Damaged:
                    self.damaged(number, kind)
            pos += size
        else:
            if declared > len(data):
                self.reader.skipped.append(
                    SkippedPart("body", f"truncated: {len(data):,} of {declared:,} bytes; the rest not read")
                )
            else:
                self.reader.skipped.append(SkippedPart("body", "ends without an EOF record (truncated?)"))
        self.finish(self.frame_px(frame, bounds))
        self.plus.finish()

    def frame_px(
        self, frame: tuple[int, ...], bounds: tuple[int, ...]
    ) -> tuple[float, float, float, float] | None:
        """The picture frame (0.01 mm in the header) in device pixels, else the bounds."""
        if frame[2] > frame[0] and frame[3] > frame[1]:
            kx, ky = self.px_per_mm[0] / 100, self.px_per_mm[1] / 100
            return frame[0] * kx, frame[1] * ky, frame[2] * kx, frame[3] * ky
        if bounds[2] > bounds[0] and bounds[3] > bounds[1]:
            return float(bounds[0]), float(bounds[1]), float(bounds[2]), float(bounds[3])
        return None

    def description(self, header: bytes) -> None:
        try:
            count, offset = _unpack("<II", header, 60)
            if count and offset:
                text = _slice(header, offset, 2 * count).decode("utf-16le", "replace")
                for piece in text.split("\x00"):
                    piece = _clean(piece).strip()
                    if piece:
                        self.reader.metadata.append((f"{self.layer.origin} description", piece))
        except _Damaged:
            self.damaged(1, 1)

    # --- coordinates -------------------------------------------------------------------------

    def mapping(self) -> _Xf:
        dc = self.dc
        sx, sy = self.page_scale()
        page = _Xf(sx, 0.0, 0.0, sy, dc.v_org[0] - dc.w_org[0] * sx, dc.v_org[1] - dc.w_org[1] * sy)
        return dc.world.then(page)

    def page_scale(self) -> tuple[float, float]:
        dc = self.dc
        if dc.map_mode in (7, 8):  # MM_ISOTROPIC, MM_ANISOTROPIC
            sx = dc.v_ext[0] / dc.w_ext[0] if dc.w_ext[0] else 1.0
            sy = dc.v_ext[1] / dc.w_ext[1] if dc.w_ext[1] else 1.0
            if dc.map_mode == 7:
                least = min(abs(sx), abs(sy))
                sx, sy = math.copysign(least, sx), math.copysign(least, sy)
            return sx, sy
        mm = _MAP_MM.get(dc.map_mode)
        if mm is not None:
            return mm * self.px_per_mm[0], -mm * self.px_per_mm[1]
        return 1.0, 1.0

    # --- records -----------------------------------------------------------------------------

    def set_pair(self, rec: bytes) -> None:
        kind = _unpack("<I", rec, 0)[0]
        x, y = _unpack("<ii", rec, 8)
        dc = self.dc
        if kind == 9:
            dc.w_ext = (float(x), float(y))
        elif kind == 10:
            dc.w_org = (float(x), float(y))
        elif kind == 11:
            dc.v_ext = (float(x), float(y))
        elif kind == 12:
            dc.v_org = (float(x), float(y))
        else:  # 27: EMR_MOVETOEX
            dc.cp = (float(x), float(y))

    def scale_ext(self, rec: bytes) -> None:
        kind = _unpack("<I", rec, 0)[0]
        xn, xd, yn, yd = _unpack("<4i", rec, 8)
        if xd and yd:
            dc = self.dc
            ext = dc.v_ext if kind == 31 else dc.w_ext
            scaled = (ext[0] * xn / xd, ext[1] * yn / yd)
            if kind == 31:
                dc.v_ext = scaled
            else:
                dc.w_ext = scaled

    def set_value(self, rec: bytes) -> None:
        (kind,) = _unpack("<I", rec, 0)
        if kind == 33:  # EMR_SAVEDC has no parameter
            self.save()
            return
        (value,) = _unpack("<i", rec, 8)
        if kind == 17:
            self.dc.map_mode = value
        elif kind == 22:
            self.dc.align = value
        elif kind == 24:
            self.dc.color = value & 0xFFFFFF
        elif kind == 34:
            self.restore(value)

    def transform(self, rec: bytes) -> None:
        kind = _unpack("<I", rec, 0)[0]
        xf = _Xf(*_unpack("<6f", rec, 8))
        dc = self.dc
        if kind == 35:
            dc.world = xf
            return
        (mode,) = _unpack("<I", rec, 32)
        if mode == 1:
            dc.world = _IDENTITY
        elif mode == 2:
            dc.world = xf.then(dc.world)
        elif mode == 3:
            dc.world = dc.world.then(xf)
        elif mode == 4:
            dc.world = xf

    def create_font(self, rec: bytes) -> None:
        (handle, height) = _unpack("<Ii", rec, 8)
        escapement, _, weight = _unpack("<iii", rec, 20)
        strike, charset = _unpack("<BB", rec, 34)
        face = _slice(rec, 40, 64).decode("utf-16le", "replace").split("\x00")[0]
        vertical = face.startswith("@") or escapement in (2700, -900)
        self.fonts[handle] = _Font(abs(height), charset, face, weight >= 700, bool(strike), vertical)

    def select(self, rec: bytes) -> None:
        (handle,) = _unpack("<I", rec, 8)
        if handle in self.fonts:
            self.dc.font = self.fonts[handle]
        elif 0x8000000A <= handle <= 0x80000011 and handle != 0x8000000F:  # stock fonts
            self.dc.font = _Font()

    def delete(self, rec: bytes) -> None:
        self.fonts.pop(_unpack("<I", rec, 8)[0], None)

    def ext_text(self, rec: bytes) -> None:
        kind = _unpack("<I", rec, 0)[0]
        self.emr_text(rec, 36, kind == 84)

    def poly_text(self, rec: bytes) -> None:
        kind = _unpack("<I", rec, 0)[0]
        (count,) = _unpack("<I", rec, 36)
        for index in range(min(count, (len(rec) - 40) // 40)):
            self.emr_text(rec, 40 + 40 * index, kind == 97)

    def emr_text(self, rec: bytes, at: int, wide: bool) -> None:
        """One EmrText object at ``at``: reference point, chars, offString, options, rectangle, offDx."""
        x, y, count, offset, options = _unpack("<iiIII", rec, at)
        if count == 0:
            return
        raw = _slice(rec, offset, count * (2 if wide else 1))
        if options & _ETO_GLYPH_INDEX:
            self.reader.glyph_runs += 1
            return
        if not self.reader.charge(count):
            return
        text = raw.decode("utf-16le", "replace") if wide else self.decode8(raw)
        (dx_at,) = _unpack("<I", rec, at + 36)
        step = 2 if options & _ETO_PDY else 1
        advance = None
        if dx_at and dx_at + 4 * count * step <= len(rec):
            advance = float(sum(_unpack(f"<{count * step}i", rec, dx_at)[::step]))
        self.place(x, y, text, advance)

    def small_text(self, rec: bytes) -> None:
        x, y, count, options = _unpack("<iiII", rec, 8)
        if count == 0:
            return
        at = 36 if options & _ETO_NO_RECT else 52
        small = options & _ETO_SMALL_CHARS
        raw = _slice(rec, at, count if small else 2 * count)
        if options & _ETO_GLYPH_INDEX:
            self.reader.glyph_runs += 1
            return
        if self.reader.charge(count):
            self.place(x, y, raw.decode("latin-1" if small else "utf-16le", "replace"), None)

    def blit(self, rec: bytes) -> None:
        kind = _unpack("<I", rec, 0)[0]
        at = {76: 84, 77: 84, 78: 84, 79: 96, 80: 48, 81: 48, 114: 84, 116: 84}[kind]
        bmi_at, bmi_size, bits_at, bits_size = _unpack("<4I", rec, at)
        if bmi_size == 0 or bmi_at == 0:
            return  # no source bitmap: a fill or a raster operation on the destination
        self.reader.dib(_slice(rec, bmi_at, bmi_size), _slice(rec, bits_at, bits_size))

    def comment(self, rec: bytes) -> None:
        size, ident = _unpack("<II", rec, 8)
        end = min(12 + size, len(rec))
        if ident == _EMFPLUS:
            self.plus.records(rec, 16, end)
        elif ident == _GDIC:
            self.public_comment(rec[:end])

    def public_comment(self, rec: bytes) -> None:
        (kind,) = _unpack("<I", rec, 16)
        if kind == 0x00000002:  # EMR_COMMENT_BEGINGROUP: bounds, then a description
            (count,) = _unpack("<I", rec, 36)
            text = _clean(_slice(rec, 40, 2 * count).decode("utf-16le", "replace")).strip()
            if text:
                self.reader.metadata.append((f"{self.layer.origin} group", text))
        elif kind == 0x80000001:  # EMR_COMMENT_WINDOWS_METAFILE: the WMF this EMF was made from
            (size,) = _unpack("<I", rec, 32)
            self.reader.nested(_slice(rec, 36, size), self.depth + 1, f"{self.layer.origin} copy wmf")
        elif kind == 0x40000004:  # EMR_COMMENT_MULTIFORMATS: other renderings of the picture
            (count,) = _unpack("<I", rec, 36)
            for index in range(min(count, (len(rec) - 40) // 16)):
                signature, _, size, offset = _unpack("<4I", rec, 40 + 16 * index)
                body = _slice(rec, 12 + offset, size)
                if signature == 0x464D4520:
                    self.reader.nested(body, self.depth + 1, f"{self.layer.origin} copy emf")
                else:
                    ext = {0x46535045: "eps", 0x50444620: "pdf"}.get(signature, "bin")
                    self.reader.picture(body, ext)


class _EmfPlus:
    """EMF+ records (in EMR_COMMENT): strings, fonts, images, and the transforms that place them."""

    def __init__(self, emf: _Emf) -> None:
        self.emf = emf
        self.reader = emf.reader
        self.layer = _Layer(f"{emf.layer.origin}+", None)
        self.reader.layers.append(self.layer)
        self.count = 0
        self.dpi = (96.0, 96.0)
        self.world = _IDENTITY
        self.unit = 1
        self.scale = 1.0
        self.saved: dict[int, tuple[_Xf, int, float]] = {}
        self.fonts: dict[int, tuple[float, int, int]] = {}  # id -> (em size, unit, style flags)
        self.pending: dict[int, tuple[int, bytearray]] = {}  # id -> (total size, bytes so far)

    def records(self, rec: bytes, pos: int, end: int) -> None:
        while pos + 12 <= end:
            kind, flags, size, data_size = _unpack("<HHII", rec, pos)
            if size < 12 or pos + size > end or data_size > size - 12:
                raise _Damaged
            self.count += 1
            handler = _PLUS_HANDLERS.get(kind)
            if handler is not None:
                try:
                    handler(self, flags, rec[pos + 12 : pos + 12 + data_size])
                except _Damaged:
                    self.reader.broken("EMF+", self.count, kind)
            pos += size

    def finish(self) -> None:
        if self.pending:
            self.reader.not_read("EMF+ object cut short")
        self.layer.frame = self.emf.layer.frame

    def unit_px(self, unit: int) -> float:
        per_inch = {3: 72.0, 4: 1.0, 5: 300.0, 6: 25.4}.get(unit)
        return self.dpi[1] / per_inch if per_inch else 1.0  # world, display, pixel

    def device(self, x: float, y: float) -> tuple[float, float]:
        wx, wy = self.world.apply(x, y)
        k = self.scale * self.unit_px(self.unit)
        return wx * k, wy * k

    def font_px(self, font_id: int) -> float:
        em, unit, _ = self.fonts.get(font_id, (12.0, 3, 0))
        if unit == 0:  # world units
            x0, y0 = self.device(0.0, 0.0)
            return math.dist((x0, y0), self.device(0.0, em))
        return em * self.unit_px(unit)

    # --- records -----------------------------------------------------------------------------

    def header(self, flags: int, data: bytes) -> None:
        dpi_x, dpi_y = _unpack("<II", data, 8)
        if dpi_x > 0 and dpi_y > 0:
            self.dpi = (float(dpi_x), float(dpi_y))

    def page_transform(self, flags: int, data: bytes) -> None:
        (scale,) = _unpack("<f", data, 0)
        self.unit, self.scale = flags & 0xFF, scale if math.isfinite(scale) and scale else 1.0

    def world_transform(self, flags: int, data: bytes) -> None:
        self.world = _Xf(*_unpack("<6f", data, 0))

    def reset_transform(self, flags: int, data: bytes) -> None:
        self.world = _IDENTITY

    def modify_transform(self, flags: int, data: bytes, xf: _Xf | None = None) -> None:
        xf = xf or _Xf(*_unpack("<6f", data, 0))
        self.world = self.world.then(xf) if flags & 0x2000 else xf.then(self.world)

    def translate(self, flags: int, data: bytes) -> None:
        dx, dy = _unpack("<ff", data, 0)
        self.modify_transform(flags, data, _Xf(dx=dx, dy=dy))

    def scale_transform(self, flags: int, data: bytes) -> None:
        sx, sy = _unpack("<ff", data, 0)
        self.modify_transform(flags, data, _Xf(m11=sx, m22=sy))

    def rotate(self, flags: int, data: bytes) -> None:
        (angle,) = _unpack("<f", data, 0)
        if math.isfinite(angle):
            c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            self.modify_transform(flags, data, _Xf(c, s, -s, c))

    def save(self, flags: int, data: bytes) -> None:
        (index,) = _unpack("<I", data, len(data) - 4 if len(data) >= 4 else 0)
        if len(self.saved) < 10_000:
            self.saved[index] = (self.world, self.unit, self.scale)

    def restore(self, flags: int, data: bytes) -> None:
        (index,) = _unpack("<I", data, 0)
        if index in self.saved:
            self.world, self.unit, self.scale = self.saved.pop(index)

    def obj(self, flags: int, data: bytes) -> None:
        object_id, object_type = flags & 0xFF, (flags >> 8) & 0x7F
        if flags & 0x8000:  # continued: the first 4 bytes say the whole object's size
            (total,) = _unpack("<I", data, 0)
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
        if object_type == 5:
            self.image(data)
        elif object_type == 6:
            em, unit, style = _unpack("<fII", data, 4)
            self.fonts[object_id] = (em if math.isfinite(em) and em > 0 else 12.0, unit, style)

    def image(self, data: bytes) -> None:
        (kind,) = _unpack("<I", data, 4)
        if kind == 1:  # bitmap
            width, height, stride, pixel_format, compressed = _unpack("<iiiII", data, 8)
            body = data[28:]
            if compressed == 1:  # a PNG, JPEG, GIF, TIFF ... file
                self.reader.picture(body, _picture_ext(body))
                return
            bits = {0x00021808: 24, 0x00022009: 32, 0x0026200A: 32, 0x000E200B: 32}.get(pixel_format)
            row = ((width * (bits or 0) + 31) // 32) * 4
            if bits is None or width <= 0 or height <= 0 or stride != row or len(body) < row * height:
                self.reader.not_read("EMF+ raw bitmap")
                return
            pixels = body[: row * height]
            info = struct.pack("<IiiHHIIiiII", 40, width, -height, 1, bits, 0, len(pixels), 2835, 2835, 0, 0)
            head = b"BM" + struct.pack("<IHHI", 54 + len(pixels), 0, 0, 54)
            self.reader.picture(head + info + pixels, "bmp")
        elif kind == 2:  # metafile
            meta_kind, size = _unpack("<II", data, 8)
            self.reader.picture(_slice(data, 16, size), "wmf" if meta_kind in (1, 2) else "emf")

    def draw_string(self, flags: int, data: bytes) -> None:
        brush, _, count = _unpack("<III", data, 0)
        x, y, _, _ = _unpack("<4f", data, 12)
        raw = _slice(data, 28, 2 * count)
        if count and self.reader.charge(count):
            size = self.font_px(flags & 0xFF)
            dx, dy = self.device(x, y)
            self.add(dx, dy + size / 2, size, raw.decode("utf-16le", "replace"), flags, brush, False)

    def draw_driver_string(self, flags: int, data: bytes) -> None:
        brush, options, _, count = _unpack("<IIII", data, 0)
        raw = _slice(data, 16, 2 * count)
        if not count:
            return
        if not options & 0x1:  # DriverStringOptionsCmapLookup unset: glyph indices
            self.reader.glyph_runs += 1
            return
        if self.reader.charge(count):
            x, y = _unpack("<ff", data, 16 + 2 * count)
            size = self.font_px(flags & 0xFF)
            dx, dy = self.device(x, y)
            text = raw.decode("utf-16le", "replace")
            self.add(dx, dy - 0.3 * size, size, text, flags, brush, bool(options & 2))

    def add(self, x: float, y: float, size: float, text: str, flags: int, brush: int, vertical: bool) -> None:
        text = _clean(text)
        if not text:
            return
        style = self.fonts.get(flags & 0xFF, (0.0, 0, 0))[2]
        red = bool(flags & 0x8000) and _is_red((brush >> 16) & 0xFF, (brush >> 8) & 0xFF, brush & 0xFF)
        hints = _hints(bool(style & 1), bool(style & 8), red)
        if not all(math.isfinite(v) for v in (x, y, size)):
            x, y, size = 0.0, 0.0, 1.0
        self.layer.runs.append(_Run(x, y, max(size, 1e-6), None, text, hints, vertical))


class _Wmf(_Walker):
    fmt = "WMF"

    def __init__(self, reader: _Reader, data: bytes, depth: int, origin: str) -> None:
        super().__init__(reader, data, depth, origin)
        self.objects: list[_Font | str | None] = []
        self.reference: tuple[float, float, float, float] | None = None  # x, y, width, height
        self.escaped: bytearray | None = None  # the EMF copy, as META_ESCAPE chunks bring it
        self.escaped_size = 0

    def walk(self) -> None:
        data, start = self.data, 0
        try:
            if data[:4] == _PLACEABLE:
                left, top, right, bottom = _unpack("<4h", data, 6)
                if right != left and bottom != top:
                    self.reference = (float(left), float(top), float(right - left), float(bottom - top))
                start = 22
            kind, header_words, version, size_words, objects = _unpack("<HHHIH", data, start)
        except _Damaged:
            raise CorruptFile("not a readable WMF: header cut short") from None
        if kind not in (1, 2) or header_words != 9 or version not in (0x100, 0x300):
            raise CorruptFile("not a readable WMF: bad header")
        self.objects = [None] * objects
        pos, number = start + 18, 1
        while pos < len(data):
            if pos + 6 > len(data):
                self.stop(number, pos, "is cut short")
                break
            words, function = _unpack("<IH", data, pos)
            if words < 3 or pos + 2 * words > len(data):
                why = "has size 0" if words == 0 else f"of {2 * words:,} bytes runs past the end"
                self.stop(number, pos, why)
                break
            if not self.reader.count_record():
                break
            number += 1
            if function == 0:  # META_EOF
                break
            handler = _WMF_HANDLERS.get(function)
            if handler is not None:
                try:
                    handler(self, data[pos : pos + 2 * words])
                except _Damaged:
                    self.damaged(number, function)
            pos += 2 * words
        else:
            if 2 * size_words > len(data) - start:
                self.reader.skipped.append(
                    SkippedPart(
                        "body",
                        f"truncated: {len(data) - start:,} of {2 * size_words:,} bytes; the rest not read",
                    )
                )
            else:
                self.reader.skipped.append(SkippedPart("body", "ends without an EOF record (truncated?)"))
        if self.escaped is not None:
            self.reader.skipped.append(SkippedPart("body", "the EMF copy in the WMF's comments is cut short"))
        frame = None
        if self.reference is not None:
            x, y, w, h = self.reference
            frame = (min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h))
        self.finish(frame)

    def mapping(self) -> _Xf:
        dc = self.dc
        if not dc.window_set or self.reference is None:
            return _IDENTITY
        rx, ry, rw, rh = self.reference
        sx = rw / dc.w_ext[0] if dc.w_ext[0] else 1.0
        sy = rh / dc.w_ext[1] if dc.w_ext[1] else 1.0
        return _Xf(sx, 0.0, 0.0, sy, rx - dc.w_org[0] * sx, ry - dc.w_org[1] * sy)

    def fix_reference(self) -> None:
        """Without a placeable header, the picture is the window in effect when drawing starts."""
        if self.reference is None and self.dc.window_set:
            (x, y), (w, h) = self.dc.w_org, self.dc.w_ext
            if w and h:
                self.reference = (x, y, w, h)

    # --- records -----------------------------------------------------------------------------

    def window(self, rec: bytes) -> None:
        (function,) = _unpack("<H", rec, 4)
        y, x = _unpack("<hh", rec, 6)
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
        y_denom, y_num, x_denom, x_num = _unpack("<4h", rec, 6)
        if x_denom and y_denom:
            ext = self.dc.w_ext
            self.dc.w_ext = (ext[0] * x_num / x_denom, ext[1] * y_num / y_denom)

    def set_value(self, rec: bytes) -> None:
        (function,) = _unpack("<H", rec, 4)
        if function == 0x001E:
            self.save()
        elif function == 0x0127:
            self.restore(_unpack("<h", rec, 6)[0])
        elif function == 0x012E:
            self.dc.align = _unpack("<H", rec, 6)[0]
        elif function == 0x0209:
            self.dc.color = _unpack("<I", rec, 6)[0] & 0xFFFFFF

    def slot(self, value: _Font | str) -> None:
        """A new object takes the lowest free index of the object table."""
        for index, held in enumerate(self.objects):
            if held is None:
                self.objects[index] = value
                return
        if len(self.objects) < 65536:
            self.objects.append(value)

    def create_font(self, rec: bytes) -> None:
        height, _, escapement, _, weight = _unpack("<5h", rec, 6)
        strike, charset = _unpack("<BB", rec, 18)
        face = _face(rec[24:56].split(b"\x00")[0])
        vertical = face.startswith("@") or escapement in (2700, -900)
        self.slot(_Font(abs(height), charset, face, weight >= 700, bool(strike), vertical))

    def create_other(self, rec: bytes) -> None:
        self.slot("object")

    def select(self, rec: bytes) -> None:
        (index,) = _unpack("<H", rec, 6)
        held = self.objects[index] if index < len(self.objects) else None
        if isinstance(held, _Font):
            self.dc.font = held

    def delete(self, rec: bytes) -> None:
        (index,) = _unpack("<H", rec, 6)
        if index < len(self.objects):
            self.objects[index] = None

    def text_out(self, rec: bytes) -> None:
        (length,) = _unpack("<h", rec, 6)
        raw = _slice(rec, 8, length)
        y, x = _unpack("<hh", rec, 8 + length + (length & 1))
        self.draw(x, y, raw, 0, None)

    def ext_text_out(self, rec: bytes) -> None:
        y, x, length, options = _unpack("<hhhH", rec, 6)
        at = 14 + (8 if options & 0x6 else 0)  # ETO_OPAQUE, ETO_CLIPPED: a rectangle first
        raw = _slice(rec, at, length)
        dx_at = at + length + (length & 1)
        advance = None
        if length > 0 and dx_at + 2 * length <= len(rec):
            advance = float(sum(_unpack(f"<{length}h", rec, dx_at)))
        self.draw(x, y, raw, options, advance)

    def draw(self, x: int, y: int, raw: bytes, options: int, advance: float | None) -> None:
        if not raw:
            return
        if options & _ETO_GLYPH_INDEX:
            self.reader.glyph_runs += 1
            return
        self.fix_reference()
        if self.reader.charge(len(raw)):
            self.place(float(x), float(y), self.decode8(raw), advance)

    def bitmap(self, rec: bytes) -> None:
        (function,) = _unpack("<H", rec, 4)
        if len(rec) // 2 == (function >> 8) + 3:
            return  # the form without a bitmap (a pattern fill)
        at = {0x0940: 22, 0x0B41: 26, 0x0F43: 28, 0x0D33: 24}.get(function)
        if at is None:  # META_BITBLT, META_STRETCHBLT: a device-dependent Bitmap16
            self.reader.not_read("device-dependent WMF bitmap")
            return
        self.fix_reference()
        self.reader.packed_dib(_slice(rec, at, len(rec) - at))

    def escape(self, rec: bytes) -> None:
        escape_function, _, ident, comment_type = _unpack("<HHII", rec, 6)
        if escape_function != 0x000F or ident != _WMFC or comment_type != 1:
            return
        chunk_size, _, total = _unpack("<III", rec, 32)
        chunk = _slice(rec, 44, chunk_size)
        if self.escaped is None:
            self.escaped, self.escaped_size = bytearray(), total
        self.escaped.extend(chunk)
        if len(self.escaped) >= self.escaped_size:
            copy = bytes(self.escaped[: self.escaped_size])
            self.escaped = None
            self.reader.nested(copy, self.depth + 1, f"{self.layer.origin} copy emf")


_CREATES = frozenset({0x00F7, 0x01F9, 0x02FA, 0x02FC, 0x06FF, 0x0142})

_EMF_HANDLERS: dict[int, Any] = {
    9: _Emf.set_pair,
    10: _Emf.set_pair,
    11: _Emf.set_pair,
    12: _Emf.set_pair,
    27: _Emf.set_pair,
    17: _Emf.set_value,
    22: _Emf.set_value,
    24: _Emf.set_value,
    33: _Emf.set_value,
    34: _Emf.set_value,
    31: _Emf.scale_ext,
    32: _Emf.scale_ext,
    35: _Emf.transform,
    36: _Emf.transform,
    37: _Emf.select,
    40: _Emf.delete,
    70: _Emf.comment,
    82: _Emf.create_font,
    83: _Emf.ext_text,
    84: _Emf.ext_text,
    96: _Emf.poly_text,
    97: _Emf.poly_text,
    108: _Emf.small_text,
    **dict.fromkeys((76, 77, 78, 79, 80, 81, 114, 116), _Emf.blit),
}
_PLUS_HANDLERS: dict[int, Any] = {
    0x4001: _EmfPlus.header,
    0x4008: _EmfPlus.obj,
    0x401C: _EmfPlus.draw_string,
    0x4036: _EmfPlus.draw_driver_string,
    0x4025: _EmfPlus.save,
    0x4026: _EmfPlus.restore,
    0x4027: _EmfPlus.save,  # BeginContainer: its own transform is not applied
    0x4028: _EmfPlus.save,
    0x4029: _EmfPlus.restore,
    0x402A: _EmfPlus.world_transform,
    0x402B: _EmfPlus.reset_transform,
    0x402C: _EmfPlus.modify_transform,
    0x402D: _EmfPlus.translate,
    0x402E: _EmfPlus.scale_transform,
    0x402F: _EmfPlus.rotate,
    0x4030: _EmfPlus.page_transform,
}
_WMF_HANDLERS: dict[int, Any] = {
    0x020B: _Wmf.window,
    0x020C: _Wmf.window,
    0x020F: _Wmf.window,
    0x0214: _Wmf.window,
    0x0410: _Wmf.scale_window,
    0x001E: _Wmf.set_value,
    0x0127: _Wmf.set_value,
    0x012E: _Wmf.set_value,
    0x0209: _Wmf.set_value,
    0x02FB: _Wmf.create_font,
    0x012D: _Wmf.select,
    0x01F0: _Wmf.delete,
    0x0521: _Wmf.text_out,
    0x0A32: _Wmf.ext_text_out,
    0x0626: _Wmf.escape,
    **dict.fromkeys(_CREATES, _Wmf.create_other),
    **dict.fromkeys((0x0940, 0x0B41, 0x0F43, 0x0D33, 0x0922, 0x0B23), _Wmf.bitmap),
}


def extract(data: bytes, config: ScanConfig) -> Extraction:
    reader = _Reader()
    reader.read(data, 0, "emf" if data[40:44] == _EMF_SIGNATURE else "wmf")
    return reader.extraction()


# --- text ------------------------------------------------------------------------------------


def _lines(runs: list[_Run]) -> list[tuple[str, float, frozenset[str]]]:
    """(text, vertical centre, hints) of the lines the runs make, top to bottom, then vertical columns."""
    across = [r for r in runs if not r.vertical]
    # A vertical column is a line turned a quarter: x runs down the page, columns right to left.
    down = [_Run(r.y, -r.x, r.size, r.width, r.text, r.hints) for r in runs if r.vertical]
    found = []
    for group, turned in ((across, False), (down, True)):
        lines: list[list[_Run]] = []
        for run in sorted(group, key=lambda r: (r.y, r.x)):
            if lines and abs(lines[-1][0].y - run.y) <= max(run.size, lines[-1][0].size) * 0.5:
                lines[-1].append(run)
            else:
                lines.append([run])
        for line in lines:
            text = _join(sorted(line, key=lambda r: r.x))
            if text:
                centre = min(r.x for r in line) if turned else line[0].y
                hints = frozenset(h for r in line for h in r.hints)
                found.append((text, centre, hints))
    return found


def _join(ordered: list[_Run]) -> str:
    pieces: list[str] = []
    kept: list[_Run] = []
    end = -math.inf
    for run in ordered:
        if any(k.text == run.text and abs(k.x - run.x) < 0.3 * run.size for k in kept[-8:]):
            continue  # a shadow or outline drawn over the same glyphs
        if kept:
            before = kept[-1]
            limit = (0.2 if before.width is not None else 0.6) * max(run.size, before.size)
            if run.x - end > limit and not pieces[-1].endswith(" ") and not run.text.startswith(" "):
                pieces.append(" ")
        pieces.append(run.text)
        kept.append(run)
        width = run.width if run.width is not None else _estimate(run.text) * run.size
        end = max(end, run.x + width)
    return " ".join("".join(pieces).split())


def _estimate(text: str) -> float:
    """A string's advance in ems, when the record does not give it."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def _clean(text: str) -> str:
    return "".join(" " if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c == "\ufffe" else c for c in text)


_HINT_SETS: dict[tuple[bool, bool, bool], frozenset[str]] = {}


def _hints(bold: bool, strike: bool, red: bool) -> frozenset[str]:
    """One shared set per combination: a metafile may have a million runs."""
    key = (bold, strike, red)
    if key not in _HINT_SETS:
        _HINT_SETS[key] = frozenset(n for n, on in zip(("bold", "strike", "red"), key, strict=True) if on)
    return _HINT_SETS[key]


def _is_red(red: int, green: int, blue: int) -> bool:
    return red >= 0xB0 and green < 0x60 and blue < 0x60


def _face(raw: bytes) -> str:
    """A WMF face name (8-bit, in its font's charset, which CJK names need)."""
    if raw.isascii():
        return raw.decode("ascii")
    for codec in ("gb18030", "cp950", "cp932", "cp949"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _decode8(raw: bytes, font: _Font) -> str:
    codec = _CHARSETS.get(font.charset)
    if codec is None:  # DEFAULT_CHARSET, OEM_CHARSET: the system's code page, not in the file
        face = font.face.lower()
        codec = next((c for c, names in _FACE_CODECS if any(n in face for n in names)), None)
        if codec is None:
            codec = "gb18030" if _gb2312_pairs(raw) else "cp1252"
    return raw.decode(codec, "replace")


def _gb2312_pairs(raw: bytes) -> bool:
    """Every non-ASCII byte is half of a GB2312 pair (both bytes 0xA1-0xFE), and there is one."""
    index, pairs = 0, 0
    while index < len(raw):
        if raw[index] < 0x80:
            index += 1
            continue
        if not (0xA1 <= raw[index] <= 0xFE and index + 1 < len(raw) and 0xA1 <= raw[index + 1] <= 0xFE):
            return False
        index, pairs = index + 2, pairs + 1
    return pairs > 0


def _picture_ext(data: bytes) -> str:
    for magic, ext in _PICTURE_MAGIC:
        if data.startswith(magic):
            return ext
    return "bmp" if data.startswith(b"BM") else "bin"
