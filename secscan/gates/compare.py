"""What changed since a previous audit (`secscan scan --compare PREVIOUS.json`).

Each file of this scan is set against the same path in a previous JSON (or JSON
Lines) report of secscan: ``new`` (not in it), ``level-up`` / ``level-down``
(its highest level rose or fell), ``unchanged``, and ``unread`` when it could
not be read this time but could before. That last one is not in the issue's
list on purpose: the scanner fails closed, and a secret file that is now
corrupt or over a limit has not gone down a level, it is unknown. Files the
previous report lists and this scan did not produce are ``gone``.

Paths are compared as the reports write them (as given on the command line,
members as ``FILE!MEMBER``), so compare two scans started the same way from the
same folder. The result cache cannot stand in for a previous report: it keeps
no paths. Standard library only: the previous report is plain JSON.

A streaming report (text, jsonl) lets clean files go as it writes them, so the
comparison remembers every path it was asked about; ``gone`` counts those as
seen as well as the files still in the final result.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from secscan.model import FileResult, Level, ScanResult, Status

REPORT_SCHEMA = "secscan.report/1"


class CompareError(ValueError):
    """The previous report cannot be used; the message names the file and the problem."""


class Change(StrEnum):
    NEW = "new"
    GONE = "gone"
    LEVEL_UP = "level-up"
    LEVEL_DOWN = "level-down"
    UNCHANGED = "unchanged"
    UNREAD = "unread"


@dataclass(frozen=True)
class Previous:
    """A file as the previous report gave it."""

    path: str
    level: Level
    status: str
    type: str = ""


class Comparison:
    """The previous report's files by path, and what each path this report has written changed.

    One comparison serves one report: it remembers the paths it was asked about.
    """

    def __init__(self, previous: Iterable[Previous], source: str = "") -> None:
        self.previous: Mapping[str, Previous] = {p.path: p for p in previous}
        self.source = source
        self._seen: dict[str, Change] = {}

    def change(self, result: FileResult) -> Change:
        """How ``result`` differs from the same path in the previous report."""
        change = self._change(result)
        self._seen[result.path] = change
        return change

    def _change(self, result: FileResult) -> Change:
        before = self.previous.get(result.path)
        if before is None:
            return Change.NEW
        if result.status == Status.ERROR and before.status != Status.ERROR:
            return Change.UNREAD
        if result.level > before.level:
            return Change.LEVEL_UP
        if result.level < before.level:
            return Change.LEVEL_DOWN
        return Change.UNCHANGED

    def gone(self, result: ScanResult) -> list[Previous]:
        """The previous report's files that this scan did not produce, in the previous report's order."""
        here = self._seen.keys() | {f.path for f in result.files}
        return [p for path, p in self.previous.items() if path not in here]

    def counts(self, result: ScanResult) -> dict[Change, int]:
        """How many files (members too) each change has: those of ``result``, those a streaming
        report already let go, and ``gone``."""
        for entry in result.files:
            self.change(entry)
        counted = dict.fromkeys(Change, 0)
        for change in self._seen.values():
            counted[change] += 1
        counted[Change.GONE] = len(self.gone(result))
        return counted


def load_comparison(path: str | Path) -> Comparison:
    """The comparison with the report at ``path`` (``--format json`` or ``jsonl`` of secscan)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CompareError(f"cannot read the previous report {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CompareError(f"the previous report {path} is not UTF-8 text (give a JSON report)") from None
    entries = _file_entries(text, str(path))
    return Comparison((_previous(entry, str(path)) for entry in entries), source=str(path))


def _file_entries(text: str, name: str) -> list[Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return _jsonl_entries(text, name)
    if isinstance(document, dict) and "schema" not in document:
        return _jsonl_entries(text, name)  # a JSON Lines report of one line
    if not isinstance(document, dict) or document.get("schema") != REPORT_SCHEMA:
        raise CompareError(f"{name} is not a secscan JSON report (schema {REPORT_SCHEMA!r})")
    files = document.get("files")
    if not isinstance(files, list):
        raise CompareError(f"{name} has no list of files")
    return files


def _jsonl_entries(text: str, name: str) -> list[Any]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            raise CompareError(f"{name} is neither a JSON nor a JSON Lines report (line {number})") from None
        if isinstance(entry, dict) and "summary" in entry and "path" not in entry:
            continue
        entries.append(entry)
    return entries


def _previous(entry: Any, name: str) -> Previous:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise CompareError(f"{name}: a file entry has no path")
    try:
        level = Level.parse(str(entry.get("level", "none")))
    except ValueError as exc:
        raise CompareError(f"{name}: {entry['path']!r}: {exc}") from None
    return Previous(entry["path"], level, str(entry.get("status", "")), str(entry.get("type", "")))
