"""What an OCR engine hands back, before it becomes text blocks.

An engine reads one RGB picture and returns its text segments with their boxes
in that picture's pixels, plus how far the page has to be turned to stand
upright (photos are taken sideways and upside down). ``layout`` then turns
segments into lines on the upright page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PIL import Image

    from secscan.ocr.deadline import Deadline

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the picture's pixels


@dataclass(frozen=True)
class Segment:
    """One run of text the engine found, with its confidence (0..1)."""

    text: str
    confidence: float
    box: Box
    hints: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PageRead:
    """An engine's reading of one picture.

    ``turn`` is the counter-clockwise rotation (0, 90, 180, 270) that makes the
    page upright; boxes are in the picture as given, of ``size`` (width, height).
    """

    segments: tuple[Segment, ...]
    size: tuple[int, int]
    turn: int = 0
    engine: str = ""


class Engine(Protocol):
    name: str

    def read(self, image: Image.Image, deadline: Deadline) -> PageRead: ...
