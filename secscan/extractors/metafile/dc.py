"""The GDI device-context state that decides where a string lands and how it reads.

EMF and WMF draw text at a logical point, and the selected font, the text
alignment and the current position decide where its glyphs really are; the
walkers keep that state here and ask ``DC.run`` for the placed string. Only
the handful of GDI rules text placement needs are modelled: a renderer
(libemf2svg, a GDI emulation) would model everything else too, to draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from secscan.extractors._common.colour import is_red
from secscan.extractors.metafile.lines import Run, estimate, hints
from secscan.extractors.metafile.xform import IDENTITY, Xf

_TA_UPDATECP, _TA_RIGHT, _TA_CENTER, _TA_BOTTOM, _TA_BASELINE = 1, 2, 6, 8, 24
_DEFAULT_EM = 12.0  # logical units, when a font says height 0 (the device default)


@dataclass(frozen=True, slots=True)
class Font:
    height: float = 0.0  # logical units, absolute
    charset: int = 1
    face: str = ""
    bold: bool = False
    strike: bool = False
    vertical: bool = False  # an @-face or 270° escapement: glyphs run down the page


def logfont(height: int, escapement: int, weight: int, strike: int, charset: int, face: str) -> Font:
    """The font a LOGFONT (EMF) or a META_CREATEFONTINDIRECT's Font (WMF) describes."""
    vertical = face.startswith("@") or escapement in (2700, -900)
    return Font(abs(height), charset, face, weight >= 700, bool(strike), vertical)


@dataclass(slots=True)
class DC:
    """The playback state that decides where text lands and how it is decoded."""

    world: Xf = IDENTITY
    map_mode: int = 1
    w_org: tuple[float, float] = (0.0, 0.0)
    w_ext: tuple[float, float] = (1.0, 1.0)
    v_org: tuple[float, float] = (0.0, 0.0)
    v_ext: tuple[float, float] = (1.0, 1.0)
    window_set: bool = False
    font: Font = Font()
    align: int = 0
    color: int = 0  # COLORREF 0x00BBGGRR
    cp: tuple[float, float] = (0.0, 0.0)

    def run(self, xf: Xf, x: float, y: float, text: str, advance: float | None) -> Run:
        """``text`` drawn at logical (x, y) with ``advance`` (if the record gives it), on the picture
        through ``xf``; drawing at the current position moves it."""
        em = self.font.height or _DEFAULT_EM
        if self.align & _TA_UPDATECP:
            x, y = self.cp
        length = advance if advance is not None else estimate(text) * em
        if self.align & _TA_UPDATECP:
            self.cp = (x + length, y)
        left = x
        if self.align & _TA_CENTER == _TA_CENTER:
            left = x - length / 2
        elif self.align & _TA_RIGHT:
            left = x - length
        rx, ry = xf.apply(x, y)
        size = math.dist((rx, ry), xf.apply(x, y + em))
        lx, ly = xf.apply(left, y)
        ex, ey = xf.apply(left + length, y)
        width = math.dist((lx, ly), (ex, ey)) if advance is not None else None
        anchor = self.align & _TA_BASELINE
        centre = ry + size * (-0.3 if anchor == _TA_BASELINE else -0.5 if anchor == _TA_BOTTOM else 0.5)
        red = is_red(self.color & 0xFF, (self.color >> 8) & 0xFF, (self.color >> 16) & 0xFF)
        marks = hints(self.font.bold, self.font.strike, red)
        return Run(min(lx, ex), centre, size, width, text, marks, self.font.vertical)
