"""The affine transforms that place metafile text: GDI's XFORM and GDI+'s matrix.

Six floats and two operations are all the mapping needs, so no geometry library.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Xf:
    """An affine transform, row-vector convention (GDI XFORM, GDI+ matrix)."""

    m11: float = 1.0
    m12: float = 0.0
    m21: float = 0.0
    m22: float = 1.0
    dx: float = 0.0
    dy: float = 0.0

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return x * self.m11 + y * self.m21 + self.dx, x * self.m12 + y * self.m22 + self.dy

    def then(self, o: Xf) -> Xf:
        """This transform, then ``o``."""
        return Xf(
            self.m11 * o.m11 + self.m12 * o.m21,
            self.m11 * o.m12 + self.m12 * o.m22,
            self.m21 * o.m11 + self.m22 * o.m21,
            self.m21 * o.m12 + self.m22 * o.m22,
            self.dx * o.m11 + self.dy * o.m21 + o.dx,
            self.dx * o.m12 + self.dy * o.m22 + o.dy,
        )


IDENTITY = Xf()
