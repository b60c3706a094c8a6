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

from secscan.model import TextBlock

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF units
_COLUMN_GLYPHS = 2  # a line this short (non-space chars) may be part of a vertical column


@dataclass
class Line:
    text: str
    box: Box


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
            lines.append(Line(stripped, textpage.get_charbox(first)))
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
            joined[-1] = Line(previous.text + line.text, (left, min(bottom, line.box[1]), right, top))
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
        TextBlock(line.text, part="body", page=page, line=number, vpos=vpos_of(line.box, page_box, rotation))
        for number, line in enumerate(lines, 1)
    ]
