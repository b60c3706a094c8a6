"""Name the flag beside a limit or a switch in messages the rest of secscan writes.

Only the CLI knows its flag names: the pipeline says "over the per-file time limit (120 s)",
and the report a user reads says "… (120 s; --timeout)", so the message tells what to change
without the engine depending on how it is driven.
"""

from __future__ import annotations

import re
from dataclasses import replace

from secscan.model import Coverage, FileResult, SkippedPart

LIMIT_FLAGS = {
    "per-file time limit": "--timeout",
    "file size limit": "--max-file-size",
    "expanded size limit": "--max-expanded-size",
    "compression ratio limit": "--max-ratio",
    "nesting depth limit": "--max-depth",
    "member count limit": "--max-members",
    "memory limit": "--max-memory",
}
SWITCH_HINTS = (
    ("OCR off", "OCR off (--no-ocr)"),
    ("symbolic link not followed", "symbolic link not followed (use --follow-symlinks)"),
    ("supply its password in a password file", "supply its password with --password-file"),
    ("to open it with a password file", "to open it with --password-file"),
)
_LIMIT = re.compile(r"(?P<name>" + "|".join(map(re.escape, LIMIT_FLAGS)) + r") \((?P<value>[^);]*)\)")


def with_flags(message: str) -> str:
    """``message`` with the flag that sets each limit or switch it names."""
    named = _LIMIT.sub(lambda m: f"{m['name']} ({m['value']}; {LIMIT_FLAGS[m['name']]})", message)
    for phrase, hint in SWITCH_HINTS:
        if phrase in named and hint not in named:
            named = named.replace(phrase, hint)
    return named


def result_with_flags(result: FileResult) -> FileResult:
    """The same result, its error and skipped reasons naming the flags."""
    skipped = tuple(SkippedPart(s.part, with_flags(s.reason)) for s in result.coverage.skipped)
    error = with_flags(result.error) if result.error else result.error
    if error == result.error and skipped == result.coverage.skipped:
        return result
    coverage: Coverage = replace(result.coverage, skipped=skipped)
    return replace(result, error=error, coverage=coverage)
