"""The gate: what a finished scan means (report-contract.md), as a verdict the CLI turns into an exit code.

Blocked: a finding at or above the fail-on level. Unreadable: nothing reached it, but some
input could not be scanned, so it is not known to be clean. Clear: neither. Waived findings (a
baseline) are not findings for the gate.
"""

from __future__ import annotations

from enum import StrEnum

from secscan.model import Level, ScanResult, Status


class Verdict(StrEnum):
    CLEAR = "clear"
    BLOCKED = "blocked"
    UNREADABLE = "unreadable"


def verdict(result: ScanResult, fail_on: Level | None) -> Verdict:
    if fail_on is not None and any(
        finding.level >= fail_on for file_result in result.files for finding in file_result.findings
    ):
        return Verdict.BLOCKED
    if any(file_result.status == Status.ERROR for file_result in result.files):
        return Verdict.UNREADABLE
    return Verdict.CLEAR
