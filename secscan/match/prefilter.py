"""The keyword prefilter: which patterns are worth running on a block.

One Aho-Corasick automaton per catalog holds every pattern keyword (and a few
document-signal keywords) as ``skeleton`` bytes, so one pass over a block says
which regexes to run; a block without a keyword is never normalised.

ahocorasick-rs (Apache-2.0, a binding of the Rust ``aho-corasick`` crate) in
its DFA form searches UTF-8 bytes at about 500 MB/s on this project's 280
keywords, against about 60 MB/s for pyahocorasick over ``str``, which walks
code points one Python-visible step at a time; both beat one big regex
alternation, which is not linear in the number of keywords. Measured with
``benchmarks/bench_text.py``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick_rs

from secscan.match import docfacts
from secscan.match.catalog import Catalog
from secscan.match.normalize import keyword_keys, skeleton
from secscan.match.ocrfix import MISREAD_PAIRS
from secscan.model import TextBlock

_SIGNALS = {"authority": docfacts.AUTHORITY_KEYWORDS}
# Stands for "every pattern": an OCR-misread level pair (杌密) holds none of their keywords.
_EVERY = -1


@dataclass
class Index:
    keys: tuple[bytes, ...]
    values: tuple[tuple[int | str, ...], ...]  # per key: pattern numbers, signal names
    everything: frozenset[int]
    _small: ahocorasick_rs.BytesAhoCorasick | None = None
    _large: ahocorasick_rs.BytesAhoCorasick | None = None

    def automaton(self, size: int) -> ahocorasick_rs.BytesAhoCorasick:
        """The NFA (built in 2 ms) for ordinary files; the DFA (40 ms, twice as fast) past 4 MiB."""
        if size < _DFA_FROM:
            if self._small is None:
                self._small = ahocorasick_rs.BytesAhoCorasick(list(self.keys), implementation=_NFA)
            return self._small
        if self._large is None:
            self._large = ahocorasick_rs.BytesAhoCorasick(list(self.keys), implementation=_DFA)
        return self._large

    def select(self, blocks: Sequence[TextBlock]) -> tuple[dict[int, set[int]], set[str]]:
        """For each block worth searching, the catalog patterns to run; and the signal names seen.

        One automaton pass over the skeletons of the blocks joined by NUL (which no
        keyword contains), so a file costs one C-level scan, not one Python call per block;
        joined in batches of about 1 Mi characters, so a 50 MB text never has a second and
        third full copy of itself (joined, then skeleton).
        """
        chosen: dict[int, set[int]] = {}
        signals: set[str] = set()
        automaton = self.automaton(sum(len(block.text) for block in blocks))
        for first, batch in _batches(blocks):
            self._scan(automaton, batch, first, chosen, signals)
        for number, block in enumerate(blocks):
            if block.part == "ocr":  # OCR misreads defeat keywords; OCR blocks are few
                chosen[number] = set(self.everything)
        return chosen, signals

    def _scan(
        self,
        automaton: ahocorasick_rs.BytesAhoCorasick,
        blocks: Sequence[TextBlock],
        first: int,
        chosen: dict[int, set[int]],
        signals: set[str],
    ) -> None:
        # A block's own NULs (PDF text layers carry them) would shift every later block number.
        key = skeleton("\x00".join(b.text.replace("\x00", " ") for b in blocks))
        found = automaton.find_matches_as_indexes(key, overlapping=True)
        if not found:
            return
        starts = [m.end() for m in _NUL.finditer(key)]
        for keyword, start, _ in found:
            number = first + bisect_right(starts, start)
            for value in self.values[keyword]:
                if value == _EVERY:
                    chosen.setdefault(number, set()).update(self.everything)
                elif isinstance(value, int):
                    chosen.setdefault(number, set()).add(value)
                else:
                    signals.add(value)


_BATCH = 1 << 20
_DFA_FROM = 4 << 20
_NFA = ahocorasick_rs.Implementation.ContiguousNFA
_DFA = ahocorasick_rs.Implementation.DFA


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


_NUL = re.compile(b"\x00")
_CACHE: dict[int, tuple[Catalog, Index]] = {}


def index_for(catalog: Catalog) -> Index:
    """The (cached) index of ``catalog``; the catalog is kept alive so its id cannot be reused."""
    cached = _CACHE.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    words: dict[bytes, list[int | str]] = {}
    sources: list[tuple[int | str, frozenset[str]]] = [
        *((number, frozenset(pattern.keywords)) for number, pattern in enumerate(catalog.patterns)),
        *((name, frozenset(keywords)) for name, keywords in _SIGNALS.items()),
        (_EVERY, MISREAD_PAIRS),
    ]
    for value, keywords in sources:
        for keyword in keywords:
            for key in keyword_keys(keyword):
                if key:
                    words.setdefault(key, []).append(value)
    everything = frozenset(range(len(catalog.patterns)))
    index = Index(tuple(words), tuple(tuple(v) for v in words.values()), everything)
    _CACHE[id(catalog)] = (catalog, index)
    return index
