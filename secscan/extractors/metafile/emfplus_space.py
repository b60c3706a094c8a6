"""EMF+ coordinate spaces: world and page transforms, saved states, units -> device pixels.

GDI+ keeps its own transforms beside the EMF's device context (MS-EMFPLUS
2.3.9, 2.3.10): a world matrix, a page unit and scale, and states saved by
index. An EMF+ string is placed through them, not through the EMF's mapping.
"""

from __future__ import annotations

import math

from secscan.extractors.metafile.records import unpack
from secscan.extractors.metafile.xform import IDENTITY, Xf

_UNIT_PER_INCH = {3: 72.0, 4: 1.0, 5: 300.0, 6: 25.4}  # point, inch, document, millimetre
_UNIT_WORLD = 0
_APPEND = 0x2000  # transform flag: the new matrix applies after the world transform, not before
_MAX_SAVED = 10_000


class PlusSpace:
    """The EMF+ transforms, as the records so far have set them."""

    def __init__(self) -> None:
        self.dpi = (96.0, 96.0)
        self.world = IDENTITY
        self.unit = 1
        self.scale = 1.0
        self.saved: dict[int, tuple[Xf, int, float]] = {}

    def unit_px(self, unit: int) -> float:
        per_inch = _UNIT_PER_INCH.get(unit)
        return self.dpi[1] / per_inch if per_inch else 1.0  # world, display, pixel

    def device(self, x: float, y: float) -> tuple[float, float]:
        wx, wy = self.world.apply(x, y)
        k = self.scale * self.unit_px(self.unit)
        return wx * k, wy * k

    def length(self, em: float, unit: int) -> float:
        """A font's em size in ``unit`` -> device pixels."""
        if unit == _UNIT_WORLD:
            x0, y0 = self.device(0.0, 0.0)
            return math.dist((x0, y0), self.device(0.0, em))
        return em * self.unit_px(unit)

    # --- records -----------------------------------------------------------------------------

    def header(self, flags: int, data: bytes) -> None:
        dpi_x, dpi_y = unpack("<II", data, 8)
        if dpi_x > 0 and dpi_y > 0:
            self.dpi = (float(dpi_x), float(dpi_y))

    def page_transform(self, flags: int, data: bytes) -> None:
        (scale,) = unpack("<f", data, 0)
        self.unit, self.scale = flags & 0xFF, scale if math.isfinite(scale) and scale else 1.0

    def world_transform(self, flags: int, data: bytes) -> None:
        self.world = Xf(*unpack("<6f", data, 0))

    def reset_transform(self, flags: int, data: bytes) -> None:
        self.world = IDENTITY

    def modify_transform(self, flags: int, data: bytes, xf: Xf | None = None) -> None:
        xf = xf or Xf(*unpack("<6f", data, 0))
        self.world = self.world.then(xf) if flags & _APPEND else xf.then(self.world)

    def translate(self, flags: int, data: bytes) -> None:
        dx, dy = unpack("<ff", data, 0)
        self.modify_transform(flags, data, Xf(dx=dx, dy=dy))

    def scale_transform(self, flags: int, data: bytes) -> None:
        sx, sy = unpack("<ff", data, 0)
        self.modify_transform(flags, data, Xf(m11=sx, m22=sy))

    def rotate(self, flags: int, data: bytes) -> None:
        (angle,) = unpack("<f", data, 0)
        if math.isfinite(angle):
            c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            self.modify_transform(flags, data, Xf(c, s, -s, c))

    def save(self, flags: int, data: bytes) -> None:
        """Save, BeginContainer, BeginContainerNoParams: the state index is the last field."""
        (index,) = unpack("<I", data, len(data) - 4 if len(data) >= 4 else 0)
        if len(self.saved) < _MAX_SAVED:
            self.saved[index] = (self.world, self.unit, self.scale)

    def restore(self, flags: int, data: bytes) -> None:
        (index,) = unpack("<I", data, 0)
        if index in self.saved:
            self.world, self.unit, self.scale = self.saved.pop(index)
