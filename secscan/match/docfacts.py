"""Document-level facts for scoring: where page 1 starts, what sits above and below a line.

The matcher sees all blocks of one file at once; this module turns them into
the few facts docs/markings/signals.md asks for (first lines of the document, the
line above a candidate for a 份号, the line below for 特急/加急, page tops
when no coordinates are known, authority blocks, training cues). It only
looks at the first lines of each page and at the neighbours of candidates, so
a long clean document costs nothing here. Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from secscan.model import TextBlock

BODY_PARTS = frozenset({"body", "table", "textbox"})
FIRST_LINES = 5
PAGE_TOP_LINES = 3
# A line of running text: long, or a sentence (over 25 characters with 。！？；, or a full stop that more
# words follow). The marking block of a page (份号, 密级, banner, title) comes before the body; once a
# page's running text has begun, later short lines are pull quotes, wrapped words and table cells.
RUNNING_LINE = 60
_SENTENCE = re.compile(r"[。！？；]|[.!?;]\s+\S")

AUTHORITY = re.compile(
    r"^\s*(?:Classified By|Derived From|Controlled by|CUI Category|Declassify On)\s*:", re.I | re.M
)
AUTHORITY_KEYWORDS = ("classifiedby", "derivedfrom", "controlledby", "cuicategory", "declassifyon")


def lines_of(block: TextBlock) -> list[str]:
    return block.text.split("\n")


def first_lines(
    blocks: Sequence[TextBlock], through_running: bool = False
) -> tuple[frozenset[tuple[int, int]], frozenset[tuple[int, int]]]:
    """(block, line) keys of the first non-empty lines of page 1, and of each later page; they end
    at the first line of running text, unless ``through_running`` (where a title is looked for)."""
    first: set[tuple[int, int]] = set()
    tops: set[tuple[int, int]] = set()
    seen: dict[int, int] = {}
    for index, block in enumerate(blocks):
        if block.part not in BODY_PARTS:
            continue
        page = block.page or 1
        limit = FIRST_LINES if page == 1 else PAGE_TOP_LINES
        if seen.get(page, 0) >= limit:
            continue
        for number, line in enumerate(lines_of(block)):
            if not line.strip():
                continue
            if seen.get(page, 0) >= limit:
                break
            seen[page] = seen.get(page, 0) + 1
            (first if page == 1 else tops).add((index, number))
            if running(line) and not through_running:
                seen[page] = limit
    return frozenset(first), frozenset(tops)


def running(line: str) -> bool:
    """A line of running text, which ends the marking block at the top of a page."""
    text = line.strip()
    return len(text) > RUNNING_LINE or (len(text) > 25 and _SENTENCE.search(text) is not None)


Key = tuple[int, int]


def neighbours(blocks: Sequence[TextBlock], keys: Iterable[Key]) -> dict[Key, tuple[str, str]]:
    """For each (block, line): the nearest non-empty line above and below in the same part and page."""
    return {key: (_step(blocks, key, -1), _step(blocks, key, +1)) for key in keys}


def _step(blocks: Sequence[TextBlock], key: tuple[int, int], direction: int) -> str:
    index, number = key
    block = blocks[index]
    lines = lines_of(block)
    number += direction
    while 0 <= index < len(blocks):
        current = blocks[index]
        if current.part != block.part or current.page != block.page:
            return ""
        lines = lines_of(current)
        while 0 <= number < len(lines):
            if lines[number].strip():
                return lines[number]
            number += direction
        index += direction
        if 0 <= index < len(blocks):
            number = 0 if direction > 0 else len(lines_of(blocks[index])) - 1
    return ""


def lines_around(blocks: Sequence[TextBlock], key: Key, above: int, below: int) -> list[str]:
    """The nearest non-empty lines above and below (block, line) on its page, across body, table
    and text-box blocks: a figure drawn in a text box has its caption in the body under it."""
    index, number = key
    page = blocks[index].page
    out: list[str] = []
    for direction, count in ((-1, above), (+1, below)):
        found, i, n = 0, index, number + direction
        while found < count and 0 <= i < len(blocks):
            block = blocks[i]
            if block.page != page or block.part not in BODY_PARTS:
                break
            lines = lines_of(block)
            while found < count and 0 <= n < len(lines):
                if lines[n].strip():
                    out.append(lines[n])
                    found += 1
                n += direction
            i += direction
            if 0 <= i < len(blocks):
                n = 0 if direction > 0 else len(lines_of(blocks[i])) - 1
    return out


PORTION = re.compile(
    r"^\s*(?:(?:\d{1,3}(?:[.\-]\d{1,3}){0,3}[.)]?|[A-Za-z][.)]|\(\d{1,2}\)|[•·▪\-–*])\s+|[^\t\n]{1,40}\t\s*)?"
    r"\((?:TS|S|C|U|CUI|//[A-Z]{2,4}(?: [A-Z]{1,3})?)(?://[^)]{0,60})?\)\s",
    re.M,
)


def count_portions(blocks: Sequence[TextBlock]) -> int:
    """Paragraphs that open with a portion mark, (U) included: real portion marking is consistent."""
    return sum(len(PORTION.findall(block.text)) for block in blocks if "(" in block.text)


def has_authority(texts: Iterable[str]) -> bool:
    return any(AUTHORITY.search(text) for text in texts)
