"""The gate: what a finished scan means for the exit code (report-contract.md).

0 every input scanned and nothing reached --fail-on; 1 a finding at or above
--fail-on; 2 nothing reached it but some input could not be scanned. Waived
findings (a baseline) are not findings for the gate.
"""

from __future__ import annotations

from secscan.model import Level, ScanResult, Status

CLEAR, BLOCKED, UNREADABLE = 0, 1, 2


def exit_code(result: ScanResult, fail_on: Level | None) -> int:
    if fail_on is not None and any(
        finding.level >= fail_on for file_result in result.files for finding in file_result.findings
    ):
        return BLOCKED
    if any(file_result.status == Status.ERROR for file_result in result.files):
        return UNREADABLE
    return CLEAR
