"""Context words: the data behind the scorer's signals, loaded from ``[[context]]`` tables in patterns/.

What a marking looks like is data (``[[pattern]]``); so are the words around a candidate that tell
a marking from a mention: 标注为 before 机密 puts it in a sentence, 本文件为 makes it the document
speaking of itself, "leaked" before a banner makes it a news report. Each ``[[context]]`` table
feeds one generic signal of ``secscan.match.context`` and carries its own examples, in which
``⟦…⟧`` marks the candidate the signal is judged for (docs/markings/signals.md).

Words are written in simplified script; lines are folded one character for one
(``script_fold.tsv``, from OpenCC) before they are compared, so traditional text gets the same
signals. Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

# signal -> where the words must sit relative to the candidate
SIGNALS = {
    "sentence-before": "the word right before the candidate puts it in running text",
    "sentence-after": "the word right after the candidate puts it in running text",
    "cue": "an example or explanation cue anywhere on the candidate's line",
    "training": "a training or sample cue on the candidate's line",
    "field-label": "a form-field label right before the candidate (密级：, Classification:)",
    "self-reference": "the document states its own level (本文件为…, This document is classified …)",
    "reporting": "a reporting verb near the candidate: a banner quoted in a news report",
    "copy-number": "a copy number on the line above or below (份号, Copy No., Экз. №), as beside a real mark",
    "placeholder": "a template placeholder on the candidate's line (○年○月○日, ××, [date])",
    "document-training": "the document says it is training or sample material (anywhere)",
    "sample-title": "a sample, template or example title in the first lines",
    "other-sense-title": "a title that uses a level word in another sense (Secret Santa, Victoria's Secret)",
    "caption": "a caption beside the candidate that calls its figure an example (图2 …示例, Graphic: …)",
    "taiwan-context": "the file shows it is Taiwanese (密等 field, 民國 dates): bare 機密 is its third tier",
}
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"


Source = tuple[str, int]  # a regex and its flags, compiled when first needed


@dataclass(frozen=True)
class ContextEntry:
    id: str
    signal: str
    pattern: str
    flags: int
    description: str
    should_match: tuple[str, ...]
    should_not_match: tuple[str, ...]
    source: Path

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags)


def entry_source(words: Iterable[str], regex: str | None, ignore_case: bool) -> Source:
    """One regex for an entry: its ``regex``, or its ``words`` as literal alternatives, folded."""
    flags = re.IGNORECASE if ignore_case else 0
    if regex is not None:
        return fold_script(regex), flags
    ordered = sorted({fold_script(w) for w in words}, key=len, reverse=True)
    return "|".join(map(re.escape, ordered)), flags


@dataclass(frozen=True)
class ContextWords:
    """The catalog's context regexes, one per signal (a signal with no entries never fires).

    Compiled on first use: a one-file gate whose file holds no candidate never needs them, and
    compiling all of them cost ~15 ms of its start.
    """

    by_signal: dict[str, Source]
    _compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, entries: Iterable[ContextEntry]) -> ContextWords:
        grouped: dict[str, list[Source]] = {}
        for entry in entries:
            grouped.setdefault(entry.signal, []).append((entry.pattern, entry.flags))
        return cls({signal: _union(sources) for signal, sources in grouped.items()})

    def _regex(self, signal: str) -> re.Pattern[str] | None:
        compiled = self._compiled.get(signal)
        if compiled is None and signal in self.by_signal:
            compiled = self._compiled[signal] = re.compile(*self.by_signal[signal])
        return compiled

    def before(self, signal: str, text: str) -> str:
        """The words of ``signal`` that end ``text`` (the part of the line before a candidate)."""
        regex = self._regex(signal)
        if regex is None:
            return ""
        folded = fold_script(text.rstrip())
        hit = _ending(regex, folded)
        return hit or ""

    def after(self, signal: str, text: str) -> str:
        """The words of ``signal`` that start ``text`` (the part of the line after a candidate)."""
        regex = self._regex(signal)
        found = regex.match(fold_script(text.lstrip())) if regex is not None else None
        return found.group() if found else ""

    def search(self, signal: str, text: str) -> str:
        """The first words of ``signal`` anywhere in ``text``."""
        regex = self._regex(signal)
        found = regex.search(fold_script(text)) if regex is not None else None
        return found.group().strip() if found else ""


def _union(sources: list[Source]) -> Source:
    """One regex for a signal; each entry keeps its own case rule as an inline flag group."""
    if len(sources) == 1:
        return sources[0]
    return "|".join(f"(?{'i' if flags & re.IGNORECASE else ''}:{pattern})" for pattern, flags in sources), 0


def _ending(regex: re.Pattern[str], text: str) -> str | None:
    """The longest match of ``regex`` that ends exactly at the end of ``text``."""
    tail = text[-80:]
    best: str | None = None
    for start in range(len(tail)):
        found = regex.fullmatch(tail, start)
        if found and (best is None or len(found.group()) > len(best)):
            best = found.group()
    return best


@cache
def _fold_table() -> dict[int, str]:
    path = Path(__file__).with_name("script_fold.tsv")
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            traditional, simplified = line.split("\t")
            table[ord(traditional)] = simplified
    return table


def fold_script(text: str) -> str:
    """``text`` with traditional characters replaced by simplified ones; the length never changes."""
    return text.translate(_fold_table())


def split_example(example: str) -> tuple[str, int, int]:
    """An example line without its ``⟦…⟧`` marks, and the marked candidate's span (0, 0 if none)."""
    start = example.find(MARK_OPEN)
    end = example.find(MARK_CLOSE)
    if start < 0 or end < start:
        return example, 0, 0
    line = example[:start] + example[start + 1 : end] + example[end + 1 :]
    return line, start, end - 1


BEFORE_SIGNALS = frozenset({"sentence-before", "field-label", "self-reference", "reporting"})
LINE_SIGNALS = frozenset({"cue", "training", "placeholder", "copy-number", "caption"})


def fires(entry: ContextEntry, example: str) -> bool:
    """Whether ``entry`` holds for the candidate marked in ``example`` (the whole text if unmarked)."""
    line, start, end = split_example(example)
    words = ContextWords({entry.signal: (entry.pattern, entry.flags)})
    if entry.signal in BEFORE_SIGNALS:
        return bool(words.before(entry.signal, line[:start]))
    if entry.signal == "sentence-after":
        return bool(words.after(entry.signal, line[end:]))
    return bool(words.search(entry.signal, line))
