"""The keyword prefilter: which patterns are worth running on a block.

One pyahocorasick automaton per catalog holds every pattern keyword (and a
few document-signal keywords) in ``skeleton`` form, so one C-speed pass over a
block says which regexes to run; a block without a keyword is never
normalised. pyahocorasick was chosen over one big regex alternation because
it stays linear in the text with hundreds of keywords.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick

from secscan.match import docfacts
from secscan.match.catalog import Catalog
from secscan.match.normalize import keyword_variants, skeleton
from secscan.model import TextBlock

_SIGNALS = {"authority": docfacts.AUTHORITY_KEYWORDS}


@dataclass(frozen=True)
class Index:
    automaton: ahocorasick.Automaton
    everything: tuple[int, ...]

    def select(self, blocks: Sequence[TextBlock]) -> tuple[dict[int, set[int]], set[str]]:
        """For each block worth searching, the catalog patterns to run; and the signal names seen.

        One automaton pass over the skeletons of the blocks joined by NUL (which no
        keyword contains), so a file costs one C-level scan, not one Python call per block;
        joined in batches of about 1 Mi characters, so a 50 MB text never has a second and
        third full copy of itself (joined, then skeleton).
        """
        chosen: dict[int, set[int]] = {}
        signals: set[str] = set()
        for first, batch in _batches(blocks):
            self._scan(batch, first, chosen, signals)
        for number, block in enumerate(blocks):
            if block.part == "ocr":  # OCR misreads defeat keywords; OCR blocks are few
                chosen[number] = set(self.everything)
        return chosen, signals

    def _scan(
        self, blocks: Sequence[TextBlock], first: int, chosen: dict[int, set[int]], signals: set[str]
    ) -> None:
        # A block's own NULs (PDF text layers carry them) would shift every later block number.
        joined = skeleton("\x00".join(b.text.replace("\x00", " ") for b in blocks))
        starts: list[int] | None = None
        for end, values in self.automaton.iter(joined):
            if starts is None:
                starts = [m.end() for m in _NUL.finditer(joined)]
            number = first + bisect_right(starts, end)
            for value in values:
                if isinstance(value, int):
                    chosen.setdefault(number, set()).add(value)
                else:
                    signals.add(value)


_BATCH = 1 << 20


def _batches(blocks: Sequence[TextBlock]) -> Iterator[tuple[int, Sequence[TextBlock]]]:
    """(index of the first block, blocks) in runs of about ``_BATCH`` characters."""
    start = size = 0
    for number, block in enumerate(blocks):
        size += len(block.text) + 1
        if size >= _BATCH:
            yield start, blocks[start : number + 1]
            start, size = number + 1, 0
    if start < len(blocks):
        yield start, blocks[start:]


_NUL = re.compile("\x00")
_CACHE: dict[int, tuple[Catalog, Index]] = {}


def index_for(catalog: Catalog) -> Index:
    """The (cached) index of ``catalog``; the catalog is kept alive so its id cannot be reused."""
    cached = _CACHE.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    words: dict[str, list[int | str]] = {}
    for number, pattern in enumerate(catalog.patterns):
        for keyword in pattern.keywords:
            for variant in keyword_variants(keyword):
                words.setdefault(variant, []).append(number)
    for name, keywords in _SIGNALS.items():
        for keyword in keywords:
            for variant in keyword_variants(keyword):
                words.setdefault(variant, []).append(name)
    automaton = ahocorasick.Automaton()
    for word, values in words.items():
        if word:
            automaton.add_word(word, tuple(values))
    automaton.make_automaton()
    index = Index(automaton, tuple(range(len(catalog.patterns))))
    _CACHE[id(catalog)] = (catalog, index)
    return index
