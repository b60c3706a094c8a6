"""JSON report (`--format json`): one document, exactly as report-contract.md fixes it.

Fields beyond the contract (``coverage``, ``reasons``, ``context``, ``origin``,
``suppressed``, ``waived``, summary counts; with ``--compare`` each file's ``change`` and the
top-level ``gone`` list) are additions, which the contract
allows; nothing the contract names is renamed or removed. ``schema/report.schema.json``
describes the result and every JSON test validates against it.

The summary counts the files the scan was given (``files`` = ``flagged`` + ``clean`` +
``errors`` + ``skipped``) and, apart, the members read inside them (``members`` and
``member_*``). JSON escaping keeps control characters inert; ``safe_text.json_inert``
also writes DEL, C1 and bidi characters as ``\\u`` escapes, which a JSON reader decodes
to the same value.

The document is also written as the scan goes (``write_entry`` per scanned file, then
``write_summary``), byte for byte what ``write`` gives for the whole result: ``files``
comes before ``summary``, so a 100,000-file audit need not hold its clean entries until
the end. The head is written with the first entry; which streams have one open is kept
here, by stream, because the reporter protocol is plain functions.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any, TextIO

from secscan import __version__
from secscan.model import FileResult, Finding, ScanResult, Summary
from secscan.reporters import ReportOptions
from secscan.reporters.safe_text import json_inert

SCHEMA_ID = "secscan.report/1"
REDACTED = "[redacted]"


def finding_to_dict(finding: Finding, options: ReportOptions) -> dict[str, Any]:
    loc = finding.location
    entry: dict[str, Any] = {
        "rule": finding.rule,
        "level": finding.level.label,
        "match": REDACTED if options.redact else finding.match,
        "location": {"page": loc.page, "line": loc.line, "part": loc.part, "origin": loc.origin or None},
        "confidence": round(finding.confidence, 2),
        "reasons": list(finding.reasons),
        "description": finding.description,
    }
    if not options.redact:
        entry["context"] = finding.context
    if finding.original_level is not None:
        entry["original_level"] = finding.original_level.label
    return entry


def file_to_dict(result: FileResult, options: ReportOptions) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": result.path,
        "type": result.type,
        "status": result.status,
        "level": result.level.label,
        "findings": [finding_to_dict(f, options) for f in result.findings],
        "error": result.error,
        "coverage": {
            "parts": list(result.coverage.parts),
            "pages": result.coverage.pages,
            "skipped": [{"part": s.part, "reason": s.reason} for s in result.coverage.skipped],
        },
    }
    if result.coverage.ocr is not None:
        ocr = result.coverage.ocr
        entry["coverage"]["ocr"] = {"engine": ocr.engine, "version": ocr.version, "models": ocr.models}
    if result.traceback:
        entry["traceback"] = result.traceback
    if result.label_mismatch is not None:
        found = result.label_mismatch
        entry["label_mismatch"] = {
            "label": found.label.label,
            "visible": found.visible.label,
            "label_text": REDACTED if options.redact else found.label_text,
            "visible_where": REDACTED if options.redact else found.visible_where,
        }
    if result.suppressed:
        entry["suppressed"] = [finding_to_dict(f, options) for f in result.suppressed]
    if result.waived:
        entry["waived"] = [finding_to_dict(f, options) for f in result.waived]
    if options.compare is not None:
        entry["change"] = options.compare.change(result)
    return entry


def gone_to_list(result: ScanResult, options: ReportOptions) -> list[dict[str, Any]]:
    """With --compare: the previous report's files this scan did not produce (call after the files)."""
    if options.compare is None:
        return []
    gone = options.compare.gone(result)
    return [{"path": p.path, "type": p.type, "level": p.level.label, "status": p.status} for p in gone]


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    return {
        "files": summary.files,
        "flagged": summary.flagged,
        "errors": summary.errors,
        "highest": summary.highest.label,
        "clean": summary.clean,
        "skipped": summary.skipped,
        "members": summary.members,
        "member_flagged": summary.member_flagged,
        "member_clean": summary.member_clean,
        "member_errors": summary.member_errors,
        "member_skipped": summary.member_skipped,
    }


def _head(options: ReportOptions) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "secscan", "version": __version__},
        "fail_on": options.fail_on.label if options.fail_on is not None else "never",
    }


def _tail(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    tail: dict[str, Any] = {"summary": summary_to_dict(result.summary)}
    if options.compare is not None:
        tail["gone"] = gone_to_list(result, options)  # known only once every file was seen
    return tail


def report_to_dict(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    files = {"files": [file_to_dict(f, options) for f in result.files]}
    return {**_head(options), **files, **_tail(result, options)}


def write(result: ScanResult, out: TextIO, options: ReportOptions) -> None:
    out.write(_dumped(report_to_dict(result, options)) + "\n")


_OPEN: dict[int, bool] = {}  # id of a stream -> whether an entry is written yet (its head is)


def write_entry(results: Sequence[FileResult], out: TextIO, options: ReportOptions) -> None:
    for result in results:
        if id(out) not in _OPEN:
            out.write("{\n" + _members(_head(options)) + ',\n  "files": [')
        out.write(("," if _OPEN.get(id(out)) else "") + "\n")
        out.write(textwrap.indent(_dumped(file_to_dict(result, options)), "    "))
        _OPEN[id(out)] = True


def write_summary(result: ScanResult, out: TextIO, options: ReportOptions) -> None:
    wrote = _OPEN.pop(id(out), None)
    if wrote is None:
        out.write("{\n" + _members(_head(options)) + ',\n  "files": [')
    out.write("\n  ],\n" if wrote else "],\n")
    out.write(_members(_tail(result, options)) + "\n}\n")


def _dumped(value: Any) -> str:
    return json_inert(json.dumps(value, ensure_ascii=False, indent=2))


def _members(part: dict[str, Any]) -> str:
    """An object's members as they stand inside the report: its ``{`` and ``}`` lines cut off."""
    return _dumped(part)[len("{\n") : -len("\n}")]
