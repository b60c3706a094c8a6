"""Sentences every human-readable report shares, so the terminal and HTML reports cannot drift apart."""

from __future__ import annotations

from secscan.gates.verdict import Verdict, verdict
from secscan.model import Finding, ScanResult, Status
from secscan.reporters import ReportOptions


def where(finding: Finding) -> str:
    """Where a finding sits: part, page, line and, when it says more, the origin."""
    loc = finding.location
    bits = [loc.part]
    if loc.page is not None:
        bits.append(f"page {loc.page}")
    if loc.line is not None:
        bits.append(f"line {loc.line}")
    if loc.origin and loc.origin not in (loc.part, "file name"):
        bits.append(f"({loc.origin})")
    return " ".join(bits)


def verdict_sentence(result: ScanResult, options: ReportOptions) -> str:
    """What the scan means for the gate, with the exit code when the caller gave the mapping."""
    outcome = verdict(result, options.fail_on)
    code = options.exit_codes.get(outcome)
    exit_note = f" (exit {code})" if code is not None else ""
    if outcome == Verdict.BLOCKED and options.fail_on is not None:
        return f"Blocked: markings at or above {options.fail_on.label} were found{exit_note}."
    if outcome == Verdict.UNREADABLE:
        return f"Not cleared: some files could not be read, so they are not known to be clean{exit_note}."
    threshold = options.fail_on.label if options.fail_on is not None else "any level (fail-on: never)"
    cleared = f"Cleared: no marking at or above {threshold}{exit_note}."
    if any(f.status == Status.SKIPPED for f in result.files):
        cleared += " Skipped files and parts were not checked: their lines say why."
    return cleared
