"""From engine segments to line-accurate ``TextBlock``s on the upright page.

Boxes are first turned into the upright page's frame (the photo may lie
sideways), then segments whose vertical extents overlap and that sit close
side by side are joined into one line, read left to right. Lines are numbered
top to bottom; ``vpos`` is the line's centre, 0 at the top and 1 at the bottom, and
``box`` its place on the upright page (what the HTML report's evidence crop is cut from).
A line's confidence is the character-weighted mean of its segments', so one
long clear segment is not dragged down by a stray speck beside it.
"""

from __future__ import annotations

from statistics import median

from secscan.model import PageBox, TextBlock
from secscan.ocr.engine import Box, PageRead, Segment

# Segments further apart than this many line heights are separate blocks (columns,
# a 签发人 field far to the right), so a match never straddles two of them.
_JOIN_GAP = 3.0


def upright(box: Box, size: tuple[int, int], turn: int) -> Box:
    """``box`` in the frame of the page turned ``turn`` degrees counter-clockwise."""
    x0, y0, x1, y1 = box
    width, height = size
    if turn == 90:
        return y0, width - x1, y1, width - x0
    if turn == 180:
        return width - x1, height - y1, width - x0, height - y0
    if turn == 270:
        return height - y1, x0, height - y0, x1
    return box


def to_blocks(read: PageRead, page: int | None) -> list[TextBlock]:
    height = read.size[0] if read.turn in (90, 270) else read.size[1]
    width = read.size[1] if read.turn in (90, 270) else read.size[0]
    placed = [(upright(s.box, read.size, read.turn), s) for s in read.segments]
    lines = _group(placed)
    typical = median([b[3] - b[1] for line in lines for b, _ in line]) if lines else 0.0
    turned = read.turn or read.turned
    origin = read.engine + (f", page turned {turned}°" if turned else "")
    blocks = []
    for number, line in enumerate(lines, start=1):
        top = min(b[1] for b, _ in line)
        bottom = max(b[3] for b, _ in line)
        hints = set().union(*(s.hints for _, s in line))
        if typical and bottom - top > 1.6 * typical:
            hints.add("large")
        blocks.append(
            TextBlock(
                text=_join(line),
                part="ocr",
                page=page,
                line=number,
                origin=origin,
                vpos=round(min(max((top + bottom) / 2 / height, 0.0), 1.0), 4) if height else None,
                hints=frozenset(hints),
                confidence=round(_confidence(line), 4),
                box=_page_box(line, width, height, turned),
            )
        )
    return blocks


def _page_box(line: list[tuple[Box, Segment]], width: int, height: int, turn: int) -> PageBox | None:
    """The line's box as fractions of the upright page, for the report's evidence crop.

    RapidOCR's page is also straightened (a few degrees) and enlarged; fractions do not change
    with the enlargement, and the straightening moves a box by less than the crop's margin.
    """
    if not (width and height):
        return None
    x0, y0 = min(b[0] for b, _ in line), min(b[1] for b, _ in line)
    x1, y1 = max(b[2] for b, _ in line), max(b[3] for b, _ in line)
    left, top, right, bottom = (
        round(min(max(v, 0.0), 1.0), 5) for v in (x0 / width, y0 / height, x1 / width, y1 / height)
    )
    return PageBox(left, top, right, bottom, turn=turn % 360)


def _group(placed: list[tuple[Box, Segment]]) -> list[list[tuple[Box, Segment]]]:
    """Segments joined into lines, lines in reading order (top to bottom, then left to right)."""
    lines: list[list[tuple[Box, Segment]]] = []
    for box, segment in sorted(placed, key=lambda item: ((item[0][1] + item[0][3]) / 2, item[0][0])):
        home = next((line for line in lines if _same_line(line, box, segment)), None)
        if home is None:
            lines.append([(box, segment)])
        else:
            home.append((box, segment))
    for line in lines:
        line.sort(key=lambda item: item[0][0])
    return lines


def _same_line(line: list[tuple[Box, Segment]], box: Box, segment: Segment) -> bool:
    # A stamp is a layer pressed on top of the page: its words never join the body line under it.
    if ("stamp" in segment.hints) != ("stamp" in line[0][1].hints):
        return False
    last = max(line, key=lambda item: item[0][2])[0]
    overlap = min(last[3], box[3]) - max(last[1], box[1])
    height = min(last[3] - last[1], box[3] - box[1])
    gap = box[0] - last[2]
    return height > 0 and overlap > 0.5 * height and -0.5 * height < gap < _JOIN_GAP * height


def _join(line: list[tuple[Box, Segment]]) -> str:
    text = line[0][1].text
    for (box, segment), (previous, _) in zip(line[1:], line, strict=False):
        wide_gap = box[0] - previous[2] > 0.8 * (box[3] - box[1])
        latin = text[-1:].isascii() and segment.text[:1].isascii()
        text += (" " if wide_gap or latin else "") + segment.text
    return text


def _confidence(line: list[tuple[Box, Segment]]) -> float:
    weights = [max(len(s.text.strip()), 1) for _, s in line]
    return sum(w * s.confidence for w, (_, s) in zip(weights, line, strict=True)) / sum(weights)
