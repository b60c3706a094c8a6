"""EMF records that set the device context, and the page mapping they make (MS-EMF 2.3.11, 2.3.12).

Window and viewport origins and extents, the map mode, the world transform,
text alignment, text colour and saved states: together they say where on the
picture a string drawn at a logical point lands, which is what groups glyphs
into lines. Each record is a type and a few integers or floats.
"""

from __future__ import annotations

import math

from secscan.extractors.metafile.dc import DC
from secscan.extractors.metafile.records import unpack
from secscan.extractors.metafile.walker import Walker
from secscan.extractors.metafile.xform import IDENTITY, Xf

# Map modes with a fixed unit, in millimetres; y grows upwards.
_MAP_MM = {2: 0.1, 3: 0.01, 4: 0.254, 5: 0.0254, 6: 25.4 / 1440}
_MM_ISOTROPIC, _MM_ANISOTROPIC = 7, 8


def page_mapping(dc: DC, px_per_mm: tuple[float, float]) -> Xf:
    """Logical coordinates -> device pixels: the world transform, then window to viewport."""
    sx, sy = _page_scale(dc, px_per_mm)
    page = Xf(sx, 0.0, 0.0, sy, dc.v_org[0] - dc.w_org[0] * sx, dc.v_org[1] - dc.w_org[1] * sy)
    return dc.world.then(page)


def _page_scale(dc: DC, px_per_mm: tuple[float, float]) -> tuple[float, float]:
    if dc.map_mode in (_MM_ISOTROPIC, _MM_ANISOTROPIC):
        sx = dc.v_ext[0] / dc.w_ext[0] if dc.w_ext[0] else 1.0
        sy = dc.v_ext[1] / dc.w_ext[1] if dc.w_ext[1] else 1.0
        if dc.map_mode == _MM_ISOTROPIC:
            least = min(abs(sx), abs(sy))
            sx, sy = math.copysign(least, sx), math.copysign(least, sy)
        return sx, sy
    mm = _MAP_MM.get(dc.map_mode)
    if mm is not None:
        return mm * px_per_mm[0], -mm * px_per_mm[1]
    return 1.0, 1.0


def set_pair(walker: Walker, rec: bytes) -> None:
    """EMR_SETWINDOWEXTEX, _SETWINDOWORGEX, _SETVIEWPORTEXTEX, _SETVIEWPORTORGEX, _MOVETOEX."""
    kind = unpack("<I", rec, 0)[0]
    x, y = unpack("<ii", rec, 8)
    dc = walker.dc
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


def scale_ext(walker: Walker, rec: bytes) -> None:
    """EMR_SCALEVIEWPORTEXTEX (31), EMR_SCALEWINDOWEXTEX (32)."""
    kind = unpack("<I", rec, 0)[0]
    xn, xd, yn, yd = unpack("<4i", rec, 8)
    if xd and yd:
        dc = walker.dc
        ext = dc.v_ext if kind == 31 else dc.w_ext
        scaled = (ext[0] * xn / xd, ext[1] * yn / yd)
        if kind == 31:
            dc.v_ext = scaled
        else:
            dc.w_ext = scaled


def set_value(walker: Walker, rec: bytes) -> None:
    """EMR_SETMAPMODE, _SETTEXTALIGN, _SETTEXTCOLOR, _SAVEDC, _RESTOREDC."""
    (kind,) = unpack("<I", rec, 0)
    if kind == 33:  # EMR_SAVEDC has no parameter
        walker.save()
        return
    (value,) = unpack("<i", rec, 8)
    if kind == 17:
        walker.dc.map_mode = value
    elif kind == 22:
        walker.dc.align = value
    elif kind == 24:
        walker.dc.color = value & 0xFFFFFF
    elif kind == 34:
        walker.restore(value)


def transform(walker: Walker, rec: bytes) -> None:
    """EMR_SETWORLDTRANSFORM (35), EMR_MODIFYWORLDTRANSFORM (36)."""
    kind = unpack("<I", rec, 0)[0]
    xf = Xf(*unpack("<6f", rec, 8))
    dc = walker.dc
    if kind == 35:
        dc.world = xf
        return
    (mode,) = unpack("<I", rec, 32)
    if mode == 1:  # MWT_IDENTITY
        dc.world = IDENTITY
    elif mode == 2:  # MWT_LEFTMULTIPLY
        dc.world = xf.then(dc.world)
    elif mode == 3:  # MWT_RIGHTMULTIPLY
        dc.world = dc.world.then(xf)
    elif mode == 4:  # MWT_SET
        dc.world = xf
