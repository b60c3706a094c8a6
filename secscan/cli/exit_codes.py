"""The exit codes of report-contract.md: the only place that turns a verdict into a number."""

from __future__ import annotations

from secscan.gates.verdict import Verdict, verdict
from secscan.model import Level, ScanResult

EXIT_CODES = {Verdict.CLEAR: 0, Verdict.BLOCKED: 1, Verdict.UNREADABLE: 2}
USAGE_ERROR = 2  # a wrong command line, config file, catalog or password file
INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, what shells expect; never 1, which would claim a marking


def exit_code(result: ScanResult, fail_on: Level | None) -> int:
    return EXIT_CODES[verdict(result, fail_on)]
