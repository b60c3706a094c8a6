"""The CLI names the flag beside each limit or switch the engine's messages mention."""

from __future__ import annotations

import pytest

from secscan.cli.flags import result_with_flags, with_flags
from secscan.model import Coverage, FileResult, SkippedPart, Status


@pytest.mark.parametrize(
    "message, shown",
    [
        (
            "over a limit: timed out, past the per-file time limit (120 s)",
            "over a limit: timed out, past the per-file time limit (120 s; --timeout)",
        ),
        (
            "'a' expands past the expanded size limit (10 bytes)",
            "'a' expands past the expanded size limit (10 bytes; --max-expanded-size)",
        ),
        ("no text layer; OCR off", "no text layer; OCR off (--no-ocr)"),
        ("symbolic link not followed", "symbolic link not followed (use --follow-symlinks)"),
        ("a CorruptFile with no limit in it", "a CorruptFile with no limit in it"),
    ],
)
def test_with_flags(message: str, shown: str) -> None:
    assert with_flags(message) == shown
    assert with_flags(shown) == shown  # naming twice changes nothing


def test_result_with_flags_covers_the_error_and_the_skipped_parts() -> None:
    result = FileResult(
        "scan.pdf",
        "pdf",
        Status.SKIPPED,
        error="partly read; not read: page 1: no text layer; OCR off",
        coverage=Coverage(skipped=(SkippedPart("page 1", "no text layer; OCR off"),)),
    )
    shown = result_with_flags(result)
    assert shown.error == "partly read; not read: page 1: no text layer; OCR off (--no-ocr)"
    assert shown.coverage.skipped == (SkippedPart("page 1", "no text layer; OCR off (--no-ocr)"),)
