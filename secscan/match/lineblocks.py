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
"""

from __future__ import annotations

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
        for piece, patterns in _pieces(block, lines, picked, keep):
            if patterns:
                selection[len(out)] = patterns
            out.append(piece)
    return tuple(out), selection


def _pieces(
    block: TextBlock, lines: list[str], picked: Chosen, keep: set[int]
) -> Iterator[tuple[TextBlock, set[int]]]:
    """The block cut into single lines (picked or kept) and the multi-line runs between them."""
    start = 0
    base = block.line if block.line is not None else 1
    for index in [*sorted(picked.keys() | keep), len(lines)]:
        run = lines[start:index]
        if any(line.strip() for line in run):
            yield replace(block, text="\n".join(run), line=base + start), set()
        if index < len(lines):
            yield replace(block, text=lines[index], line=base + index), picked.get(index, set())
        start = index + 1


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
