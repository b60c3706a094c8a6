"""The keyword prefilter: which patterns are worth running on a block.

One pyahocorasick automaton per catalog holds every pattern keyword (and a
few document-signal keywords) in ``skeleton`` form, so one C-speed pass over a
block says which regexes to run; a block without a keyword is never
normalised. pyahocorasick was chosen over one big regex alternation because
it stays linear in the text with hundreds of keywords.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from secscan import docfacts
from secscan.catalog import Catalog
from secscan.model import TextBlock
from secscan.normalize import skeleton

_SIGNALS = {"authority": docfacts.AUTHORITY_KEYWORDS, "training": docfacts.TRAINING_KEYWORDS}


@dataclass(frozen=True)
class Index:
    automaton: ahocorasick.Automaton
    everything: tuple[int, ...]

    def select(self, block: TextBlock) -> tuple[tuple[int, ...], set[str]]:
        """Indices of the catalog patterns to run on ``block``, and the signal names seen."""
        chosen: set[int] = set()
        signals: set[str] = set()
        for _, values in self.automaton.iter(skeleton(block.text)):
            for value in values:
                if isinstance(value, int):
                    chosen.add(value)
                else:
                    signals.add(value)
        if block.part == "ocr":  # OCR misreads defeat keywords; OCR blocks are few
            return self.everything, signals
        return tuple(sorted(chosen)), signals


_CACHE: dict[int, tuple[Catalog, Index]] = {}


def index_for(catalog: Catalog) -> Index:
    """The (cached) index of ``catalog``; the catalog is kept alive so its id cannot be reused."""
    cached = _CACHE.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    words: dict[str, list[int | str]] = {}
    for number, pattern in enumerate(catalog.patterns):
        for keyword in pattern.keywords:
            words.setdefault(skeleton(keyword), []).append(number)
    for name, keywords in _SIGNALS.items():
        for keyword in keywords:
            words.setdefault(skeleton(keyword), []).append(name)
    automaton = ahocorasick.Automaton()
    for word, values in words.items():
        if word:
            automaton.add_word(word, tuple(values))
    automaton.make_automaton()
    index = Index(automaton, tuple(range(len(catalog.patterns))))
    _CACHE[id(catalog)] = (catalog, index)
    return index
