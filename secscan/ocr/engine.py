"""What an OCR engine hands back, before it becomes text blocks.

An engine reads one RGB picture and returns its text segments with their boxes
in that picture's pixels, plus how far the page has to be turned to stand
upright (photos are taken sideways and upside down). ``layout`` then turns
segments into lines on the upright page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
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
    turned: int = 0  # the engine already stood the picture upright by this many degrees (boxes are upright)


# Called by an engine after it read the marking bands: True when what it has read
# already decides the verdict, so the rest of the page need not be read.
Enough = Callable[[PageRead], bool]


class Engine(Protocol):
    name: str

    def read(self, image: Image.Image, deadline: Deadline, enough: Enough | None = None) -> PageRead: ...


# Seconds spent per OCR stage (det, cls, rec, prep) in this process: the benchmark
# reports the split so a speed change can be traced to the stage that moved.
_STAGES: dict[str, float] = {}


class timed:
    """Adds the seconds spent inside the ``with`` block to stage ``name``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.start = 0.0

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *_: object) -> None:
        _STAGES[self.name] = _STAGES.get(self.name, 0.0) + time.perf_counter() - self.start


def stage_seconds() -> dict[str, float]:
    """Seconds per stage since the process started (a copy)."""
    return dict(_STAGES)
