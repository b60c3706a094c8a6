"""Glyph strings placed on a metafile picture -> lines of text (``TextBlock``).

Metafiles draw text a glyph or a word at a time, in any order, so the strings
are grouped into lines by their vertical centre (within half the font height:
same line), left to right, and a title drawn glyph by glyph reads as one line
``机密★5年``. Vertical text (an @-face, a 270° escapement) is grouped the same
way, turned a quarter. Each picture the file holds (the EMF, its EMF+ records,
the copies nested in it) is a layer; a line an earlier layer already gave is
drawn twice (EMF+ with its EMF fallback) and reported once. Layout analysis
libraries work on PDF pages or rendered pixels, not on these runs.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

from secscan.model import TextBlock

Frame = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(slots=True)
class Run:
    """One glyph string placed on the picture (device units, y down)."""

    x: float  # left edge
    y: float  # vertical centre
    size: float  # font height
    width: float | None  # advance, when the record gives it
    text: str
    hints: frozenset[str]
    vertical: bool = False


@dataclass
class Layer:
    """The runs one picture (an EMF, its EMF+ records, a nested copy) draws, and its frame."""

    origin: str
    frame: Frame | None
    runs: list[Run] = field(default_factory=list)

    def add(self, run: Run) -> None:
        # A damaged transform gives inf or nan: the text is still read, at the picture's corner.
        if not all(math.isfinite(v) for v in (run.x, run.y, run.size)):
            run.x, run.y, run.size = 0.0, 0.0, 1.0
        if run.width is not None and not math.isfinite(run.width):
            run.width = None
        run.size = max(run.size, 1e-6)
        self.runs.append(run)


_HINT_SETS: dict[tuple[bool, bool, bool], frozenset[str]] = {}


def hints(bold: bool, strike: bool, red: bool) -> frozenset[str]:
    """One shared set per combination: a metafile may have a million runs."""
    key = (bold, strike, red)
    if key not in _HINT_SETS:
        _HINT_SETS[key] = frozenset(n for n, on in zip(("bold", "strike", "red"), key, strict=True) if on)
    return _HINT_SETS[key]


def estimate(text: str) -> float:
    """A string's advance in ems, when the record does not give it."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def text_blocks(layers: list[Layer], metadata: list[tuple[str, str]]) -> list[TextBlock]:
    """The body lines of every layer (each distinct line once), then the metadata (origin, text)."""
    blocks: list[TextBlock] = []
    seen: set[str] = set()
    for layer in layers:
        own: set[str] = set()
        for text, centre, marks in _lines(layer.runs):
            if text in seen:
                continue  # the same text drawn by an earlier layer (EMF+ and its EMF fallback ...)
            own.add(text)
            vpos = None if layer.frame is None else _vpos(centre, layer.frame)
            blocks.append(
                TextBlock(text, "body", line=len(blocks) + 1, origin=layer.origin, vpos=vpos, hints=marks)
            )
        seen |= own
    for number, (origin, text) in enumerate(dict.fromkeys(metadata), 1):
        blocks.append(TextBlock(text, "metadata", line=number, origin=origin))
    return blocks


def _vpos(centre: float, frame: Frame) -> float:
    """A line's centre over the picture's frame, 0 (top) to 1 (bottom)."""
    top, bottom = frame[1], frame[3]
    return round(min(max((centre - top) / max(bottom - top, 1e-9), 0.0), 1.0), 4)


def _lines(runs: list[Run]) -> list[tuple[str, float, frozenset[str]]]:
    """(text, vertical centre, hints) of the lines the runs make, top to bottom, then vertical columns."""
    across = [r for r in runs if not r.vertical]
    # A vertical column is a line turned a quarter: x runs down the page, columns right to left.
    down = [Run(r.y, -r.x, r.size, r.width, r.text, r.hints) for r in runs if r.vertical]
    found = []
    for group, turned in ((across, False), (down, True)):
        lines: list[list[Run]] = []
        for run in sorted(group, key=lambda r: (r.y, r.x)):
            if lines and abs(lines[-1][0].y - run.y) <= max(run.size, lines[-1][0].size) * 0.5:
                lines[-1].append(run)
            else:
                lines.append([run])
        for line in lines:
            text = _join(sorted(line, key=lambda r: r.x))
            if text:
                centre = min(r.x for r in line) if turned else line[0].y
                found.append((text, centre, frozenset(h for r in line for h in r.hints)))
    return found


def _join(ordered: list[Run]) -> str:
    """The text of one line's runs, left to right: a space where a gap is wider than a glyph's."""
    pieces: list[str] = []
    kept: list[Run] = []
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
        width = run.width if run.width is not None else estimate(run.text) * run.size
        end = max(end, run.x + width)
    return " ".join("".join(pieces).split())
