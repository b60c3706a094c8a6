"""EMF text records: ``EMR_EXTTEXTOUTW``/``A``, ``EMR_POLYTEXTOUTW``/``A``, ``EMR_SMALLTEXTOUT``.

Each gives a reference point, the characters (UTF-16, or 8-bit in the font's
charset) and, usually, the advance of every glyph, which says how wide the
string is drawn. A string of glyph indices has no characters to read and is
only counted.
"""

from __future__ import annotations

from secscan.extractors.metafile.records import take, unpack
from secscan.extractors.metafile.walker import Walker

_ETO_NO_RECT, _ETO_SMALL_CHARS, _ETO_PDY = 0x100, 0x200, 0x2000
_EXTTEXTOUTW, _POLYTEXTOUTW = 84, 97


def ext_text(walker: Walker, rec: bytes) -> None:
    kind = unpack("<I", rec, 0)[0]
    _emr_text(walker, rec, 36, kind == _EXTTEXTOUTW)


def poly_text(walker: Walker, rec: bytes) -> None:
    kind = unpack("<I", rec, 0)[0]
    (count,) = unpack("<I", rec, 36)
    for index in range(min(count, (len(rec) - 40) // 40)):
        _emr_text(walker, rec, 40 + 40 * index, kind == _POLYTEXTOUTW)


def _emr_text(walker: Walker, rec: bytes, at: int, wide: bool) -> None:
    """One EmrText object at ``at``: reference point, chars, offString, options, rectangle, offDx."""
    x, y, count, offset, options = unpack("<iiIII", rec, at)
    if count == 0:
        return
    raw = take(rec, offset, count * (2 if wide else 1))
    if walker.glyph_indices(options) or not walker.reader.charge(count):
        return
    text = raw.decode("utf-16le", "replace") if wide else walker.decode8(raw)
    (dx_at,) = unpack("<I", rec, at + 36)
    step = 2 if options & _ETO_PDY else 1  # with ETO_PDY each glyph has an x and a y advance
    advance = None
    if dx_at and dx_at + 4 * count * step <= len(rec):
        advance = float(sum(unpack(f"<{count * step}i", rec, dx_at)[::step]))
    walker.place(x, y, text, advance)


def small_text(walker: Walker, rec: bytes) -> None:
    x, y, count, options = unpack("<iiII", rec, 8)
    if count == 0:
        return
    at = 36 if options & _ETO_NO_RECT else 52
    small = options & _ETO_SMALL_CHARS  # 8-bit characters, the low bytes of UTF-16
    raw = take(rec, at, count if small else 2 * count)
    if walker.glyph_indices(options):
        return
    if walker.reader.charge(count):
        walker.place(x, y, raw.decode("latin-1" if small else "utf-16le", "replace"), None)
