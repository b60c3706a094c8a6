"""A PDF page's text layer -> positioned lines (text, line number, vpos).

pdfium already groups glyphs into lines when it builds the page text, inserting
generated ``\\r\\n`` characters that keep their place in the character index. So
one ``get_text_range`` call gives the lines, and one char box per line gives
its vertical position: a few native calls per line instead of one per glyph,
which keeps the extractor near pdfium's own speed.

Vertical CJK text (and text set one glyph per line) comes out as a column of
one-glyph lines; those are joined back by their boxes, so 机/密/★/5/年 stacked
down a margin is read as 机密★5年.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from secscan.model import PageBox, TextBlock

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF units
_COLUMN_GLYPHS = 2  # a line this short (non-space chars) may be part of a vertical column


@dataclass
class Line:
    text: str
    box: Box  # the first glyph's: the column joining measures glyphs by it
    extent: Box | None = None  # first to last glyph, for the report's evidence crop


def page_lines(textpage: Any) -> list[Line]:
    """The page's lines with the box of their first glyph."""
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range()
    if len(text) != count:
        text = _text_by_index(textpage, count)
    lines: list[Line] = []
    offset = 0
    for raw in text.split("\r\n"):
        stripped = raw.strip()
        if stripped:
            first = offset + (len(raw) - len(raw.lstrip()))
            box = textpage.get_charbox(first)
            last = _union(box, textpage.get_charbox(first + len(stripped) - 1))
            lines.append(Line(stripped, box, last))
        offset += len(raw) + 2
    return join_columns(lines)


def _text_by_index(textpage: Any, count: int) -> str:
    """Slow path when pdfium's text and its char index disagree: one char per index."""
    import pypdfium2.raw as pdfium_c

    chars = []
    for index in range(count):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        chars.append(chr(code) if 0 < code < 0x110000 else " ")
    return "".join(chars)


def join_columns(lines: list[Line]) -> list[Line]:
    """Join runs of one-glyph lines stacked in one column into one line."""
    joined: list[Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if previous is not None and _continues_column(previous, line):
            left, bottom, right, top = previous.box
            extent = _union(previous.extent or previous.box, line.extent or line.box)
            joined[-1] = Line(previous.text + line.text, (left, min(bottom, line.box[1]), right, top), extent)
        else:
            joined.append(line)
    return joined


def _continues_column(previous: Line, line: Line) -> bool:
    if len(line.text.replace(" ", "")) > _COLUMN_GLYPHS:
        return False
    if previous.text[-1:].isspace():
        return False
    p_left, p_bottom, p_right, _ = previous.box
    left, _, right, top = line.box
    glyph = max(right - left, 1.0)
    # The column can only grow glyph by glyph, so its width stays one glyph.
    if p_right - p_left > 2.5 * glyph:
        return False
    same_column = abs(left - p_left) <= glyph * 0.6
    gap = p_bottom - top
    return same_column and -0.2 * glyph <= gap <= 1.5 * glyph


def vpos_of(box: Box, page_box: Box, rotation: int) -> float:
    """Vertical position 0 (top) .. 1 (bottom) of a box's centre, as the page is shown."""
    left, bottom, right, top = page_box
    rotation %= 360
    if rotation == 90:
        shown = ((box[0] + box[2]) / 2 - left) / max(right - left, 1.0)
    elif rotation == 270:
        shown = (right - (box[0] + box[2]) / 2) / max(right - left, 1.0)
    elif rotation == 180:
        shown = ((box[1] + box[3]) / 2 - bottom) / max(top - bottom, 1.0)
    else:
        shown = (top - (box[1] + box[3]) / 2) / max(top - bottom, 1.0)
    return round(min(max(shown, 0.0), 1.0), 4)


def line_blocks(lines: list[Line], page: int, page_box: Box, rotation: int) -> list[TextBlock]:
    return [
        TextBlock(
            line.text,
            part="body",
            page=page,
            line=number,
            vpos=vpos_of(line.box, page_box, rotation),
            box=shown_box(line.extent or line.box, page_box, rotation),
        )
        for number, line in enumerate(lines, 1)
    ]


def shown_box(box: Box, page_box: Box, rotation: int) -> PageBox:
    """``box`` (PDF units) as fractions of the page as shown, /Rotate (clockwise) applied."""
    left, bottom, right, top = page_box
    width, height = max(right - left, 1.0), max(top - bottom, 1.0)
    corners = [_shown(x, y, left, bottom, width, height, rotation % 360) for x in box[::2] for y in box[1::2]]
    xs, ys = [min(max(x, 0.0), 1.0) for x, _ in corners], [min(max(y, 0.0), 1.0) for _, y in corners]
    return PageBox(round(min(xs), 5), round(min(ys), 5), round(max(xs), 5), round(max(ys), 5))


def _shown(
    x: float, y: float, left: float, bottom: float, width: float, height: float, rotation: int
) -> tuple[float, float]:
    across, up = (x - left) / width, (y - bottom) / height
    if rotation == 90:
        return up, across
    if rotation == 180:
        return 1 - across, up
    if rotation == 270:
        return 1 - up, 1 - across
    return across, 1 - up


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])
