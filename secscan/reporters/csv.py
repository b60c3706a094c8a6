"""CSV report (`--format csv`): a complete audit sheet for Excel or a database.

One row per finding (also waived ones and, with --show-suppressed, candidates),
plus one row for every file that has none: clean, error or skipped. So every
scanned file appears, and a reviewer can filter on ``status`` and ``level``. With
``--compare`` a last column ``change`` says what changed since the previous report
(``new``, ``level-up`` …), and the files that are ``gone`` get a row each at the end.

Written UTF-8 with a byte-order mark, because Excel opens a BOM-less CSV in the
local ANSI code page and turns 机密 into mojibake. Every cell that a
spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return, also their full-width forms) is prefixed with
``'``: a scanned document must not be able to run ``=HYPERLINK(...)`` or DDE in
the reviewer's spreadsheet (OWASP "CSV injection"). Before that guard, control
and direction characters are written as visible escapes (``safe_text.printable``):
a CSV is also read with ``cat`` and ``less``, where ``\\x1b`` would be obeyed, and
a newline inside a path would look like a new row. Standard library ``csv``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from secscan.gates.compare import Change
from secscan.gates.memberpath import MemberPaths
from secscan.model import FileResult, Finding, ScanResult
from secscan.reporters import ReportOptions
from secscan.reporters.redact import redact_result
from secscan.reporters.safe_text import printable
from secscan.reporters.wording import MISMATCH_RULE, mismatch_sentence

BOM = "\ufeff"
COLUMNS = (
    "path",
    "file",
    "member",
    "type",
    "status",
    "file_level",
    "row",
    "rule",
    "level",
    "match",
    "part",
    "page",
    "line",
    "origin",
    "confidence",
    "context",
    "note",
)
GONE_NOTE = "in the previous report, not in this scan"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def write(result: ScanResult, out: TextIO, options: ReportOptions) -> None:
    result = redact_result(result, options.redact)
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    compare = options.compare
    writer.writerow([*COLUMNS, "change"] if compare is not None else COLUMNS)
    paths = MemberPaths(f.path for f in result.files)
    for file_result in result.files:
        change = [compare.change(file_result)] if compare is not None else []
        for row in _rows(file_result, paths):
            writer.writerow([neutralise(printable(cell)) for cell in [*row, *change]])
    for before in compare.gone(result) if compare is not None else ():
        on_disk, member = paths.split(before.path)
        head = [before.path, on_disk, member or "", before.type, before.status, before.level.label, "file"]
        row = [*head, *[""] * 9, GONE_NOTE, Change.GONE]
        writer.writerow([neutralise(printable(cell)) for cell in row])


def neutralise(cell: str) -> str:
    """``cell`` made inert for spreadsheets: a leading formula character gets a ``'`` before it."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _rows(file_result: FileResult, paths: MemberPaths) -> Iterator[list[str]]:
    on_disk, member = paths.split(file_result.path)
    head = [
        file_result.path,
        on_disk,
        member or "",
        file_result.type,
        file_result.status,
        file_result.level.label,
    ]
    rows = [
        *(("finding", f) for f in file_result.findings),
        *(("waived", f) for f in file_result.waived),
        *(("candidate", f) for f in file_result.suppressed),
    ]
    if not rows:
        yield [*head, "file", *[""] * 9, file_result.error or ""]
        return
    for kind, finding in rows:
        yield [*head, kind, *_finding_cells(finding), _note(kind, finding, file_result)]
    if file_result.label_mismatch is not None:
        found = file_result.label_mismatch
        sentence = mismatch_sentence(found, redact=False)
        yield [
            *head,
            "label-mismatch",
            MISMATCH_RULE,
            found.visible.label,
            "",
            "metadata",
            *[""] * 5,
            sentence,
        ]


def _finding_cells(finding: Finding) -> list[str]:
    loc = finding.location
    return [
        finding.rule,
        finding.level.label,
        finding.match,
        loc.part,
        "" if loc.page is None else str(loc.page),
        "" if loc.line is None else str(loc.line),
        loc.origin,
        f"{finding.confidence:.2f}",
        finding.context,
    ]


def _note(kind: str, finding: Finding, file_result: FileResult) -> str:
    """Why the row counts (or not): reasons, declassification, waiver, the file's own error."""
    notes = list(finding.reasons)
    if finding.original_level is not None:
        notes.insert(0, f"declassified from {finding.original_level.label}")
    if kind == "finding" and file_result.error:
        notes.append(file_result.error)
    return "; ".join(notes)
