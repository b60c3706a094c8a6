"""OFD page content -> text lines with their vertical position.

OFD producers often write one ``TextObject`` per glyph or per run, so a
marking like ``机密★5年`` can be six objects. Text codes are placed by their
baseline (Boundary origin + TextCode X/Y, in millimetres) and grouped into
lines by baseline, then ordered left to right, so the matcher sees the line a
reader sees. CTM transforms are ignored (rotated text stays in its own line).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from lxml import etree


@dataclass(frozen=True)
class Glyphs:
    x: float
    y: float
    size: float
    text: str


def page_glyphs(root: etree._Element) -> list[Glyphs]:
    """Every text code of a page (or template, or annotation appearance)."""
    found = []
    for obj in root.iter("{*}TextObject"):
        box = _numbers(obj.get("Boundary", ""))
        left, top = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
        size = _float(obj.get("Size", ""), 3.5)
        for code in obj.iter("{*}TextCode"):
            if code.text and code.text.strip():
                x = left + _float(code.get("X", ""), 0.0)
                y = top + _float(code.get("Y", ""), size)
                found.append(Glyphs(x, y, size, code.text))
    return found


def group_lines(glyphs: list[Glyphs]) -> list[tuple[str, float]]:
    """(line text, baseline y) for glyphs grouped by baseline, top to bottom."""
    lines: list[list[Glyphs]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.y, g.x)):
        if lines and abs(lines[-1][0].y - glyph.y) <= max(glyph.size, 1.0) * 0.5:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    result = []
    for line in lines:
        ordered = sorted(line, key=lambda g: g.x)
        pieces = [ordered[0].text]
        for before, glyph in itertools.pairwise(ordered):
            # A wide gap between runs is a word or column gap, worth one space.
            gap = glyph.x - (before.x + before.size * len(before.text))
            pieces.append((" " if gap > 2 * glyph.size else "") + glyph.text)
        result.append(("".join(pieces).strip(), line[0].y))
    return [(text, y) for text, y in result if text]


def page_height(box_text: str | None, default: float) -> float:
    box = _numbers(box_text or "")
    return box[3] if len(box) == 4 and box[3] > 0 else default


def _numbers(text: str) -> list[float]:
    values = []
    for piece in text.split():
        try:
            values.append(float(piece))
        except ValueError:
            return []
    return values


def _float(text: str, default: float) -> float:
    try:
        return float(text)
    except ValueError:
        return default
