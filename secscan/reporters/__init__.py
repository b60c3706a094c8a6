"""Reporter registry: format name -> the module that writes a finished ScanResult.

Each reporter module defines::

    def write(result: ScanResult, out: TextIO, options: ReportOptions) -> None

Reporters take a finished result, never the engine: they import no extractor
and no matcher. A new format is one module plus one line here. Streaming
formats (text, jsonl) also define ``write_entry(results, out, options)``, called
with each scanned file and its members as soon as they are done, and
``write_summary(result: ScanResult, out, options)`` at the end.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TextIO, cast, runtime_checkable

from secscan.gates.compare import Comparison
from secscan.gates.verdict import Verdict
from secscan.model import FileResult, Level, RuleBook, ScanResult

REPORTERS: dict[str, str] = {
    "text": "secscan.reporters.text",
    "json": "secscan.reporters.json",
    "jsonl": "secscan.reporters.jsonl",
    "sarif": "secscan.reporters.sarif",
    "csv": "secscan.reporters.csv",
    "html": "secscan.reporters.html",
}


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    redact: bool = False  # show rule and place, never the matched text or its context
    verbose: bool = False
    quiet: bool = False
    fail_on: Level | None = Level.INTERNAL
    catalog: RuleBook | None = None  # rule help text for sarif; None: rules described from findings only
    exit_codes: Mapping[Verdict, int] = field(default_factory=dict)  # shown beside the verdict when given
    compare: Comparison | None = None  # --compare: what changed since a previous report


class Reporter(Protocol):
    """What a reporter module provides (a module satisfies a Protocol by its functions)."""

    def write(self, result: ScanResult, out: TextIO, options: ReportOptions) -> None: ...


@runtime_checkable
class StreamingReporter(Reporter, Protocol):
    """A reporter that can also write each file as it finishes, then the summary.

    ``results`` of ``write_entry`` are one scanned file's: its own result, then its members'.
    """

    def write_entry(self, results: Sequence[FileResult], out: TextIO, options: ReportOptions) -> None: ...
    def write_summary(self, result: ScanResult, out: TextIO, options: ReportOptions) -> None: ...


def get_reporter(name: str) -> Reporter:
    module_name = REPORTERS.get(name)
    if module_name is None:
        known = ", ".join(sorted(REPORTERS))
        raise ValueError(f"no such reporter: {name!r} (known: {known})")
    return cast(Reporter, importlib.import_module(module_name))


def entries(files: Sequence[FileResult]) -> list[list[FileResult]]:
    """``files`` cut into scanned files, each followed by its members (``PATH!MEMBER``)."""
    out: list[list[FileResult]] = []
    for result in files:
        if out and result.path.startswith(out[-1][0].path + "!"):
            out[-1].append(result)
        else:
            out.append([result])
    return out
