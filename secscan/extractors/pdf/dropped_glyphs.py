"""PDF text that pdfium drops, found on pdfium's own objects (``glyph_recovery`` recovers it).

What it is for. pdfium leaves a text object out of the page text when its
bounds are narrower than 0.01 pt, and the bounds are built from glyph outlines.
A CJK font that is not embedded (STSong-Light, Adobe's standard CJK fonts,
SimSun referenced by name) has no outlines on a machine without a CJK system
font, the default on servers and in CI. A string of two or more glyphs still has
width from its advances, but a single glyph has none, so every glyph that is
positioned on its own, as 密级 marks and vertical 绝/密/★ columns often are,
vanishes from the text with no error (in vertical writing mode whole strings
do, their advance being vertical). A scanner must not lose text silently.

Detection (:func:`unread_objects`) walks the page's objects (and those inside
form XObjects) and counts text objects that are zero-width, whose font is not
embedded and maps the ideograph 一 (present in every CJK character collection)
to a full-width glyph without an outline, and whose text pdfium's textpage does
not hold (``FPDFTextObj_GetText`` empty). Zero-width alone is not enough: 230
of 1,381 real-world pages have zero-width text objects, nearly all lone spaces
in their own objects (Word, Acrobat); pdfium drops those too, harmlessly. The
font verdict is cached per font handle, so a normal page pays a type and a
bounds call per object. It is CJK-specific on purpose: other scripts in fonts
that are neither embedded nor installed are not detected.

Measured costs: benchmarks/pdf_glyph_recovery.md.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import cache
from typing import Any

_MIN_WIDTH = 0.01  # pdfium's textpage skips a text object narrower than this (kSizeEpsilon)
_PROBE = 0x4E00  # 一: in GB1, CNS1, Japan1 and Korea1, so any CJK font maps it
_FULL_WIDTH = 0.9  # ideographs advance about 1 em; a Latin font's unmapped fallback far less
_MAX_FORM_DEPTH = 8  # forms nest a level or two; the limit only guards against cycles


def unread_objects(page: Any, textpage: Any, fonts: dict[int, bool]) -> int:
    """How many text objects on the page pdfium left out of its text for want of glyph outlines."""
    calls = _walk_calls()
    raw = _address(page.raw)
    return _Scan(calls, textpage.raw, fonts).count(raw, calls.count_objects(raw), calls.get_object, 0)


@dataclass(frozen=True)
class _WalkCalls:
    """The pdfium calls made once per object, declared on plain addresses.

    pypdfium2's own declarations build a typed pointer object for every
    returned handle and check it on every call; on plain ``c_void_p`` the walk
    over a page's objects takes about a third less time, which is most of what
    detection costs a normal page.
    """

    count_objects: Any
    get_object: Any
    form_count: Any
    form_get: Any
    get_type: Any
    get_bounds: Any
    text: int
    form: int


@cache
def _walk_calls() -> _WalkCalls:
    import pypdfium2.raw as pdfium_c

    handle, index, box = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)
    return _WalkCalls(
        count_objects=_redeclare(pdfium_c.FPDFPage_CountObjects, ctypes.c_int, handle),
        get_object=_redeclare(pdfium_c.FPDFPage_GetObject, handle, handle, index),
        form_count=_redeclare(pdfium_c.FPDFFormObj_CountObjects, ctypes.c_int, handle),
        form_get=_redeclare(pdfium_c.FPDFFormObj_GetObject, handle, handle, ctypes.c_ulong),
        get_type=_redeclare(pdfium_c.FPDFPageObj_GetType, ctypes.c_int, handle),
        get_bounds=_redeclare(pdfium_c.FPDFPageObj_GetBounds, ctypes.c_int, handle, box, box, box, box),
        text=pdfium_c.FPDF_PAGEOBJ_TEXT,
        form=pdfium_c.FPDF_PAGEOBJ_FORM,
    )


def _redeclare(function: Any, restype: Any, *argtypes: Any) -> Any:
    """The same native function under other ctypes types (its class keeps the calling convention)."""
    twin = type(function)(_address(function))
    twin.restype, twin.argtypes = restype, argtypes
    return twin


def _address(pointer: Any) -> int:
    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


class _Scan:
    """One walk over a page's objects; the bounds buffers are reused for every object."""

    def __init__(self, calls: _WalkCalls, textpage: Any, fonts: dict[int, bool]) -> None:
        self.calls = calls
        self.textpage = textpage
        self.fonts = fonts
        self.box = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())

    def count(self, holder: int, total: int, get: Any, depth: int) -> int:
        calls = self.calls
        get_type, get_bounds, text, form = calls.get_type, calls.get_bounds, calls.text, calls.form
        left, bottom, right, top = self.box
        unread = 0
        for index in range(total):
            obj = get(holder, index)
            kind = get_type(obj)
            if kind == text:
                get_bounds(obj, left, bottom, right, top)
                if right.value - left.value < _MIN_WIDTH and self._dropped(obj):
                    unread += 1
            elif kind == form and depth < _MAX_FORM_DEPTH:
                unread += self.count(obj, calls.form_count(obj), calls.form_get, depth + 1)
        return unread

    def _dropped(self, address: int) -> bool:
        import pypdfium2.raw as pdfium_c

        obj = ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT)
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        if not font:
            return False
        key = _address(font)
        glyphless = self.fonts.get(key)
        if glyphless is None:
            glyphless = self.fonts[key] = _glyphless(font)
        # The bytes pdfium would write: 2 is the terminator alone, i.e. the textpage has none of its text.
        return glyphless and pdfium_c.FPDFTextObj_GetText(obj, self.textpage, None, 0) <= 2


def _glyphless(font: Any) -> bool:
    """A CJK font pdfium found no outlines for: not embedded, maps 一 full-width, cannot draw it."""
    import pypdfium2.raw as pdfium_c

    if pdfium_c.FPDFFont_GetIsEmbedded(font):
        return False
    width = ctypes.c_float()
    if not pdfium_c.FPDFFont_GetGlyphWidth(font, _PROBE, 1.0, width) or abs(width.value) < _FULL_WIDTH:
        return False
    path = pdfium_c.FPDFFont_GetGlyphPath(font, _PROBE, 1.0)
    return not path or pdfium_c.FPDFGlyphPath_CountGlyphSegments(path) <= 0


# Recovery, with pypdf.
