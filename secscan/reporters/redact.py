"""Redaction for ``--redact``: a report that names the rule and place, never the text.

A report is often pasted into a ticket or a chat; the marking it found may sit
next to the very content that must not travel. Every reporter passes findings
through :func:`redact_finding` when ``ReportOptions.redact`` is set, so no format
can forget a field.
"""

from __future__ import annotations

from dataclasses import replace

from secscan.model import FileResult, Finding, ScanResult

REDACTED = "[redacted]"


def redact_finding(finding: Finding) -> Finding:
    """The same finding without its matched text, the line around it or the picture of it."""
    return replace(finding, match=REDACTED, context="", span=(0, 0), evidence=None)


def redact_file(result: FileResult) -> FileResult:
    """A file result whose findings, suppressed candidates and waivers are all redacted."""
    mismatch = result.label_mismatch
    if mismatch is not None:
        mismatch = replace(mismatch, label_text=REDACTED, visible_where=REDACTED)
    return replace(
        result,
        label_mismatch=mismatch,
        findings=tuple(redact_finding(f) for f in result.findings),
        suppressed=tuple(redact_finding(f) for f in result.suppressed),
        waived=tuple(redact_finding(f) for f in result.waived),
    )


def redact_result(result: ScanResult, redact: bool = True) -> ScanResult:
    """``result`` with every finding redacted (or unchanged when ``redact`` is false)."""
    if not redact:
        return result
    return replace(result, files=tuple(redact_file(f) for f in result.files))
