"""Give the lines that matter a block of their own, for blocks that carry many lines.

Plain text arrives as blocks of many whole lines with the ``lines`` hint (one
block per line cost more memory than the text and a Python call per line in
every stage). The matcher's rules are written for one line per block: ``^`` and
``$`` anchor to the block, the first lines of a document are looked at on their
own. So after the keyword prefilter, ``split_lines`` cuts such a block around
each line that holds a keyword, and around the first lines of each page, into
blocks of one line; the rest stays in multi-line blocks, whose lines
``docfacts`` still reads for the line above and below a candidate. The result
is what one block per line would give, at the cost of one split per keyword
line instead of one object per line.

A line too long to quote comes as overlapping windows (``overlapped``): a hit
that starts in a window's tail is left to the next window, which holds it whole.

Vertical writing is the exception to "one line, one block": a cover's 绝/密/★/长/期
column comes one glyph per line (in a text file) or one glyph per paragraph (in a
Word text box). ``join_columns`` and ``split_lines`` keep such a column together as
one block, which normalisation then reads as one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from secscan.match import docfacts
from secscan.model import TextBlock

LINES = "lines"
# A window of a long line whose last OVERLAP characters open the next window too.
OVERLAPPED = "overlapped"
OVERLAP = 512

Chosen = dict[int, set[int]]
Select = Callable[[Sequence[TextBlock]], tuple[Chosen, set[str]]]
# One glyph of a vertical column: a single non-ASCII character (CJK, a star of any style, a
# full-width digit), an ASCII star, or the one- or two-digit number of a period (10 of 10年).
_GLYPH = re.compile(r"^\s*(?:[^\x00-\x7f\s]|\*|\d{1,2})\s*$")
COLUMN = 3  # glyphs in a row before they are read as a column
_COLUMN = re.compile(
    r"(?m)^[ \t]*(?:[^\x00-\x7f\s]|\*)[ \t]*(?:\n[ \t]*(?:[^\x00-\x7f\s]|\*|\d{1,2})[ \t]*)"
    f"{{{COLUMN - 1},}}$"
)


def join_columns(blocks: tuple[TextBlock, ...]) -> tuple[TextBlock, ...]:
    """Runs of ``COLUMN`` or more one-glyph blocks of one part and page, joined into one block."""
    out: list[TextBlock] = []
    run: list[TextBlock] = []
    for block in (*blocks, None):
        if (
            block is not None
            and _is_glyph(block.text)
            and (not run or (block.part, block.page) == (run[0].part, run[0].page))
        ):
            run.append(block)
            continue
        if len(run) >= COLUMN and not run[0].text.strip().isdigit():
            hints = frozenset().union(*(b.hints for b in run))
            out.append(replace(run[0], text="\n".join(b.text.strip() for b in run), hints=hints))
        else:
            out.extend(run)
        run = []
        if block is not None:
            if _is_glyph(block.text):
                run.append(block)
            else:
                out.append(block)
    return tuple(out) if len(out) != len(blocks) else blocks


def _is_glyph(text: str) -> bool:
    return len(text) <= 8 and _GLYPH.match(text) is not None


def _columns(text: str) -> list[range]:
    """Line indexes of the vertical columns in ``text``: runs of ``COLUMN`` or more one-glyph lines.
    One regex pass, so a long text file without columns costs no Python loop over its lines."""
    return [
        range(start, start + found.group().count("\n") + 1)
        for found in _COLUMN.finditer(text)
        for start in [text.count("\n", 0, found.start())]
    ]


def split_lines(
    blocks: tuple[TextBlock, ...], chosen: Chosen, select: Select
) -> tuple[tuple[TextBlock, ...], Chosen]:
    """``blocks`` with keyword lines and first lines of ``lines`` blocks cut out; the new selection."""
    leading = _leading_lines(blocks)
    if not chosen and not leading:
        return blocks, chosen
    out: list[TextBlock] = []
    selection: Chosen = {}
    for number, block in enumerate(blocks):
        keep = leading.get(number, set())
        if LINES not in block.hints or (number not in chosen and not keep):
            if number in chosen:
                selection[len(out)] = chosen[number]
            out.append(block)
            continue
        lines = block.text.split("\n")
        picked, _ = select([TextBlock(line) for line in lines]) if number in chosen else ({}, set())
        units = _units(block.text, lines, picked, keep, select if number in chosen else None)
        for piece, patterns in _pieces(block, lines, units):
            if patterns:
                selection[len(out)] = patterns
            out.append(piece)
    return tuple(out), selection


Unit = tuple[int, set[int]]  # (end line, exclusive; patterns selected for the unit)


def _units(
    text: str, lines: list[str], picked: Chosen, keep: set[int], select: Select | None
) -> dict[int, Unit]:
    """The lines to cut out, by first line: single lines, and each vertical column whole (selected
    by what the joined column holds, since none of its one-glyph lines holds a keyword)."""
    units: dict[int, Unit] = {index: (index + 1, picked.get(index, set())) for index in picked.keys() | keep}
    if select is None:
        return units
    for column in _columns(text):
        chosen, _ = select([TextBlock("\n".join(lines[column.start : column.stop]))])
        if not chosen and not any(index in column for index in units):
            continue
        for index in column:
            units.pop(index, None)
        units[column.start] = (column.stop, chosen.get(0, set()))
    return units


def _pieces(
    block: TextBlock, lines: list[str], units: dict[int, Unit]
) -> Iterator[tuple[TextBlock, set[int]]]:
    """The block cut into its units and the multi-line runs between them."""
    start = 0
    base = block.line if block.line is not None else 1
    for index in [*sorted(units), len(lines)]:
        run = lines[start:index]
        if any(line.strip() for line in run):
            yield replace(block, text="\n".join(run), line=base + start), set()
        if index < len(lines):
            end, patterns = units[index]
            yield replace(block, text="\n".join(lines[index:end]), line=base + index), patterns
            start = end


def _leading_lines(blocks: Sequence[TextBlock]) -> dict[int, set[int]]:
    """Per ``lines`` block, indexes of the first non-empty lines of each page (counted as docfacts does)."""
    wanted: dict[int, set[int]] = {}
    seen: dict[int, int] = {}
    for number, block in enumerate(blocks):
        if block.part not in docfacts.BODY_PARTS:
            continue
        page = block.page or 1
        limit = docfacts.FIRST_LINES if page == 1 else docfacts.PAGE_TOP_LINES
        for index in _non_empty_lines(block.text, limit - seen.get(page, 0)):
            seen[page] = seen.get(page, 0) + 1
            if LINES in block.hints:
                wanted.setdefault(number, set()).add(index)
    return wanted


def _non_empty_lines(text: str, count: int) -> Iterator[int]:
    """Indexes of the first ``count`` non-empty lines of ``text``, without splitting all of it."""
    start = index = 0
    while count > 0 and start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            yield index
            count -= 1
        start, index = end + 1, index + 1


def count_portions(blocks: Sequence[TextBlock]) -> int:
    """``docfacts.count_portions`` with each line of a ``lines`` block counted as a block of its own."""
    total = 0
    for block in blocks:
        if LINES in block.hints and "\n" in block.text:
            total += docfacts.count_portions([TextBlock(line) for line in block.text.split("\n")])
        else:
            total += docfacts.count_portions([block])
    return total


def read_again(block: TextBlock, start: int) -> bool:
    """Whether a hit starting at ``start`` lies in a window's tail, which the next window reads whole.

    The next window starts ``OVERLAP`` characters before this one ends, so it sees every marking
    that starts there in full; here it may be cut short (机密★ of 机密★5年) and would count twice.
    """
    return OVERLAPPED in block.hints and start >= len(block.text) - OVERLAP
