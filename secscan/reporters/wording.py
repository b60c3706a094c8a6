"""Sentences every human-readable report shares, so the terminal and HTML reports cannot drift apart."""

from __future__ import annotations

from secscan.gates.compare import Change, Comparison
from secscan.gates.verdict import Verdict, verdict
from secscan.model import Finding, LabelMismatch, Level, ScanResult, Status, Summary, split_members
from secscan.reporters import ReportOptions
from secscan.reporters.safe_text import printable

# The Chinese names of the levels (GB/T 7156 and the 保密法's three grades, plus the internal
# grade), shown beside the level of a finding a Chinese rule made. ``cli.settings_values``
# accepts these (and the traditional forms) for --fail-on.
LEVEL_NAMES_ZH = {
    Level.TOP_SECRET: "绝密",
    Level.SECRET: "机密",
    Level.CONFIDENTIAL: "秘密",
    Level.INTERNAL: "内部",
}
WORK_SECRET = "工作秘密"  # the internal grade as the work-secret rules (cn.work-secret*) name it


def level_text(finding: Finding) -> str:
    """The finding's level, with its Chinese name for a Chinese rule: ``secret (机密)``.

    Only the words a person reads change; JSON, CSV and SARIF keep the contract's values.
    """
    label = finding.level.label
    name = LEVEL_NAMES_ZH.get(finding.level)
    if name is None or not finding.rule.startswith("cn."):
        return label
    if finding.level == Level.INTERNAL and finding.rule.startswith("cn.work-secret"):
        name = WORK_SECRET
    return f"{label} ({name})"


def flagged_by_level(result: ScanResult) -> dict[Level, int]:
    """The flagged files the scan was given, by highest level: the counts add up to ``summary.flagged``."""
    counts: dict[Level, int] = {}
    for entry in split_members(result.files)[0]:
        if entry.status == Status.FLAGGED:
            counts[entry.level] = counts.get(entry.level, 0) + 1
    return counts


def members_sentence(summary: Summary) -> str:
    """How many members were read inside the scanned files, by status; "" when there were none."""
    if not summary.members:
        return ""
    counts = (
        (summary.member_flagged, "flagged"),
        (summary.member_clean, "clean"),
        (summary.member_errors, "could not be read"),
        (summary.member_skipped, "skipped"),
    )
    shown = ", ".join(f"{count} {word}" for count, word in counts if count)
    many = summary.members != 1
    return (
        f"Inside them, {summary.members} member{'s' if many else ''} (archive entries, attachments, "
        f"embedded files) {'were' if many else 'was'} read: {shown}."
    )


def where(finding: Finding) -> str:
    """Where a finding sits: part, page, line and, when it says more, the origin (made printable)."""
    loc = finding.location
    bits = [loc.part]
    if loc.page is not None:
        bits.append(f"page {loc.page}")
    if loc.line is not None:
        bits.append(f"line {loc.line}")
    if loc.origin and loc.origin not in (loc.part, "file name"):
        bits.append(f"({loc.origin})")
    return printable(" ".join(bits))


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


MISMATCH_RULE = "secscan.label-mismatch"


def mismatch_sentence(mismatch: LabelMismatch, redact: bool) -> str:
    """The label-versus-page disagreement in one line; redacted, the levels only."""
    if redact:
        return (
            f"label mismatch: the label says {mismatch.label.label}, "
            f"the document shows {mismatch.visible.label}"
        )
    return (
        f"label mismatch: the label says {mismatch.label.label} ({mismatch.label_text}), "
        f"the document shows {mismatch.visible.label} ({mismatch.visible_where})"
    )


def changes_sentence(comparison: Comparison, result: ScanResult) -> str:
    """``--compare`` in one line: how many files (members too) changed how since the previous report."""
    counts = comparison.counts(result)
    shown = ", ".join(f"{counts[change]} {change}" for change in Change if counts[change])
    return printable(f"Since {comparison.source or 'the previous report'}: {shown or 'no files'}.")
