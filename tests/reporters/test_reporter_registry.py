"""Every registered reporter satisfies the Reporter protocol; jsonl streams, the others write whole."""

from __future__ import annotations

import pytest

from secscan.reporters import REPORTERS, StreamingReporter, get_reporter


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_registered_reporter_writes(name: str) -> None:
    reporter = get_reporter(name)
    assert callable(reporter.write)
    assert isinstance(reporter, StreamingReporter) == (name in ("jsonl", "text"))


def test_an_unknown_format_is_named() -> None:
    with pytest.raises(ValueError, match="no such reporter: 'xml'"):
        get_reporter("xml")
